import BotticelliTestSupport
import Foundation
import Testing

/// `botticelli_server run`, driven through the real executable.
@Suite("run command")
struct RunCommandTests {
    static func botticelli(_ arguments: [String]) throws -> ProcessResult {
        try ProcessRunner.run(try Fixtures.botticelliBinary(), arguments)
    }

    @Test("prints the greedy continuation and a summary on stderr")
    func greedyContinuation() throws {
        let result = try Self.botticelli([
            "run", try Fixtures.smolLM2(), "--prompt", "The capital of France is", "--max-tokens", "8",
            "--temperature", "0",
        ])
        #expect(result.status == 0, "\(result.standardError)")
        #expect(result.standardOutput.hasPrefix(" Paris"))
        #expect(result.standardError.contains("8 tokens in"))
        #expect(result.standardError.contains("tokens/s"))
    }

    @Test("the repetition penalty sees the prompt, as in llama.cpp's programs")
    func penaltySeesThePrompt() throws {
        let prompt = "Paris, Paris, Paris. The capital of France is"
        let plain = try Self.botticelli([
            "run", try Fixtures.smolLM2(), "--prompt", prompt, "--max-tokens", "4", "--temperature", "0",
        ])
        let penalised = try Self.botticelli([
            "run", try Fixtures.smolLM2(), "--prompt", prompt, "--max-tokens", "4", "--temperature", "0",
            "--repeat-penalty", "2",
        ])
        #expect(plain.standardOutput.hasPrefix(" Paris"), "\(plain.standardOutput)")
        // " Paris" is in the prompt three times: penalised, the first token is another one.
        #expect(!penalised.standardOutput.hasPrefix(" Paris"), "\(penalised.standardOutput)")
    }

    @Test("llama.cpp's other samplers: a seed gives the same text again")
    func otherSamplers() throws {
        for flags in [
            ["--mirostat", "2", "--mirostat-ent", "4"], ["--typical", "0.8", "--xtc-probability", "0.5"],
            ["--dry-multiplier", "0.8", "--dry-sequence-breaker", "\n", "--top-nsigma", "1.5"],
            ["--dynatemp-range", "0.5", "--repeat-last-n", "-1", "--presence-penalty", "0.5"],
        ] {
            let arguments =
                ["run", try Fixtures.smolLM2(), "--prompt", "Once upon a time", "--max-tokens", "12", "--seed", "9"]
                + flags
            let first = try Self.botticelli(arguments)
            let second = try Self.botticelli(arguments)
            #expect(first.status == 0, "\(flags): \(first.standardError)")
            #expect(!first.standardOutput.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty, "\(flags)")
            #expect(first.standardOutput == second.standardOutput, "\(flags)")
        }
    }

    @Test("a missing model file exits 1 with the path in the message")
    func missingModel() throws {
        let result = try Self.botticelli(["run", "/nonexistent/model.gguf", "--prompt", "Hi"])
        #expect(result.status == 1)
        #expect(result.standardError.contains("model file not found: /nonexistent/model.gguf"))
    }

    @Test("a file that is not GGUF exits 1 and says so")
    func notGGUF() throws {
        let path = NSTemporaryDirectory() + "botticelli-not-a-model-\(UUID().uuidString).gguf"
        try Data("not a model".utf8).write(to: URL(fileURLWithPath: path))
        defer { try? FileManager.default.removeItem(atPath: path) }
        let result = try Self.botticelli(["run", path, "--prompt", "Hi"])
        #expect(result.status == 1)
        #expect(result.standardError.contains("is not a GGUF model file"))
    }

    @Test(
        "usage errors exit 2",
        arguments: [
            ["run"], ["run", "x.gguf", "--prompt", "Hi", "--temperature", "-1"], ["--bogus"],
            ["run", "x.gguf", "--prompt", "Hi", "--mirostat", "3"],
            ["run", "x.gguf", "--prompt", "Hi", "--xtc-probability", "1.5"],
            ["run", "x.gguf", "--prompt", "Hi", "--dry-base", "0.5"],
            ["run", "x.gguf", "--prompt", "Hi", "--repeat-last-n", "-2"],
        ])
    func usageErrors(arguments: [String]) throws {
        let result = try Self.botticelli(arguments)
        #expect(result.status == 2, "\(arguments): \(result.standardError)")
        #expect(!result.standardError.isEmpty)
    }

    @Test("--version and --help exit 0")
    func versionAndHelp() throws {
        let version = try Self.botticelli(["--version"])
        #expect(version.status == 0)
        #expect(version.standardOutput.contains("0.1.0"))
        let help = try Self.botticelli(["run", "--help"])
        #expect(help.status == 0)
        #expect(help.standardOutput.contains("--max-tokens"))
    }

    @Test("without --prompt, piped standard input is one chat message; the reply is printed")
    func pipedChat() throws {
        let result = try ProcessRunner.run(
            try Fixtures.botticelliBinary(),
            ["run", try Fixtures.smolLM2(), "--temperature", "0", "--max-tokens", "24"],
            standardInput: "What is the capital of France? Answer in one word.\n")
        #expect(result.status == 0, "\(result.standardError)")
        #expect(result.standardOutput.contains("Paris"))
    }

    @Test("without --prompt on a terminal: a chat that keeps the conversation, /clear, /bye")
    func terminalChat() throws {
        let command = [
            try Fixtures.botticelliBinary(), "run", try Fixtures.smolLM2(), "--temperature", "0", "--max-tokens", "16",
        ].map { "'\($0)'" }.joined(separator: " ")
        let result = try ProcessRunner.run(
            "/usr/bin/script", ["-qfec", command, "/dev/null"], environment: ["TERM": "dumb"],
            standardInput: "Hi\n/clear\n/bye\n")
        let screen = result.standardOutput.replacingOccurrences(of: "\r\n", with: "\n")
        #expect(result.status == 0, "\(screen)")
        #expect(screen.contains("Chatting with SmolLM2-135M-Instruct.Q4_1."))
        #expect(screen.contains(">>> Hello!"))
        #expect(screen.contains(">>> Cleared the conversation."))
    }
}
