import BotticelliCore
import BotticelliEngine
import BotticelliModelStore
import Foundation
import Logging

/// `run <model>` without `--prompt`: a chat in the terminal, as `ollama run` has. Each line is a user message, the
/// reply streams as it is generated, and the conversation is kept (the engine reuses its prefix in the KV cache).
/// With standard input not a terminal, the whole input is one message and the reply is printed once.
struct ChatSession {
    let model: LocalModel
    let generation: GenerationOptions
    let hardware: HardwareOptions

    static let help = """
        Commands: /clear forgets the conversation, /bye (or Ctrl-D) leaves, /? shows this.

        """

    func run() async throws {
        var configuration = EngineConfiguration()
        configuration.parallelSequences = 1
        configuration.contextSize = hardware.effectiveContextSize
        configuration.threads = hardware.threads
        configuration.model = hardware.modelOptions
        let engine = try LlamaServingEngine(
            id: model.id, path: model.path, configuration: configuration, logger: Logger(label: "botticelli.chat"))
        defer { engine.shutdown() }
        let output = StandardOutput()
        guard isatty(STDIN_FILENO) != 0 else {
            let text = String(decoding: FileHandle.standardInput.readDataToEndOfFile(), as: UTF8.self)
            let message = text.trimmingCharacters(in: .whitespacesAndNewlines)
            guard !message.isEmpty else { throw ChatError.emptyInput }
            _ = try await reply(to: [ChatMessage(role: "user", content: message)], engine: engine, output: output)
            return
        }
        output.write("Chatting with \(model.id). " + Self.help)
        var history: [ChatMessage] = []
        while true {
            output.write(">>> ")
            guard let line = readLine() else {
                output.write("\n")
                return
            }
            let text = line.trimmingCharacters(in: .whitespaces)
            switch text {
            case "": continue
            case "/bye", "/exit", "/quit": return
            case "/clear":
                history = []
                output.write("Cleared the conversation.\n")
                continue
            case "/?", "/help":
                output.write(Self.help)
                continue
            default: break
            }
            history.append(ChatMessage(role: "user", content: text))
            let answer = try await reply(to: history, engine: engine, output: output)
            history.append(ChatMessage(role: "assistant", content: answer))
            output.write("\n")
        }
    }

    /// Streams the reply to `messages` and returns its text.
    private func reply(to messages: [ChatMessage], engine: LlamaServingEngine, output: StandardOutput) async throws
        -> String
    {
        let request = GenerationRequest(
            input: .chat(messages), maxTokens: generation.maxTokens,
            sampling: generation.samplingParameters)
        var answer = ""
        for try await event in try engine.generate(request) {
            if case .text(let text, _, _) = event {
                answer += text
                output.write(text)
            }
        }
        output.write("\n")
        return answer
    }
}

enum ChatError: Error, CustomStringConvertible {
    case emptyInput

    var description: String {
        "standard input was empty: pass --prompt, pipe a message in, or run in a terminal to chat"
    }
}
