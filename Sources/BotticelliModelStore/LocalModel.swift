import BotticelliCore

/// A model file on this machine, ready to load.
public struct LocalModel: Sendable, Equatable {
    /// How the file got here.
    public enum Origin: String, Sendable, Equatable, Codable {
        /// Already in the cache: no request was made.
        case cache
        /// Downloaded (or finished downloading) by this call.
        case download
        /// A file the user named by its path.
        case localFile = "local"
    }

    /// The name the model is served under.
    public var id: String
    /// The file llama.cpp loads: a snapshot path in the cache, or the user's own file.
    public var path: String
    public var sizeBytes: Int64
    public var origin: Origin
    /// The registry entry, when the file is one.
    public var spec: ModelSpec?

    public init(id: String, path: String, sizeBytes: Int64, origin: Origin, spec: ModelSpec? = nil) {
        self.id = id
        self.path = path
        self.sizeBytes = sizeBytes
        self.origin = origin
        self.spec = spec
    }
}
