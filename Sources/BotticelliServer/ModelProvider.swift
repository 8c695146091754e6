import BotticelliCore
import Foundation

/// Where the server gets engines from. The command line supplies one over the model manager; tests supply stand-ins.
public protocol ModelProvider: Sendable {
    /// The engine for `name`; nil or empty means the default model. Throws `ModelLookupError` for unknown names.
    func engine(for name: String?) async throws -> any InferenceEngine
    /// Every model a client may name, loaded or not.
    func listModels() async -> [ModelListing]
    /// The models loaded now.
    func loadedModels() async -> [ServedModel]
}

/// A model as the listing routes show it.
public struct ModelListing: Sendable, Hashable {
    public var id: String
    public var sizeBytes: Int64
    public var modified: Date
    public var quantization: String
    public var family: String
    public var parameterSize: String

    public init(
        id: String, sizeBytes: Int64, modified: Date, quantization: String, family: String, parameterSize: String
    ) {
        self.id = id
        self.sizeBytes = sizeBytes
        self.modified = modified
        self.quantization = quantization
        self.family = family
        self.parameterSize = parameterSize
    }
}

/// A name that matches no model.
public struct ModelLookupError: Error, Sendable, CustomStringConvertible {
    public var name: String
    public var available: [String]

    public init(name: String, available: [String]) {
        self.name = name
        self.available = available
    }

    public var description: String {
        "the model '\(name)' is not available here; available: \(available.joined(separator: ", "))"
    }
}

/// Serves one loaded engine under its id (and the file name it was loaded from).
public struct SingleModelProvider: ModelProvider {
    public let engine: any InferenceEngine
    private let loadedAt = Date()

    public init(engine: any InferenceEngine) {
        self.engine = engine
    }

    public func engine(for name: String?) async throws -> any InferenceEngine {
        guard let name, !name.isEmpty else { return engine }
        let model = engine.model
        let fileName = URL(fileURLWithPath: model.path).lastPathComponent
        let accepted = [model.id, fileName, fileName.replacingOccurrences(of: ".gguf", with: "")]
        // Ollama clients add a ":latest" tag when none is given.
        let bare = name.hasSuffix(":latest") ? String(name.dropLast(7)) : name
        guard accepted.contains(bare) else { throw ModelLookupError(name: name, available: [model.id]) }
        return engine
    }

    public func listModels() async -> [ModelListing] {
        let model = engine.model
        return [
            ModelListing(
                id: model.id, sizeBytes: model.sizeBytes, modified: loadedAt, quantization: model.quantization,
                family: model.architecture, parameterSize: ParameterCount.describe(model.parameterCount))
        ]
    }

    public func loadedModels() async -> [ServedModel] {
        [engine.model]
    }
}

/// Parameter counts as people write them: 135M, 7.2B.
enum ParameterCount {
    static func describe(_ count: UInt64) -> String {
        switch count {
        case 0: "unknown"
        case ..<1_000_000_000: String(format: "%.0fM", Double(count) / 1e6)
        default: String(format: "%.1fB", Double(count) / 1e9)
        }
    }
}
