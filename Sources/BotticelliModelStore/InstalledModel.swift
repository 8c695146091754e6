import BotticelliCore

/// A GGUF model file found in the cache, whoever put it there.
public struct InstalledModel: Sendable, Equatable {
    public var repo: String
    public var filename: String
    /// The snapshot path llama.cpp loads.
    public var path: String
    public var sizeBytes: Int64
    public var commit: String
    /// The branches and tags pointing at the snapshot (usually `main`).
    public var refs: [String]
    /// The registry entry for this file, if there is one.
    public var spec: ModelSpec?

    /// The name to use for it: the registry id, else `hf://org/repo/file.gguf`.
    public var name: String { spec?.id ?? "hf://\(repo)/\(filename)" }
}
