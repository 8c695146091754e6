import Foundation

/// What a chat template does with its input, found by rendering probe conversations as llama.cpp does.
public struct ChatTemplateCapabilities: Sendable, Equatable {
    /// The template reads a leading system message; when false, llama-server merges it into the next message.
    public var supportsSystemRole = true
    /// The template renders string `content`.
    public var supportsStringContent = true
    /// The template reads `content` as a list of typed parts.
    public var supportsTypedContent = false
    /// The template renders an assistant message's `tool_calls`.
    public var supportsToolCalls = true
    /// The template reads tool-call `arguments` as a mapping; llama-server then parses JSON argument strings.
    public var supportsObjectArguments = false

    public init(
        supportsSystemRole: Bool = true, supportsStringContent: Bool = true, supportsTypedContent: Bool = false,
        supportsToolCalls: Bool = true, supportsObjectArguments: Bool = false
    ) {
        self.supportsSystemRole = supportsSystemRole
        self.supportsStringContent = supportsStringContent
        self.supportsTypedContent = supportsTypedContent
        self.supportsToolCalls = supportsToolCalls
        self.supportsObjectArguments = supportsObjectArguments
    }
}

extension ChatTemplateCapabilities {
    /// Renders llama.cpp's probe conversations and watches how the template reads them.
    static func detect(in template: JinjaTemplate) -> ChatTemplateCapabilities {
        var capabilities = ChatTemplateCapabilities()
        // Probes render tiny conversations; a template that needs more than this is treated as failing them.
        var template = template
        template.limits.loopIterations = min(template.limits.loopIterations, 100_000)
        template.limits.duration = min(template.limits.duration, .seconds(1))

        func probe(_ messages: [Value], tools: Value = .newArray(), recorder: UsageRecorder) -> (
            succeeded: Bool, output: String
        ) {
            let variables: [String: Value] = [
                "messages": .newArray(messages), "tools": tools, "bos_token": .string(""),
                "eos_token": .string(""), "add_generation_prompt": .bool(true),
            ]
            do {
                return (true, try template.render(variables: variables, now: Date(), recorder: recorder))
            } catch {
                return (false, "")
            }
        }
        func message(_ role: String, _ content: Value) -> Value {
            let object = ObjectStorage()
            object.set("role", .string(role))
            object.set("content", content)
            return .object(object)
        }

        let marker = "STRING_MARKER"
        let stringRecorder = UsageRecorder()
        let stringUsage = stringRecorder.watch(marker)
        let stringProbe = probe([message("user", .string(marker))], recorder: stringRecorder)
        let usedAsList = !stringUsage.operations.isDisjoint(with: ["selectattr", "array_access"])
        if usedAsList { capabilities.supportsTypedContent = true }
        if !stringProbe.succeeded || (usedAsList && !stringProbe.output.contains(marker)) {
            capabilities.supportsStringContent = false
        }
        if stringUsage.operations.contains("test_is_string") {
            let listRecorder = UsageRecorder()
            let parts = ArrayStorage([])
            let listUsage = listRecorder.watch(parts)
            let listProbe = probe([message("user", .array(parts))], recorder: listRecorder)
            if listProbe.succeeded && !listUsage.operations.isDisjoint(with: ["selectattr", "array_access"]) {
                capabilities.supportsTypedContent = true
            }
        }

        let systemRecorder = UsageRecorder()
        let systemUsage = systemRecorder.watch("System message")
        _ = probe(
            [message("system", .string("System message")), message("user", .string("User message"))],
            recorder: systemRecorder)
        if !systemUsage.used { capabilities.supportsSystemRole = false }

        // Tool calls, first with arguments as a mapping; when the template does not read that argument, again
        // with arguments as JSON text.
        func toolProbe(arguments: JinjaValue) -> (succeeded: Bool, callsUsed: Bool, argumentUsed: Bool) {
            let recorder = UsageRecorder()
            let toolCalls = ArrayStorage([probeToolCall(arguments: arguments)])
            let callsUsage = recorder.watch(toolCalls)
            let argumentUsage = recorder.watch("value")
            let result = probe(
                [
                    message("user", .string("User message")),
                    .object(probeAssistantMessage(toolCalls: toolCalls)),
                    .object(probeToolResponse()),
                    message("assistant", .string("The tool response was 'tool response'")),
                    message("user", .string("User message")),
                ], tools: Value(probeTools), recorder: recorder)
            return (result.succeeded, callsUsage.used, argumentUsage.used)
        }
        let objectProbe = toolProbe(arguments: ["arg": "value"])
        if objectProbe.succeeded {
            if !objectProbe.callsUsed {
                capabilities.supportsToolCalls = false
            } else if objectProbe.argumentUsed {
                capabilities.supportsObjectArguments = true
            }
        }
        if !capabilities.supportsObjectArguments {
            let textProbe = toolProbe(arguments: "{\"arg\": \"value\"}")
            if !textProbe.succeeded || !textProbe.callsUsed { capabilities.supportsToolCalls = false }
        }
        return capabilities
    }

    private static func probeToolCall(arguments: JinjaValue) -> Value {
        Value(
            [
                "id": "call00001", "type": "function",
                "function": ["name": "tool1", "arguments": arguments],
            ] as JinjaValue)
    }

    private static func probeAssistantMessage(toolCalls: ArrayStorage) -> ObjectStorage {
        let object = ObjectStorage()
        object.set("role", .string("assistant"))
        object.set("content", .string(""))
        object.set("tool_calls", .array(toolCalls))
        return object
    }

    private static func probeToolResponse() -> ObjectStorage {
        let object = ObjectStorage()
        object.set("role", .string("tool"))
        object.set("content", .string("Tool response"))
        object.set("tool_call_id", .string("call00001"))
        return object
    }

    private static let probeTools: JinjaValue = [
        [
            "name": "tool", "type": "function",
            "function": [
                "name": "tool1", "description": "Tool description",
                "parameters": [
                    "type": "object",
                    "properties": ["arg": ["type": "string", "description": "Arg description"]],
                    "required": ["arg"],
                ],
            ],
        ]
    ]
}
