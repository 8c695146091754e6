import BotticelliHub
import BotticelliModelStore

/// Where the server's pull and delete routes get and remove models. The command line supplies one over the model
/// store (``StoreModelLibrary``); route tests supply stand-ins.
///
/// A pull has two steps so that the answer's status can say what went wrong: ``preparePull(name:)`` resolves the
/// name and checks that the model fits before a byte is sent to the client, ``pull(_:progress:)`` downloads.
public protocol ModelLibrary: Sendable {
    /// Resolves `name`, finds it in the cache or asks the Hub what it consists of, and checks it fits this machine.
    /// Throws ``ModelLibraryError``.
    func preparePull(name: String) async throws -> PullPlan
    /// Downloads what `plan` lists (nothing when it is cached), reporting progress; honours cancellation, keeping
    /// what was downloaded so that the next pull resumes. Throws ``ModelLibraryError`` or `CancellationError`.
    func pull(_ plan: PullPlan, progress: @escaping @Sendable (DownloadProgress) -> Void) async throws
    /// Removes `name` from the cache, unless it is one of `servedPaths` (the files loaded now). Throws
    /// ``ModelLibraryError``.
    func delete(name: String, servedPaths: [String]) async throws
    /// The registry with how each model fits this machine and whether it is downloaded (the web page's table).
    func catalog() async -> ModelCatalog
}

/// What a pull will fetch.
public struct PullPlan: Sendable, Equatable {
    /// One file of the model.
    public struct File: Sendable, Equatable {
        public var filename: String
        public var sizeBytes: Int64
        /// The content's sha256 in hex, when known.
        public var sha256: String?

        public init(filename: String, sizeBytes: Int64, sha256: String?) {
            self.filename = filename
            self.sizeBytes = sizeBytes
            self.sha256 = sha256
        }
    }

    /// The name as the client gave it.
    public var name: String
    public var files: [File]
    /// True when every file is on disk already: the pull downloads nothing.
    public var isCached: Bool

    public init(name: String, files: [File], isCached: Bool) {
        self.name = name
        self.files = files
        self.isCached = isCached
    }
}
