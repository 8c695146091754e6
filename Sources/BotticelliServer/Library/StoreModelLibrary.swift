import BotticelliCore
import BotticelliHub
import BotticelliModelStore
import Foundation

/// The model library over the ``ModelStore`` that `start` uses: the same registry, cache folder and offline setting.
public struct StoreModelLibrary: ModelLibrary {
    let store: ModelStore
    let contextLength: UInt64?

    /// - Parameter contextLength: the context the server runs with, for the memory estimate of a pulled model.
    public init(store: ModelStore, contextLength: UInt64? = nil) {
        self.store = store
        self.contextLength = contextLength
    }

    public func preparePull(name: String) async throws -> PullPlan {
        try await Self.translatingErrors {
            let source = try store.resolve(name)
            if let local = try store.locate(source) {
                return PullPlan(
                    name: name, files: store.cachedFiles(local, source: source).map { PullPlan.File($0) },
                    isCached: true)
            }
            if case .localFile(let path) = source {
                throw ModelLibraryError(.notFound, "model file not found: \(path)")
            }
            if store.environment.offline {
                throw ModelLibraryError(
                    .notFound,
                    "\(source.displayName) is not in the cache (\(store.cache.root)), and the server is offline "
                        + "(HF_HUB_OFFLINE is set); download it where there is a network, or start the server online")
            }
            let files = try await store.plan(source, contextLength: contextLength)
            return PullPlan(name: name, files: files.map { PullPlan.File($0) }, isCached: false)
        }
    }

    public func pull(_ plan: PullPlan, progress: @escaping @Sendable (DownloadProgress) -> Void) async throws {
        guard !plan.isCached else { return }
        try await Self.translatingErrors {
            // preparePull checked the fit already; a second refusal here would only repeat it mid-stream.
            _ = try await store.fetch(
                try store.resolve(plan.name), force: true, contextLength: contextLength, progress: progress)
        }
    }

    public func delete(name: String, servedPaths: [String]) async throws {
        try await Self.translatingErrors {
            let source = try store.resolve(name)
            if case .localFile(let path) = source {
                throw ModelLibraryError(
                    .notRemovable, "\(path) is a file on disk, not a model in the cache; delete it yourself if you wish"
                )
            }
            guard let local = try store.locate(source) else {
                throw ModelLibraryError(.notFound, "model '\(name)' not found")
            }
            let served = Set(servedPaths.map(Self.realPath))
            if served.contains(Self.realPath(local.path)) {
                throw ModelLibraryError(
                    .notRemovable,
                    "model '\(name)' is being served by this server; stop the server (or start it with another "
                        + "model) before deleting it")
            }
            do {
                try store.remove(source)
            } catch let error as ModelStoreError where error.kind == .notCached {
                throw ModelLibraryError(.notFound, "model '\(name)' not found")
            }
        }
    }

    public func catalog() async -> ModelCatalog {
        store.catalog(contextLength: contextLength)
    }

    private static func realPath(_ path: String) -> String {
        URL(fileURLWithPath: path).resolvingSymlinksInPath().path
    }

    /// Runs `body`, turning the store's, the Hub's and the pre-flight check's errors into ``ModelLibraryError``.
    static func translatingErrors<Result: Sendable>(_ body: () async throws -> Result) async throws -> Result {
        do {
            return try await body()
        } catch let error as ModelLibraryError {
            throw error
        } catch let error as CancellationError {
            throw error
        } catch let error as ModelReferenceError {
            throw ModelLibraryError(.invalidName, error.description)
        } catch let error as ModelStoreError {
            throw ModelLibraryError(kind(of: error), error.message)
        } catch let error as PreflightError {
            let memory = error.failures.contains { if case .memory = $0 { true } else { false } }
            throw ModelLibraryError(memory ? .doesNotFitMemory : .doesNotFitDisk, error.description)
        } catch let error as HubError {
            throw ModelLibraryError(kind(of: error), error.message)
        } catch {
            throw ModelLibraryError(.failed, "\(error)")
        }
    }

    static func kind(of error: ModelStoreError) -> ModelLibraryError.Kind {
        switch error.kind {
        case .unknownModel, .fileNotFound, .notCached: .notFound
        case .checksumMismatch: .hubUnavailable
        case .notRemovable: .notRemovable
        }
    }

    static func kind(of error: HubError) -> ModelLibraryError.Kind {
        switch error.code {
        case .invalidName: .invalidName
        case .repoNotFound, .revisionNotFound, .entryNotFound, .noMatchingFile, .notCachedOffline: .notFound
        case .gatedRepo, .unauthorized, .forbidden: .forbidden
        case .insufficientDiskSpace: .doesNotFitDisk
        case .unexpectedStatus, .serverBusy, .networkFailure, .invalidResponse, .checksumMismatch, .sizeMismatch,
            .gaveUp:
            .hubUnavailable
        case .fileSystem: .failed
        }
    }
}

extension PullPlan.File {
    init(_ file: PlannedFile) {
        self.init(filename: file.filename, sizeBytes: file.sizeBytes, sha256: file.sha256)
    }
}
