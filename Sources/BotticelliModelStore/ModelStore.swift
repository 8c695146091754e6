import BotticelliCore
import BotticelliHub
import Foundation
import Logging

/// Where models come from and where they live: the registry, the Hub cache shared with huggingface_hub and
/// llama.cpp, and files the user names by path. The command line and the server's pull and delete endpoints
/// both go through it.
public final class ModelStore: Sendable {
    public let registry: ModelRegistry
    public let environment: HubEnvironment
    public let cache: HubCache
    public let downloadConfiguration: DownloadConfiguration
    let logger: Logger

    /// - Parameter cacheDirectory: overrides the Hub cache folder of `environment` (`--cache-dir`, `cache_dir`).
    public init(
        registry: ModelRegistry, environment: HubEnvironment, cacheDirectory: String? = nil,
        downloadConfiguration: DownloadConfiguration = DownloadConfiguration(),
        logger: Logger = Logger(label: "botticelli.models")
    ) {
        var environment = environment
        if let cacheDirectory { environment.cacheDirectory = Self.expandingTilde(cacheDirectory) }
        self.registry = registry
        self.environment = environment
        self.cache = HubCache(environment: environment)
        self.downloadConfiguration = downloadConfiguration
        self.logger = logger
    }

    /// Parses a reference (registry id, `org/repo[:QUANT]`, `hf://…`, or a `.gguf` path) and looks it up.
    public func resolve(_ text: String, revision: String? = nil) throws -> ModelSource {
        switch try ModelReference(parsing: text) {
        case .registry(let id):
            guard let spec = registry.model(id: id) else { throw unknownModel(id) }
            guard let revision else { return .registry(spec) }
            var pinned = spec
            pinned.revision = revision
            pinned.sha256 = revision == spec.revision ? spec.sha256 : nil
            return .registry(pinned)
        case .repository(let repo, let quantization):
            return .repository(repo: repo, quantization: quantization?.name, revision: revision ?? "main")
        case .hubFile(let repo, let path, let pathRevision):
            return .hubFile(repo: repo, filename: path, revision: revision ?? pathRevision ?? "main")
        case .localFile(let path):
            return .localFile(path: Self.absolutePath(Self.expandingTilde(path)))
        }
    }

    /// The model's file when it is on disk already; no request is made.
    public func locate(_ source: ModelSource) throws -> LocalModel? {
        switch source {
        case .registry(let spec):
            guard let path = try cache.cachedFile(repo: spec.hfRepo, filename: spec.filename, revision: source.revision)
            else { return nil }
            return LocalModel(id: spec.id, path: path, sizeBytes: Self.size(path), origin: .cache, spec: spec)
        case .repository(let repo, let quantization, let revision):
            let selector = try RepositoryFileSelector(repo: repo, quantization: quantization)
            guard let first = try cache.cachedModelFiles(selector, revision: revision)?.first,
                let path = try cache.cachedFile(repo: repo, filename: first.path, revision: revision)
            else { return nil }
            return LocalModel(
                id: source.displayName, path: path, sizeBytes: Self.size(path), origin: .cache,
                spec: registry.model(repo: repo, filename: first.path))
        case .hubFile(let repo, let filename, let revision):
            guard let path = try cache.cachedFile(repo: repo, filename: filename, revision: revision) else {
                return nil
            }
            return LocalModel(
                id: source.displayName, path: path, sizeBytes: Self.size(path), origin: .cache,
                spec: registry.model(repo: repo, filename: filename))
        case .localFile(let path):
            guard FileManager.default.fileExists(atPath: path) else { return nil }
            return LocalModel(id: source.displayName, path: path, sizeBytes: Self.size(path), origin: .localFile)
        }
    }

    /// Free bytes where downloads go (the cache folder, or its nearest existing parent); nil when unknown.
    public func freeDiskBytes() -> UInt64? {
        try? DiskSpace.freeBytes(at: cache.root)
    }

    private func unknownModel(_ id: String) -> ModelStoreError {
        let ids = registry.models.map(\.id)
        let stem = id.split(separator: "-").first.map(String.init) ?? id
        let close = ids.filter { candidate in
            let candidateStem = candidate.split(separator: "-").first.map(String.init) ?? candidate
            return candidate.contains(id) || EditDistance.between(candidate, id) <= 3
                || EditDistance.between(candidateStem, stem) <= 1
        }
        let hint = close.isEmpty ? "" : " Did you mean: \(close.prefix(5).joined(separator: ", "))?"
        return ModelStoreError(
            .unknownModel,
            "'\(id)' is not in the registry.\(hint) See `botticelli_server models list --all`, or name a Hugging "
                + "Face repository (org/repo:Q4_K_M), an hf://org/repo/file.gguf URL, or a path to a .gguf file")
    }

    /// The size of the file `path` names; a snapshot's symbolic link is followed to its blob (on Linux,
    /// `attributesOfItem` reports the link's own size).
    static func size(_ path: String) -> Int64 {
        let target = URL(fileURLWithPath: path).resolvingSymlinksInPath().path
        let attributes = try? FileManager.default.attributesOfItem(atPath: target)
        return (attributes?[.size] as? NSNumber)?.int64Value ?? 0
    }

    static func expandingTilde(_ path: String) -> String {
        guard path == "~" || path.hasPrefix("~/") else { return path }
        return NSHomeDirectory() + path.dropFirst()
    }

    static func absolutePath(_ path: String) -> String {
        path.hasPrefix("/") ? path : FileManager.default.currentDirectoryPath + "/" + path
    }
}

extension ModelRegistry {
    /// The entry for a file of a repository, if the registry has one.
    public func model(repo: String, filename: String) -> ModelSpec? {
        models.first { $0.hfRepo.lowercased() == repo.lowercased() && $0.filename == filename }
    }
}
