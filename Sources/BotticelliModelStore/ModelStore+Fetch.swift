import BotticelliCore
import BotticelliHub
import Foundation

extension ModelStore {
    /// Returns the model's file, downloading it first when it is not in the cache.
    ///
    /// Before any byte is downloaded, the model is checked against the machine: one that does not fit memory or
    /// disk is refused with a ``PreflightError`` unless `force` is set. Tight fits come back through `warn`.
    public func fetch(
        _ source: ModelSource, force: Bool = false, contextLength: UInt64? = nil,
        resources: @autoclosure () -> SystemResources = .current(),
        warn: @Sendable (String) -> Void = { _ in },
        progress: (@Sendable (DownloadProgress) -> Void)? = nil
    ) async throws -> LocalModel {
        if let found = try locate(source) { return found }
        switch source {
        case .localFile(let path):
            throw ModelStoreError(.fileNotFound, "model file not found: \(path)")
        case .registry(let spec):
            if !environment.offline {
                let estimate = MemoryEstimate(spec: spec, contextLength: contextLength)
                try preflight(spec.id, estimate, spec.downloadSizeBytes, resources(), force, warn)
            }
            let file = try await withDownloader { downloader in
                try await downloader.download(
                    repo: spec.hfRepo, filename: spec.filename, revision: source.revision, progress: progress)
            }
            try verifyPin(spec, file)
            return LocalModel(id: spec.id, path: file.path, sizeBytes: file.size, origin: origin(file), spec: spec)
        case .repository(let repo, let quantization, let revision):
            let selector = try RepositoryFileSelector(repo: repo, quantization: quantization)
            let files = try await withDownloader { downloader in
                if !environment.offline {
                    let listed = try await downloader.client.resolveModelFiles(selector, revision: revision)
                    let bytes = UInt64(listed.reduce(Int64(0)) { $0 + max(0, $1.size ?? 0) })
                    let estimate = Self.estimate(fileBytes: bytes, contextLength: contextLength)
                    try preflight(source.displayName, estimate, bytes, resources(), force, warn)
                }
                return try await downloader.download(model: selector, revision: revision, progress: progress)
            }
            guard let first = files.first else {
                throw ModelStoreError(.notCached, "\(repo) has no GGUF file for \(quantization ?? "the default")")
            }
            return LocalModel(
                id: source.displayName, path: first.path, sizeBytes: files.reduce(0) { $0 + $1.size },
                origin: origin(first), spec: registry.model(repo: repo, filename: first.path))
        case .hubFile(let repo, let filename, let revision):
            let file = try await withDownloader { downloader in
                if !environment.offline {
                    let metadata = try await downloader.client.fileMetadata(
                        repo: repo, filename: filename, revision: revision)
                    let bytes = UInt64(max(0, metadata.size))
                    let estimate = Self.estimate(fileBytes: bytes, contextLength: contextLength)
                    try preflight(source.displayName, estimate, bytes, resources(), force, warn)
                }
                return try await downloader.download(
                    repo: repo, filename: filename, revision: revision, progress: progress)
            }
            return LocalModel(
                id: source.displayName, path: file.path, sizeBytes: file.size, origin: origin(file),
                spec: registry.model(repo: repo, filename: filename))
        }
    }

    /// Checks a model file on disk against the machine's memory before it is loaded, from its GGUF header.
    ///
    /// - Returns: warnings for a tight fit (or a forced one).
    /// - Throws: ``PreflightError`` when it does not fit and `force` is false; `GGUFError` for a bad file.
    public func checkFits(
        _ model: LocalModel, contextLength: UInt64?, resources: SystemResources = .current(), force: Bool = false
    ) throws -> [String] {
        let estimate = try memoryEstimate(model, contextLength: contextLength)
        return try PreflightCheck.check(
            modelName: model.id, estimate: estimate, downloadBytes: 0, resources: resources, freeDiskBytes: nil,
            force: force)
    }

    /// The memory `model` needs at `contextLength` tokens, from its GGUF header. Throws the reader's error for a file
    /// that is not a readable GGUF model.
    public func memoryEstimate(_ model: LocalModel, contextLength: UInt64?) throws -> MemoryEstimate {
        MemoryEstimate(file: try GGUFReader.read(path: model.path), contextLength: contextLength, fallback: model.spec)
    }

    /// Runs `body` with a downloader whose HTTP client is shut down afterwards, whatever happens.
    public func withDownloader<Result: Sendable>(
        _ body: (Downloader) async throws -> Result
    ) async throws -> Result {
        let client = HubClient(environment: environment, logger: logger)
        let downloader = Downloader(
            client: client, cache: cache, configuration: downloadConfiguration, logger: logger)
        do {
            let result = try await body(downloader)
            try await client.shutdown()
            return result
        } catch {
            try? await client.shutdown()
            throw error
        }
    }

    /// The memory a GGUF file of unknown shape needs: its weights, a conservative KV cache for the parameter count
    /// such a file holds at about 4.8 bits per weight (Q4_K_M), and the usual overhead.
    static func estimate(fileBytes: UInt64, contextLength: UInt64?) -> MemoryEstimate {
        let context = contextLength ?? MemoryEstimate.defaultContextLength
        let parameters = Double(fileBytes) / 0.6
        let cache = parameters * MemoryEstimate.conservativeCacheBytesPerParameterPerToken * Double(context)
        return MemoryEstimate(
            weightsBytes: fileBytes, keyValueCacheBytes: cache >= 1e18 ? UInt64(1e18) : UInt64(cache),
            overheadBytes: MemoryEstimate.overhead(weightsBytes: fileBytes), contextLength: context)
    }

    private func preflight(
        _ name: String, _ estimate: MemoryEstimate, _ downloadBytes: UInt64, _ resources: SystemResources,
        _ force: Bool, _ warn: (String) -> Void
    ) throws {
        let warnings = try PreflightCheck.check(
            modelName: name, estimate: estimate, downloadBytes: downloadBytes, resources: resources,
            freeDiskBytes: freeDiskBytes(), force: force)
        warnings.forEach(warn)
    }

    private func origin(_ file: DownloadedFile) -> LocalModel.Origin {
        file.source == .cache ? .cache : .download
    }

    /// A registry entry that pins a sha256 accepts only that content: the blob's name is the verified etag.
    private func verifyPin(_ spec: ModelSpec, _ file: DownloadedFile) throws {
        guard let pinned = spec.sha256?.lowercased(),
            let target = try? FileManager.default.destinationOfSymbolicLink(atPath: file.path)
        else { return }
        let blob = (target as NSString).lastPathComponent.lowercased()
        guard blob != pinned else { return }
        try? cache.removeFile(repo: spec.hfRepo, filename: spec.filename, revision: file.commit)
        throw ModelStoreError(
            .checksumMismatch,
            "\(spec.hfRepo)/\(spec.filename) at \(spec.revision ?? "main") has sha256 \(blob), but the registry pins "
                + "\(pinned) for \(spec.id); the file was removed. The repository changed: name the file with "
                + "hf://\(spec.hfRepo)/\(spec.filename) to use the new content")
    }
}
