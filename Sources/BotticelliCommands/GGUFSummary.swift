import BotticelliCore

/// What a GGUF header says about a model, as `models info` shows it.
struct GGUFSummary: Encodable {
    var path: String
    var fileSizeBytes: UInt64
    var ggufVersion: UInt32
    var architecture: String?
    var modelName: String?
    var quantization: String?
    var parameterCount: UInt64
    var contextLength: UInt64?
    var embeddingLength: UInt64?
    var layerCount: UInt64?
    var headCount: UInt64?
    var keyValueHeadCount: UInt64?
    var tokenizerModel: String?
    var vocabularySize: Int?
    var tensorCount: Int
    var metadataKeyCount: Int
    var hasChatTemplate: Bool
    var memoryAt4096Tokens: UInt64

    init(path: String, file: GGUFFile) {
        self.path = path
        fileSizeBytes = file.fileSize
        ggufVersion = file.version
        architecture = file.architecture
        modelName = file.modelName
        quantization = file.quantization?.name
        parameterCount = file.parameterCount
        contextLength = file.contextLength
        embeddingLength = file.embeddingLength
        layerCount = file.blockCount
        headCount = file.headCount
        keyValueHeadCount = file.keyValueHeadCount
        tokenizerModel = file.tokenizerModel
        vocabularySize = file.vocabularySize
        tensorCount = file.tensors.count
        metadataKeyCount = file.metadata.count
        hasChatTemplate = file.chatTemplate != nil
        memoryAt4096Tokens = MemoryEstimate(file: file, contextLength: 4096).totalBytes
    }

    /// `key: value` lines for the terminal.
    var lines: [(String, String)] {
        func text(_ value: (some CustomStringConvertible)?) -> String { value.map(\.description) ?? "unknown" }
        return [
            ("file", path),
            ("file size", ByteCount.format(fileSizeBytes)),
            ("GGUF version", "\(ggufVersion)"),
            ("architecture", text(architecture)),
            ("model name", text(modelName)),
            ("quantization", text(quantization)),
            ("parameters", Self.parameters(parameterCount)),
            ("context length", text(contextLength)),
            ("embedding length", text(embeddingLength)),
            ("layers", text(layerCount)),
            ("attention heads", "\(text(headCount)) (key/value: \(text(keyValueHeadCount)))"),
            ("tokenizer", "\(text(tokenizerModel)), \(text(vocabularySize)) tokens"),
            ("chat template", hasChatTemplate ? "yes" : "none (a generic one is used)"),
            ("tensors", "\(tensorCount), \(metadataKeyCount) metadata keys"),
            ("memory at 4096 tokens", ByteCount.format(memoryAt4096Tokens)),
        ]
    }

    static func parameters(_ count: UInt64) -> String {
        count >= 1_000_000_000
            ? String(format: "%.1fB", Double(count) / 1e9) : String(format: "%.0fM", Double(count) / 1e6)
    }
}
