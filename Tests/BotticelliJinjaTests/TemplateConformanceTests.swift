import Foundation
import Testing

@testable import BotticelliJinja

/// Compares this engine with llama-server on every chat template shipped in llama.cpp's source tree.
///
/// The expectations come from `scripts/template-expectations FILE` (which runs llama-server); the test reads
/// FILE from `BOTTICELLI_TEMPLATE_EXPECTATIONS`.
@Suite("llama-server conformance")
struct TemplateConformanceTests {
    /// Templates (of those recorded) whose every conversation renders byte for byte as llama-server renders it.
    static let matchingFloor = 71

    /// One recorded conversation: the body of an `/apply-template` request.
    struct Conversation {
        let name: String
        let messages: [ChatMessage]
        let tools: JinjaValue?
        let addGenerationPrompt: Bool
        let enableThinking: Bool

        init(_ value: JinjaValue) {
            name = value["name"].text
            tools = value["tools"]
            addGenerationPrompt = value["add_generation_prompt"] == .bool(true)
            enableThinking = value["enable_thinking"] == .bool(true)
            messages = value["messages"].list.map { message in
                var extra = JinjaObject()
                if case .object(let fields) = message {
                    for (key, field) in fields.pairs where key != "role" && key != "content" { extra[key] = field }
                }
                return ChatMessage(
                    role: message["role"].text, content: message["content"] ?? .string(""), additionalFields: extra)
            }
        }
    }

    @Test func rendersEveryTemplateLikeLlamaServer() throws {
        guard let document = try Self.loadExpectations() else { return }
        let conversations = document["cases"].list.map(Conversation.init)
        let templates = document["templates"].list
        var matching = 0
        var fixtureMatches = false
        var report: [String] = []
        for entry in templates {
            let mismatches = self.mismatches(of: entry, conversations: conversations)
            if mismatches.isEmpty {
                matching += 1
                fixtureMatches = fixtureMatches || entry["fixture"] == .bool(true)
            } else {
                report.append("\(entry["name"].text): " + mismatches.joined(separator: "; "))
            }
        }
        print("Jinja conformance: \(matching) of \(templates.count) templates match llama-server")
        for line in report { print("  mismatch: \(line)") }
        #expect(templates.contains { $0["fixture"] == .bool(true) })
        #expect(fixtureMatches, "the fixture model's own template must render as llama-server renders it")
        #expect(matching >= Self.matchingFloor, "\(matching) templates match, fewer than \(Self.matchingFloor)")
    }

    /// The expectations file named by `BOTTICELLI_TEMPLATE_EXPECTATIONS`; records a failure when it is not set.
    static func loadExpectations() throws -> JinjaValue? {
        guard let path = ProcessInfo.processInfo.environment["BOTTICELLI_TEMPLATE_EXPECTATIONS"] else {
            Issue.record(
                """
                BOTTICELLI_TEMPLATE_EXPECTATIONS is not set. Produce the expectations with llama.cpp and point the \
                variable at them: scripts/template-expectations "$PWD/.build/template-expectations.json" && \
                BOTTICELLI_TEMPLATE_EXPECTATIONS="$PWD/.build/template-expectations.json" swift test
                """)
            return nil
        }
        return try JSONReader.parse(String(decoding: Data(contentsOf: URL(fileURLWithPath: path)), as: UTF8.self))
    }

    private func mismatches(of entry: JinjaValue, conversations: [Conversation]) -> [String] {
        if entry["server_error"] != nil { return ["llama-server failed: \(entry["server_error"].text)"] }
        let template: ChatTemplate
        do {
            template = try ChatTemplate(source: entry["source"].text)
        } catch {
            return ["does not parse: \(error)"]
        }
        var now = Date(timeIntervalSince1970: 0)
        if case .double(let seconds) = entry["now"] { now = Date(timeIntervalSince1970: seconds) }
        var mismatches: [String] = []
        if case .object(let serverCapabilities) = entry["caps"] {
            let expected = ChatTemplateCapabilities(
                supportsSystemRole: serverCapabilities["supports_system_role"] == .bool(true),
                supportsStringContent: serverCapabilities["supports_string_content"] == .bool(true),
                supportsTypedContent: serverCapabilities["supports_typed_content"] == .bool(true),
                supportsToolCalls: serverCapabilities["supports_tool_calls"] == .bool(true),
                supportsObjectArguments: serverCapabilities["supports_object_arguments"] == .bool(true))
            if template.capabilities != expected {
                mismatches.append("capabilities \(template.capabilities), llama-server \(expected)")
            }
        }
        for conversation in conversations {
            guard let expected = entry["cases"]?[conversation.name] else { continue }
            let outcome = Result {
                try template.render(
                    messages: conversation.messages, addGenerationPrompt: conversation.addGenerationPrompt,
                    bosToken: entry["bos_token"].text, eosToken: entry["eos_token"].text,
                    addsBOSToken: entry["add_bos"] == .bool(true), addsEOSToken: entry["add_eos"] == .bool(true),
                    tools: conversation.tools, enableThinking: conversation.enableThinking, now: now)
            }
            let wantedPrompt: String? = expected["prompt"] == nil ? nil : expected["prompt"].text
            switch (outcome, wantedPrompt) {
            case (.success(let prompt), let wanted?) where prompt == wanted:
                continue
            case (.failure, nil):
                continue
            case (.success(let prompt), let wanted?):
                mismatches.append("\(conversation.name) differs \(Self.difference(prompt, wanted))")
            case (.success, nil):
                mismatches.append("\(conversation.name) rendered but llama-server failed: \(expected["error"].text)")
            case (.failure(let error), _):
                mismatches.append("\(conversation.name) failed: \(error)")
            }
        }
        return mismatches
    }

    /// Where two renders part: the byte offset and a little of each side.
    private static func difference(_ actual: String, _ expected: String) -> String {
        let left = Array(actual.utf8)
        let right = Array(expected.utf8)
        var index = 0
        while index < min(left.count, right.count) && left[index] == right[index] { index += 1 }
        func excerpt(_ bytes: [UInt8]) -> String {
            String(decoding: bytes[min(index, bytes.count)..<min(index + 40, bytes.count)], as: UTF8.self)
                .debugDescription
        }
        return "at byte \(index): got \(excerpt(left)), llama-server \(excerpt(right))"
    }
}

extension Optional where Wrapped == JinjaValue {
    subscript(key: String) -> JinjaValue? {
        guard case .object(let object) = self else { return nil }
        return object[key]
    }

    var text: String {
        if case .string(let text) = self { return text }
        return ""
    }

    var list: [JinjaValue] {
        if case .array(let items) = self { return items }
        return []
    }
}

extension JinjaValue {
    subscript(key: String) -> JinjaValue? { Optional(self)[key] }
}
