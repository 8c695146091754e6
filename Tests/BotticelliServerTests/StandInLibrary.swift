import BotticelliCore
import BotticelliHub
import BotticelliModelStore
import BotticelliServer
import Foundation

/// A model library with scripted answers, named by the model: "org/model" downloads in four steps, "cached" is on
/// disk, "unknown" and "huge" are refused, "broken" fails mid-download, "endless" downloads until cancelled.
final class StandInLibrary: ModelLibrary, @unchecked Sendable {
    // @unchecked: the mutable state is guarded by `lock`.
    static let digest = String(repeating: "0123456789abcdef", count: 4)
    static let size: Int64 = 1000
    private let lock = NSLock()
    private var deletedNames: [String] = []
    private var wasCancelled = false
    private var cachedNames: Set<String> = ["cached", "stand-in"]

    var deleted: [String] { lock.withLock { deletedNames } }
    var cancelled: Bool { lock.withLock { wasCancelled } }

    func preparePull(name: String) async throws -> PullPlan {
        switch name {
        case "unknown":
            throw ModelLibraryError(.notFound, "'unknown' is not in the registry; see `botticelli_server models list`")
        case "huge":
            throw ModelLibraryError(.doesNotFitDisk, "huge does not fit this machine: its download needs 1 TB")
        case "bad\u{1}name":
            throw ModelLibraryError(.invalidName, "the name contains a control character")
        default:
            let file = PullPlan.File(filename: "model.gguf", sizeBytes: Self.size, sha256: Self.digest)
            return PullPlan(name: name, files: [file], isCached: lock.withLock { cachedNames.contains(name) })
        }
    }

    /// The built-in registry on a 16 GB, 4-core machine with an empty cache.
    func catalog() async -> ModelCatalog {
        // The built-in registry is a bundled resource that the registry tests load; it cannot fail here.
        let store = ModelStore(
            registry: try! ModelRegistry.builtIn(),
            environment: HubEnvironment(offline: true, cacheDirectory: NSTemporaryDirectory() + "stand-in-\(UUID())"))
        return store.catalog(
            resources: SystemResources(
                hostTotalMemoryBytes: 16 << 30, hostAvailableMemoryBytes: 12 << 30, cpuCoreCount: 4))
    }

    func pull(_ plan: PullPlan, progress: @escaping @Sendable (DownloadProgress) -> Void) async throws {
        guard !plan.isCached else { return }
        func report(_ phase: DownloadProgress.Phase, _ completed: Int64) {
            progress(
                DownloadProgress(
                    repo: "org/model", filename: "model.gguf", phase: phase, completedBytes: completed,
                    totalBytes: Self.size))
        }
        switch plan.name {
        case "broken":
            report(.downloading, 100)
            try await Task.sleep(for: .milliseconds(20))
            throw ModelLibraryError(.hubUnavailable, "the Hub closed the connection; pull again to resume")
        case "endless":
            do {
                var completed: Int64 = 0
                while true {
                    completed = min(completed + 1, Self.size - 1)
                    report(.downloading, completed)
                    try await Task.sleep(for: .milliseconds(5))
                }
            } catch {
                lock.withLock { wasCancelled = true }
                throw error
            }
        default:
            for completed in stride(from: Int64(0), through: Self.size, by: 250) {
                report(.downloading, completed)
                try await Task.sleep(for: .milliseconds(5))
            }
            report(.verifying, Self.size)
            report(.finished, Self.size)
            lock.withLock { _ = cachedNames.insert(plan.name) }
        }
    }

    func delete(name: String, servedPaths: [String]) async throws {
        if servedPaths.contains("/models/\(name).gguf") {
            throw ModelLibraryError(.notRemovable, "model '\(name)' is being served by this server")
        }
        if name.hasPrefix("/") {
            throw ModelLibraryError(.notRemovable, "\(name) is a file on disk, not a model in the cache")
        }
        try lock.withLock {
            guard cachedNames.remove(name) != nil else {
                throw ModelLibraryError(.notFound, "model '\(name)' not found")
            }
            deletedNames.append(name)
        }
    }
}
