extension Downloader {
    /// Resolves `org/name[:QUANT]` and downloads its GGUF file(s): every part of a split model, in order.
    ///
    /// Offline, or under `.preferCache` when the cached snapshot of `revision` already holds the whole model, the
    /// cache's own listing answers and no request is made.
    public func download(
        model reference: RepositoryFileSelector, revision: String = "main",
        progress: (@Sendable (DownloadProgress) -> Void)? = nil
    ) async throws -> [DownloadedFile] {
        let offline = client.environment.offline
        let files: [HubRepoFile]
        if offline || configuration.cachePolicy == .preferCache,
            let cached = try cache.cachedModelFiles(reference, revision: revision)
        {
            files = cached
        } else if offline {
            throw HubError(
                .notCachedOffline,
                "no GGUF file of \(reference) at \(revision) is in the cache, and offline (HF_HUB_OFFLINE is set); "
                    + "looked in \(cache.repoDirectory(reference.repo))/snapshots. Unset HF_HUB_OFFLINE to download it")
        } else {
            files = try await client.resolveModelFiles(reference, revision: revision)
        }
        var downloaded: [DownloadedFile] = []
        for file in files {
            downloaded.append(
                try await download(repo: reference.repo, filename: file.path, revision: revision, progress: progress))
        }
        return downloaded
    }
}
