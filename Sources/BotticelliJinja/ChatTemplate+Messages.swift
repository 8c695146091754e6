extension ChatTemplate {
    /// The messages as llama-server passes them to this template.
    func prepare(_ messages: [ChatMessage]) throws -> [JinjaObject] {
        var messages = messages
        if source.contains("You have access to the following functions in JSONSchema format") {
            // StepFun templates: llama-server trims contents, which otherwise send the model into loops.
            messages = messages.map { message in
                var message = message
                message.content = Self.trimmed(message.content)
                message.reasoningContent = message.reasoningContent.map(Self.trimWhitespace)
                return message
            }
        }
        var objects = messages.map(\.templateValue).map(normalizeContent)
        if !source.contains("<|channel|>") {
            for index in objects.indices where objects[index]["role"] == .string("developer") {
                objects[index]["role"] = .string("system")
            }
        }
        if !capabilities.supportsSystemRole, let first = objects.first, first["role"] == .string("system") {
            objects.removeFirst()
            if !objects.isEmpty {
                objects[0]["content"] = .string(Self.text(first["content"]) + "\n" + Self.text(objects[0]["content"]))
            }
        }
        if capabilities.supportsObjectArguments {
            objects = try objects.map(Self.parsingArguments)
        }
        if isMinistral3 { objects = objects.map(Self.ministralBlocks) }
        if needsGemma4ToolResponses { objects = Self.foldingGemma4ToolResponses(objects) }
        if source.contains("<|channel|>") || source.contains("<|tool_list_start|>")
            || (source.contains("List of tools: [") && !source.contains("<|tool_list_start|>"))
        {
            objects = objects.map { object in
                var object = object
                if case .string = object["reasoning_content"] { object["thinking"] = object["reasoning_content"] }
                return object
            }
        }
        return objects
    }

    /// Tool-call arguments given as JSON text become mappings, for templates that iterate over them.
    private static func parsingArguments(_ message: JinjaObject) throws -> JinjaObject {
        guard case .array(let calls) = message["tool_calls"] else { return message }
        var message = message
        message["tool_calls"] = .array(
            try calls.map { call in
                guard case .object(var callObject) = call, case .object(var function) = callObject["function"],
                    case .string(let arguments) = function["arguments"]
                else { return call }
                do {
                    function["arguments"] = try JSONReader.parse(arguments)
                } catch {
                    throw JinjaError(kind: .runtime, message: "failed to parse tool call arguments as JSON: \(error)")
                }
                callObject["function"] = .object(function)
                return .object(callObject)
            })
        return message
    }

    private var isMinistral3: Bool {
        source.contains("[SYSTEM_PROMPT]") && source.contains("[TOOL_CALLS]") && source.contains("[ARGS]")
            && !source.contains("[CALL_ID]")
    }

    /// String content becomes typed parts for templates that only read those, and the reverse.
    private func normalizeContent(_ message: JinjaObject) -> JinjaObject {
        let onlyString = capabilities.supportsStringContent && !capabilities.supportsTypedContent
        let onlyTyped = !capabilities.supportsStringContent && capabilities.supportsTypedContent
        var message = message
        switch message["content"] {
        case .string(let text) where onlyTyped:
            message["content"] = .array([["type": "text", "text": .string(text)]])
        case .array(let parts) where onlyString:
            message["content"] = .string(Self.joinedParts(parts))
        default:
            break
        }
        return message
    }

    /// Ministral 3 expects system and assistant content as blocks, reasoning first.
    private static func ministralBlocks(_ message: JinjaObject) -> JinjaObject {
        guard message["role"] == .string("system") || message["role"] == .string("assistant") else { return message }
        var blocks: [JinjaValue] = []
        if case .string(let reasoning) = message["reasoning_content"] {
            blocks.append(["type": "thinking", "thinking": .string(reasoning)])
        }
        switch message["content"] {
        case .string(let text): blocks.append(["type": "text", "text": .string(text)])
        case .array(let parts): blocks += parts
        default: break
        }
        var adjusted = message
        adjusted["content"] = .array(blocks)
        adjusted["reasoning_content"] = nil
        return adjusted
    }

    private static func joinedParts(_ parts: [JinjaValue]) -> String {
        var text = ""
        var afterMedia = false
        for case .object(let part) in parts {
            let type = Self.text(part["type"])
            if type == "text" {
                if !afterMedia && !text.isEmpty { text += "\n" }
                afterMedia = false
            } else if type == "media_marker" {
                afterMedia = true
            } else {
                continue
            }
            text += Self.text(part["text"])
        }
        return text
    }

    private static func text(_ value: JinjaValue?) -> String {
        if case .string(let text) = value { return text }
        return ""
    }

    private static func trimmed(_ content: JinjaValue) -> JinjaValue {
        switch content {
        case .string(let text): return .string(trimWhitespace(text))
        case .array(let parts):
            return .array(
                parts.map { part in
                    guard case .object(var object) = part, object["type"] == .string("text"),
                        case .string(let text) = object["text"]
                    else { return part }
                    object["text"] = .string(trimWhitespace(text))
                    return .object(object)
                })
        default: return content
        }
    }

    static func trimWhitespace(_ text: String) -> String {
        let bytes = Array(text.utf8)
        guard let start = bytes.firstIndex(where: { !isSpace($0) }),
            let end = bytes.lastIndex(where: { !isSpace($0) })
        else { return "" }
        return String(decoding: bytes[start...end], as: UTF8.self)
    }
}
