import BotticelliLlama
import BotticelliTestSupport
import Foundation
import Testing

@Suite("Errors are typed and clear")
struct LlamaErrorTests {
    static func temporaryFile(_ contents: Data) throws -> String {
        let path = FileManager.default.temporaryDirectory
            .appendingPathComponent("botticelli-\(UUID().uuidString).gguf").path
        try contents.write(to: URL(fileURLWithPath: path))
        return path
    }

    @Test("a missing file")
    func missingFile() {
        let error = #expect(throws: LlamaError.self) { try LlamaModel(path: "/nonexistent/model.gguf") }
        #expect(error?.kind == .fileNotFound)
        #expect(error?.description.contains("/nonexistent/model.gguf") == true)
    }

    @Test("a directory is not a model file")
    func directory() {
        let error = #expect(throws: LlamaError.self) { try LlamaModel(path: NSTemporaryDirectory()) }
        #expect(error?.kind == .fileNotFound)
    }

    @Test("a file that is not GGUF", arguments: [Data("hello, this is text".utf8), Data()])
    func notGGUF(contents: Data) throws {
        let path = try Self.temporaryFile(contents)
        defer { try? FileManager.default.removeItem(atPath: path) }
        let error = #expect(throws: LlamaError.self) { try LlamaModel(path: path) }
        #expect(error?.kind == .notGGUF)
        #expect(error?.description.contains("not a GGUF model file") == true)
    }

    @Test("a truncated model fails to load without a crash")
    func truncated() throws {
        let fixture = try FileHandle(forReadingFrom: URL(fileURLWithPath: try Fixtures.smolLM2()))
        let head = try #require(try fixture.read(upToCount: 1 << 20))
        try fixture.close()
        let path = try Self.temporaryFile(head)
        defer { try? FileManager.default.removeItem(atPath: path) }
        let error = #expect(throws: LlamaError.self) { try LlamaModel(path: path) }
        #expect(error?.kind == .modelLoadFailed)
        #expect(error?.description.contains("download it again") == true)
    }

    @Test("a decode failure is thrown, not a crash")
    func decodeFailure() throws {
        let context = try LlamaContext(model: try SharedModel.smolLM2(), options: .init(contextSize: 256, sequences: 1))
        let batch = LlamaBatch(capacity: 4)
        // Sequence 5 does not exist in a one-sequence context: llama.cpp rejects the batch.
        batch.add(1, position: 0, sequence: 5, wantsOutput: true)
        let error = #expect(throws: LlamaError.self) { try context.decode(batch) }
        #expect(error?.kind == .decodeFailed)
    }

    @Test("a prompt longer than the context names both numbers")
    func promptTooLong() throws {
        // llama.cpp rounds small contexts up (to 256 here); the message names the size it really has.
        let context = try LlamaContext(model: try SharedModel.smolLM2(), options: .init(contextSize: 64))
        let prompt = String(repeating: "word ", count: context.sequenceContextSize + 50)
        let error = #expect(throws: LlamaError.self) {
            try LlamaCompletion(context: context).generate(prompt: prompt, maxTokens: 4, sampling: .greedy) { _ in }
        }
        #expect(error?.kind == .contextFull)
        #expect(error?.description.contains("\(context.sequenceContextSize)") == true)
        #expect(error?.description.contains("but the context holds \(context.sequenceContextSize)") == true)
    }

    @Test("invalid context options are refused")
    func invalidOptions() throws {
        let model = try SharedModel.smolLM2()
        #expect(throws: LlamaError.self) { try LlamaContext(model: model, options: .init(threads: 0)) }
        #expect(throws: LlamaError.self) { try LlamaContext(model: model, options: .init(sequences: 0)) }
    }
}
