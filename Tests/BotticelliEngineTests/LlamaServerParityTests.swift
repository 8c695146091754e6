import BotticelliCore
import BotticelliEngine
import BotticelliTestSupport
import Foundation
import Testing

/// Greedy output of our engine against llama-server built from the same source, on the same model.
@Suite("Parity with llama-server", .serialized)
struct LlamaServerParityTests {
    static let rawPrompts = [
        "The capital of France is",
        "def add(a, b):\n    return",
        "Les fleurs du printemps sont",
        "Q: What is 12 times 12?\nA:",
    ]

    static let conversations: [[ChatMessage]] = [
        [ChatMessage(role: "user", content: "Hi")],
        [
            ChatMessage(role: "system", content: "You answer in one short sentence."),
            ChatMessage(role: "user", content: "What is the boiling point of water?"),
        ],
        [
            ChatMessage(role: "user", content: "Name a colour."),
            ChatMessage(role: "assistant", content: "Blue."),
            ChatMessage(role: "user", content: "Name another one."),
        ],
    ]

    static func llamaServer() throws -> ServerProcess {
        try ServerProcess(
            executable: try Fixtures.llamaTool("llama-server"),
            arguments: [
                "-m", try Fixtures.smolLM2(), "--port", "{port}", "--host", "127.0.0.1", "-c", "4096", "-np", "1",
                "-t", "2", "--jinja", "--no-webui",
            ])
    }

    @Test("raw prompts: the same tokens as llama-server's /completion")
    func rawPromptParity() async throws {
        let server = try Self.llamaServer()
        defer { server.stop(grace: .milliseconds(200)) }
        let engine = try EngineFixture.engine(parallel: 1)
        for prompt in Self.rawPrompts {
            let reply = try HTTP.request(
                "POST", server.url("/completion"),
                json: [
                    "prompt": prompt, "n_predict": 32, "temperature": 0, "return_tokens": true, "cache_prompt": false,
                ]
            ).json()
            let expectedTokens = (reply["tokens"] as? [Int])?.map(Int32.init) ?? []
            let ours = try await engine.complete(prompt, maxTokens: 32)
            #expect(ours.text == reply["content"] as? String, "\(prompt)")
            #expect(ours.tokens == expectedTokens, "\(prompt)")
        }
    }

    @Test("chat conversations: the same reply as llama-server's chat completions")
    func chatParity() async throws {
        let server = try Self.llamaServer()
        defer { server.stop(grace: .milliseconds(200)) }
        let engine = try EngineFixture.engine(parallel: 1)
        for conversation in Self.conversations {
            let reply = try HTTP.request(
                "POST", server.url("/v1/chat/completions"),
                json: [
                    "messages": conversation.map { ["role": $0.role, "content": $0.content] },
                    "max_tokens": 32, "temperature": 0,
                ]
            ).json()
            let choices = try #require(reply["choices"] as? [[String: Any]])
            let expected = try #require((choices.first?["message"] as? [String: Any])?["content"] as? String)
            let ours = try await engine.complete(
                GenerationRequest(input: .chat(conversation), maxTokens: 32, sampling: .greedy))
            #expect(ours.text == expected, "\(conversation)")
            let rendered = try HTTP.request(
                "POST", server.url("/apply-template"),
                json: ["messages": conversation.map { ["role": $0.role, "content": $0.content] }]
            ).json()
            #expect(
                try await engine.renderChat(conversation, addGenerationPrompt: true) == rendered["prompt"] as? String)
        }
    }
}
