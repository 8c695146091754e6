import ArgumentParser
import BotticelliCore
import BotticelliEngine
import BotticelliLlama
import Foundation

/// `run <model> --prompt …`: one-shot generation in the terminal.
struct RunCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Continue a prompt with a model, or chat with it in the terminal (no --prompt).",
        discussion: """
            Prints the generated text on standard output and a one-line summary (tokens, tokens/s) on standard error.
            The model is a registry id, org/repo[:QUANT], hf://org/repo/file.gguf or a path to a .gguf file; one that
            is not cached is downloaded first.
            Example: botticelli_server run smollm2-135m-instruct-q4_1 --prompt "The capital of France is" --max-tokens 8
            """
    )

    @Argument(help: "A registry id, org/repo[:QUANT], hf://org/repo/file.gguf, or a path to a .gguf file.")
    var model: String

    @Option(
        name: .long, help: "The text to continue. Without it: a chat in the terminal, or standard input as one message."
    )
    var prompt: String?

    @OptionGroup var generation: GenerationOptions
    @OptionGroup var hardware: HardwareOptions
    @OptionGroup var store: StoreOptions
    @OptionGroup var global: GlobalOptions

    func run() async throws {
        let local = try await ModelPreparation.prepare(
            model, store: try store.makeStore(), contextSize: hardware.effectiveContextSize, force: hardware.force)
        guard let prompt else {
            try await ChatSession(model: local, generation: generation, hardware: hardware).run()
            return
        }
        let loaded = try LlamaModel(path: local.path, options: hardware.modelOptions)
        let context = try LlamaContext(model: loaded, options: hardware.contextOptions(sequences: 1))
        let completion = LlamaCompletion(context: context)
        let output = StandardOutput()
        let summary = try completion.generate(
            prompt: prompt, maxTokens: generation.maxTokens ?? 128,
            sampling: generation.samplerOptions(sequenceContextSize: context.sequenceContextSize)
        ) { text in
            output.write(text)
        }
        output.write("\n")
        StandardError.write(
            String(
                format: "%d tokens in %.2f s, %.1f tokens/s (prompt: %d tokens, %.1f tokens/s), finish: %@\n",
                summary.generatedTokens, summary.generationSeconds, summary.generatedTokensPerSecond,
                summary.promptTokens, summary.promptTokensPerSecond, summary.finishReason.rawValue))
    }
}
