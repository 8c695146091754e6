import BotticelliCore

/// Finds and loads models for the ``ModelManager``. The command line supplies one over the model store and
/// llama.cpp; tests supply stand-ins.
public protocol ModelLoader: Sendable {
    /// The model file a client's name stands for, when it is on disk. Throws ``ModelLookupError`` (with a hint when
    /// the model is known but not downloaded).
    func locate(_ name: String) async throws -> LoadableModel
    /// Loads `model` when it fits in the memory left after `reservedBytes` (what the loaded models hold). Throws
    /// ``APIError`` with status 507 when it does not fit, or the load's own error.
    func load(_ model: LoadableModel, reservedBytes: UInt64) async throws -> LoadedEngine
    /// Stops an engine this loader made; its memory is freed once the last request holding it is done.
    func unload(_ engine: any InferenceEngine) async
    /// The models on disk a client could name.
    func available() async -> [ModelListing]
}

/// A model file the loader found.
public struct LoadableModel: Sendable, Hashable {
    public var id: String
    public var path: String

    public init(id: String, path: String) {
        self.id = id
        self.path = path
    }
}

/// An engine with the memory its model was estimated to need when it was loaded.
public struct LoadedEngine: Sendable {
    public var engine: any InferenceEngine
    public var memoryBytes: UInt64

    public init(engine: any InferenceEngine, memoryBytes: UInt64) {
        self.engine = engine
        self.memoryBytes = memoryBytes
    }
}
