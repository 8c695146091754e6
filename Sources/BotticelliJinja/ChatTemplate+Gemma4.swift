extension ChatTemplate {
    /// Older Gemma 4 templates read tool results from the assistant turn rather than from `tool` messages.
    var needsGemma4ToolResponses: Bool {
        source.contains("'<|tool_call>call:'") && !source.contains("{#- OpenAI Chat Completions:")
    }

    /// Folds `assistant(tool_calls) → tool… → assistant(content)` into one assistant message with
    /// `tool_responses`, as llama-server does for these templates.
    static func foldingGemma4ToolResponses(_ messages: [JinjaObject]) -> [JinjaObject] {
        var result: [JinjaObject] = []
        var index = 0
        while index < messages.count {
            let message = messages[index]
            guard message["role"] == .string("assistant"), case .array(let calls) = message["tool_calls"],
                !calls.isEmpty
            else {
                result.append(message)
                index += 1
                continue
            }
            index += 1
            var responses: [JinjaValue] = []
            while index < messages.count, messages[index]["role"] == .string("tool") {
                responses.append(toolResponse(messages[index], calls: calls, position: responses.count))
                index += 1
            }
            var content: JinjaValue?
            if index < messages.count, messages[index]["role"] == .string("assistant"),
                !hasToolCalls(messages[index]), hasContent(messages[index])
            {
                content = messages[index]["content"]
                index += 1
            }
            var folded = JinjaObject()
            folded["role"] = .string("assistant")
            folded["tool_calls"] = .array(calls)
            if !responses.isEmpty { folded["tool_responses"] = .array(responses) }
            if let content { folded["content"] = content }
            if case .string = message["reasoning_content"] {
                folded["reasoning_content"] = message["reasoning_content"]
            }
            result.append(folded)
        }
        return result
    }

    private static func toolResponse(_ message: JinjaObject, calls: [JinjaValue], position: Int) -> JinjaValue {
        var response = JinjaValue.none
        if let content = message["content"] {
            response = content
            if case .string(let text) = content, let parsed = try? JSONReader.parse(text) { response = parsed }
        }
        var name = ""
        if position < calls.count, case .object(let call) = calls[position],
            case .object(let function) = call["function"],
            case .string(let functionName) = function["name"]
        {
            name = functionName
        }
        if name.isEmpty, case .string(let identifier) = message["tool_call_id"] { name = identifier }
        return ["name": .string(name), "response": response]
    }

    private static func hasToolCalls(_ message: JinjaObject) -> Bool {
        if case .array(let calls) = message["tool_calls"] { return !calls.isEmpty }
        return false
    }

    private static func hasContent(_ message: JinjaObject) -> Bool {
        switch message["content"] {
        case .string(let text): !text.isEmpty
        case .array(let parts): !parts.isEmpty
        default: false
        }
    }
}
