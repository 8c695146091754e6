import BotticelliCore
import Foundation

/// Where the server gets engines from. The command line supplies one over the model manager; tests supply stand-ins.
public protocol ModelProvider: Sendable {
    /// The engine for `name`; nil or empty means the default model. Throws `ModelLookupError` for unknown names.
    func engine(for name: String?) async throws -> any InferenceEngine
    /// The same, and how long to keep the model loaded once idle (Ollama's `keep_alive` in seconds: negative is
    /// forever, 0 unloads it after this request); nil keeps the server's default.
    func engine(for name: String?, keepAlive: Double?) async throws -> any InferenceEngine
    /// Every model a client may name, loaded or not.
    func listModels() async -> [ModelListing]
    /// The models loaded now.
    func loadedModels() async -> [ServedModel]
    /// The engines loaded now, for status and metrics; asking does not count as using them.
    func loadedEngines() async -> [any InferenceEngine]
    /// When each loaded model will be unloaded if no request comes; nil for never.
    func expiry(of model: ServedModel) async -> Date?
}

extension ModelProvider {
    public func engine(for name: String?, keepAlive: Double?) async throws -> any InferenceEngine {
        try await engine(for: name)
    }

    public func expiry(of model: ServedModel) async -> Date? { nil }
}

extension ServedModel {
    /// Whether a client's `name` means this model: its id, or its file's name with or without `.gguf`. Ollama
    /// clients add a `:latest` tag when none is given.
    public func answers(to name: String) -> Bool {
        let fileName = URL(fileURLWithPath: path).lastPathComponent
        let bare = name.hasSuffix(":latest") ? String(name.dropLast(7)) : name
        return [id, fileName, fileName.replacingOccurrences(of: ".gguf", with: "")].contains(bare)
    }
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

extension ModelListing {
    /// A loaded model as the listing routes show it.
    public init(_ model: ServedModel, modified: Date = Date()) {
        self.init(
            id: model.id, sizeBytes: model.sizeBytes, modified: modified, quantization: model.quantization,
            family: model.architecture, parameterSize: ParameterCount.describe(model.parameterCount))
    }
}

/// A name that matches no model.
public struct ModelLookupError: Error, Sendable, CustomStringConvertible {
    public var name: String
    public var available: [String]
    /// What to do instead, when there is more to say than the list (a model known but not downloaded).
    public var hint: String?

    public init(name: String, available: [String], hint: String? = nil) {
        self.name = name
        self.available = available
        self.hint = hint
    }

    public var description: String {
        hint ?? "the model '\(name)' is not available here; available: \(available.joined(separator: ", "))"
    }
}

extension APIError {
    static func modelNotFound(_ error: ModelLookupError) -> APIError {
        APIError(.notFound, error.description, param: "model", code: "model_not_found")
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
        guard engine.model.answers(to: name) else { throw ModelLookupError(name: name, available: [engine.model.id]) }
        return engine
    }

    public func listModels() async -> [ModelListing] {
        let model = engine.model
        return [
            ModelListing(model, modified: loadedAt)
        ]
    }

    public func loadedModels() async -> [ServedModel] {
        [engine.model]
    }

    public func loadedEngines() async -> [any InferenceEngine] {
        [engine]
    }
}

/// Parameter counts as people write them: 135M, 7.2B.
public enum ParameterCount {
    public static func describe(_ count: UInt64) -> String {
        switch count {
        case 0: "unknown"
        case ..<1_000_000_000: String(format: "%.0fM", Double(count) / 1e6)
        default: String(format: "%.1fB", Double(count) / 1e9)
        }
    }
}
