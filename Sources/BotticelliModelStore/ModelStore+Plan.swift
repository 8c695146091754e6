import BotticelliCore
import BotticelliHub
import Foundation

/// A file that a model consists of, as a pull reports it: its name, size and content digest.
public struct PlannedFile: Sendable, Equatable {
    public var repo: String
    public var filename: String
    public var sizeBytes: Int64
    /// The content's sha256 (the Hub's etag of an LFS file, the blob's name in the cache); nil when unknown.
    public var sha256: String?

    public init(repo: String, filename: String, sizeBytes: Int64, sha256: String?) {
        self.repo = repo
        self.filename = filename
        self.sizeBytes = sizeBytes
        self.sha256 = sha256
    }
}

extension ModelStore {
    /// What `fetch` would download for `source`, checked against the machine, without downloading anything: one
    /// request to the Hub (the file's HEAD, or the repository's listing). A server calls it before it answers, so
    /// that an unknown model or one that does not fit gets its own status rather than a line in a stream.
    ///
    /// - Throws: ``PreflightError`` when the model does not fit and `force` is false; `HubError` for the Hub's
    ///   answers (not found, gated, offline, unreachable); ``ModelStoreError`` for a local file.
    public func plan(
        _ source: ModelSource, force: Bool = false, contextLength: UInt64? = nil,
        resources: @autoclosure () -> SystemResources = .current()
    ) async throws -> [PlannedFile] {
        switch source {
        case .localFile(let path):
            throw ModelStoreError(.fileNotFound, "model file not found: \(path)")
        case .registry(let spec):
            let metadata = try await withDownloader { downloader in
                try await downloader.client.fileMetadata(
                    repo: spec.hfRepo, filename: spec.filename, revision: source.revision)
            }
            let estimate = MemoryEstimate(spec: spec, contextLength: contextLength)
            _ = try PreflightCheck.check(
                modelName: spec.id, estimate: estimate, downloadBytes: UInt64(max(0, metadata.size)),
                resources: resources(), freeDiskBytes: freeDiskBytes(), force: force)
            return [
                PlannedFile(repo: spec.hfRepo, filename: spec.filename, sizeBytes: metadata.size, sha256: metadata.etag)
            ]
        case .hubFile(let repo, let filename, let revision):
            let metadata = try await withDownloader { downloader in
                try await downloader.client.fileMetadata(repo: repo, filename: filename, revision: revision)
            }
            let bytes = UInt64(max(0, metadata.size))
            _ = try PreflightCheck.check(
                modelName: source.displayName, estimate: Self.estimate(fileBytes: bytes, contextLength: contextLength),
                downloadBytes: bytes, resources: resources(), freeDiskBytes: freeDiskBytes(), force: force)
            return [PlannedFile(repo: repo, filename: filename, sizeBytes: metadata.size, sha256: metadata.etag)]
        case .repository(let repo, let quantization, let revision):
            let selector = try RepositoryFileSelector(repo: repo, quantization: quantization)
            let listed = try await withDownloader { downloader in
                try await downloader.client.resolveModelFiles(selector, revision: revision)
            }
            let bytes = UInt64(listed.reduce(Int64(0)) { $0 + max(0, $1.size ?? 0) })
            _ = try PreflightCheck.check(
                modelName: source.displayName, estimate: Self.estimate(fileBytes: bytes, contextLength: contextLength),
                downloadBytes: bytes, resources: resources(), freeDiskBytes: freeDiskBytes(), force: force)
            return listed.map { file in
                PlannedFile(
                    repo: repo, filename: file.path, sizeBytes: file.lfs?.size ?? file.size ?? 0, sha256: file.lfs?.oid)
            }
        }
    }

    /// The cached files of a model found by ``locate(_:)``, with the digests their blobs are named by.
    public func cachedFiles(_ model: LocalModel, source: ModelSource) -> [PlannedFile] {
        let filename = source.filename ?? URL(fileURLWithPath: model.path).lastPathComponent
        var digest: String?
        if model.origin == .cache, let target = try? FileManager.default.destinationOfSymbolicLink(atPath: model.path) {
            digest = URL(fileURLWithPath: target).lastPathComponent
        }
        return [
            PlannedFile(repo: source.repo ?? "", filename: filename, sizeBytes: model.sizeBytes, sha256: digest)
        ]
    }
}

extension ModelSource {
    /// The file's name in its repository, when the source names one.
    public var filename: String? {
        switch self {
        case .registry(let spec): return spec.filename
        case .hubFile(_, let filename, _): return filename
        case .repository, .localFile: return nil
        }
    }
}
