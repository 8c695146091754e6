/// One message of a conversation, in the shape llama-server hands to chat templates.
public struct ChatMessage: Sendable, Equatable {
    public var role: String
    /// A string, or a list of typed parts such as `[{"type": "text", "text": "…"}]`.
    public var content: JinjaValue
    /// Reasoning shown to templates as `reasoning_content` (and `thinking` where a template expects it).
    public var reasoningContent: String?
    /// Further fields, such as `name`, `tool_call_id` or `tool_calls`, added after the standard ones.
    public var additionalFields: JinjaObject

    public init(
        role: String, content: JinjaValue, reasoningContent: String? = nil,
        additionalFields: JinjaObject = JinjaObject()
    ) {
        self.role = role
        self.content = content
        self.reasoningContent = reasoningContent
        self.additionalFields = additionalFields
    }

    public static func system(_ text: String) -> ChatMessage { ChatMessage(role: "system", content: .string(text)) }
    public static func user(_ text: String) -> ChatMessage { ChatMessage(role: "user", content: .string(text)) }
    public static func assistant(_ text: String) -> ChatMessage {
        ChatMessage(role: "assistant", content: .string(text))
    }

    /// The message as a template sees it: `role`, `content`, then `reasoning_content` and the other fields.
    public var templateValue: JinjaObject {
        var object = JinjaObject()
        object["role"] = .string(role)
        object["content"] = content
        if let reasoningContent, !reasoningContent.isEmpty { object["reasoning_content"] = .string(reasoningContent) }
        for (key, value) in additionalFields.pairs where object[key] == nil { object[key] = value }
        return object
    }
}
