import Foundation

/// A model's chat template, rendered exactly as `llama-server --jinja` renders it for `/apply-template` and
/// chat completions: the same context variables, and the same adjustments to the messages (a system message
/// merged into the next one when the template ignores it, string content turned into typed parts when the
/// template only reads those, `developer` mapped to `system`).
public struct ChatTemplate: Sendable {
    /// The template as the model ships it.
    public let source: String
    /// The compiled template, after llama-server's patches for known-broken upstream templates.
    public let template: JinjaTemplate
    /// How the template reads its input, detected once at initialization.
    public let capabilities: ChatTemplateCapabilities

    /// Parses and analyzes `source`; throws ``JinjaError`` on a syntax error.
    ///
    /// - Parameter limits: the guards for every render, including the probe renders of capability detection.
    public init(source: String, limits: JinjaLimits = JinjaLimits()) throws {
        self.source = source
        var template = try JinjaTemplate(source: Self.patched(source))
        template.limits = limits
        self.template = template
        self.capabilities = ChatTemplateCapabilities.detect(in: template)
    }

    /// Renders a conversation.
    ///
    /// - Parameters:
    ///   - addGenerationPrompt: end with the header of an assistant turn, for generation.
    ///   - bosToken, eosToken: the model's special tokens, as the template's `bos_token` and `eos_token`.
    ///   - addsBOSToken, addsEOSToken: whether the tokenizer adds these tokens itself; when it does, a copy the
    ///     template put at the start (end) of the prompt is removed, as llama-server does.
    ///   - tools: the tool list, passed as `tools` when it is a non-empty list.
    ///   - enableThinking: the template's `enable_thinking`.
    ///   - preserveReasoning: keep reasoning of earlier turns; llama-server passes `preserve_reasoning` (on by
    ///     default) and derives `preserve_thinking`, `clear_thinking`, `truncate_history_thinking` and
    ///     `drop_thinking` from it.
    ///   - extraContext: further variables (llama-server's `chat_template_kwargs`); they override the others.
    ///   - now: the date behind `strftime_now`, `date_string` and `datetime`.
    public func render(
        messages: [ChatMessage], addGenerationPrompt: Bool, bosToken: String = "", eosToken: String = "",
        addsBOSToken: Bool = false, addsEOSToken: Bool = false, tools: JinjaValue? = nil, enableThinking: Bool = true,
        preserveReasoning: Bool = true, extraContext: [String: JinjaValue] = [:], now: Date = Date()
    ) throws -> String {
        var context: [String: JinjaValue] = [
            "messages": .array(try prepare(messages).map { .object($0) }),
            "bos_token": .string(bosToken),
            "eos_token": .string(eosToken),
            "enable_thinking": .bool(enableThinking),
            "datetime": .string(Self.format(now, "%b %d %Y")),
            "date_string": .string(Self.format(now, "%d %b %Y")),
            "preserve_reasoning": .bool(preserveReasoning),
        ]
        if case .array(let list) = tools, !list.isEmpty { context["tools"] = .array(list) }
        for (name, value) in extraContext { context[name] = value }
        if case .bool(let preserve) = context["preserve_reasoning"] {
            let derived = [
                ("preserve_thinking", preserve), ("clear_thinking", !preserve),
                ("truncate_history_thinking", !preserve), ("drop_thinking", !preserve),
            ]
            for (name, value) in derived where context[name] == nil { context[name] = .bool(value) }
        }
        if case .string(let effort) = context["reasoning_effort"], !effort.isEmpty, context["reasoning_strength"] == nil
        {
            context["reasoning_strength"] = .string(effort)
        }
        if addGenerationPrompt { context["add_generation_prompt"] = .bool(true) }
        var prompt = try template.render(context: context, now: now)
        if addsBOSToken && !bosToken.isEmpty && prompt.hasPrefix(bosToken) { prompt.removeFirst(bosToken.count) }
        if addsEOSToken && !eosToken.isEmpty && prompt.hasSuffix(eosToken) { prompt.removeLast(eosToken.count) }
        return prompt
    }

    /// Renders messages given as plain dictionaries (`role`, `content`, and any other fields such as
    /// `tool_calls`); the parameters are those of ``render(messages:addGenerationPrompt:bosToken:eosToken:addsBOSToken:addsEOSToken:tools:enableThinking:preserveReasoning:extraContext:now:)``.
    public func render(
        messages: [[String: JinjaValue]], addGenerationPrompt: Bool, bosToken: String = "", eosToken: String = "",
        addsBOSToken: Bool = false, addsEOSToken: Bool = false, tools: JinjaValue? = nil, enableThinking: Bool = true,
        preserveReasoning: Bool = true, extraContext: [String: JinjaValue] = [:], now: Date = Date()
    ) throws -> String {
        let converted = messages.map { fields in
            var extra = JinjaObject()
            for key in fields.keys.sorted() where key != "role" && key != "content" { extra[key] = fields[key] }
            var role = ""
            if case .string(let text) = fields["role"] { role = text }
            return ChatMessage(role: role, content: fields["content"] ?? .string(""), additionalFields: extra)
        }
        return try render(
            messages: converted, addGenerationPrompt: addGenerationPrompt, bosToken: bosToken, eosToken: eosToken,
            addsBOSToken: addsBOSToken, addsEOSToken: addsEOSToken, tools: tools, enableThinking: enableThinking,
            preserveReasoning: preserveReasoning, extraContext: extraContext, now: now)
    }

    private static func format(_ date: Date, _ format: String) -> String {
        var seconds = time_t(date.timeIntervalSince1970.rounded(.down))
        var parts = tm()
        localtime_r(&seconds, &parts)
        var buffer = [CChar](repeating: 0, count: 64)
        let length = strftime(&buffer, buffer.count, format, &parts)
        return String(decoding: buffer[0..<length].map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// llama-server's workarounds for two upstream templates that raise errors on valid conversations.
    static func patched(_ source: String) -> String {
        var source = source
        if source.contains("<|channel|>") && source.contains("in message.content or") {
            source = source.replacingOccurrences(
                of: "{%- if \"<|channel|>analysis<|message|>\" in message.content or "
                    + "\"<|channel|>final<|message|>\" in message.content %}",
                with: "{%- if false %}")
        }
        if source.contains("[TOOL_CALLS]") && source.contains("if (message['content'] is none or") {
            source = source.replacingOccurrences(
                of: "{%- if (message['content'] is none or message['content'] == '' or "
                    + "message['content']|length == 0) and (message['tool_calls'] is not defined or "
                    + "message['tool_calls'] is none or message['tool_calls']|length == 0) %}",
                with: "{%- if false %}")
        }
        return source
    }
}
