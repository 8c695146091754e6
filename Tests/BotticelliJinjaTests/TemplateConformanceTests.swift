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

    struct Expectations: Decodable {
        struct Conversation: Decodable {
            let name: String
            let messages: [[String: String]]
            let add_generation_prompt: Bool
            let enable_thinking: Bool
        }
        struct Outcome: Decodable {
            let prompt: String?
            let error: String?
        }
        struct Template: Decodable {
            let name: String
            let source: String
            let fixture: Bool
            let add_bos: Bool
            let add_eos: Bool
            let bos_token: String?
            let eos_token: String?
            let now: Double?
            let server_error: String?
            let cases: [String: Outcome]?
        }
        let cases: [Conversation]
        let templates: [Template]
    }

    @Test func rendersEveryTemplateLikeLlamaServer() throws {
        guard let path = ProcessInfo.processInfo.environment["BOTTICELLI_TEMPLATE_EXPECTATIONS"] else {
            Issue.record(
                """
                BOTTICELLI_TEMPLATE_EXPECTATIONS is not set. Produce the expectations with llama-server and point the \
                variable at them: scripts/template-expectations .build/template-expectations.json && \
                BOTTICELLI_TEMPLATE_EXPECTATIONS=.build/template-expectations.json swift test
                """)
            return
        }
        let expectations = try JSONDecoder().decode(
            Expectations.self, from: Data(contentsOf: URL(fileURLWithPath: path)))
        var matching = 0
        var fixtureMatches = false
        var report: [String] = []
        for entry in expectations.templates {
            let mismatches = self.mismatches(of: entry, conversations: expectations.cases)
            if mismatches.isEmpty {
                matching += 1
                fixtureMatches = fixtureMatches || entry.fixture
            } else {
                report.append("\(entry.name): " + mismatches.joined(separator: "; "))
            }
        }
        print("Jinja conformance: \(matching) of \(expectations.templates.count) templates match llama-server")
        for line in report { print("  mismatch: \(line)") }
        #expect(expectations.templates.contains { $0.fixture })
        #expect(fixtureMatches, "the fixture model's own template must render as llama-server renders it")
        #expect(matching >= Self.matchingFloor, "\(matching) templates match, fewer than \(Self.matchingFloor)")
    }

    private func mismatches(of entry: Expectations.Template, conversations: [Expectations.Conversation]) -> [String] {
        if let serverError = entry.server_error { return ["llama-server failed: \(serverError)"] }
        let template: ChatTemplate
        do {
            template = try ChatTemplate(source: entry.source)
        } catch {
            return ["does not parse: \(error)"]
        }
        var mismatches: [String] = []
        for conversation in conversations {
            guard let expected = entry.cases?[conversation.name] else { continue }
            let messages = conversation.messages.map {
                ChatMessage(role: $0["role"] ?? "", content: .string($0["content"] ?? ""))
            }
            let outcome = Result {
                try template.render(
                    messages: messages, addGenerationPrompt: conversation.add_generation_prompt,
                    bosToken: entry.bos_token ?? "", eosToken: entry.eos_token ?? "", addsBOSToken: entry.add_bos,
                    addsEOSToken: entry.add_eos, enableThinking: conversation.enable_thinking,
                    now: Date(timeIntervalSince1970: entry.now ?? 0))
            }
            switch (outcome, expected.prompt) {
            case (.success(let prompt), let wanted?) where prompt == wanted:
                continue
            case (.failure, nil):
                continue
            case (.success(let prompt), let wanted?):
                mismatches.append("\(conversation.name) differs \(Self.difference(prompt, wanted))")
            case (.success, nil):
                mismatches.append("\(conversation.name) rendered but llama-server failed: \(expected.error ?? "")")
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
