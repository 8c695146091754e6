import Foundation
import Logging

/// A file that is in the cache now.
public struct DownloadedFile: Sendable, Equatable {
    public enum Source: Sendable, Equatable {
        /// Found in the cache (put there by us, huggingface_hub or llama.cpp).
        case cache
        /// Transferred by this call (or by a concurrent download of the same blob this call waited for).
        case network
    }

    /// The snapshot path (`snapshots/<commit>/<filename>`), a symlink to the blob.
    public var path: String
    public var commit: String
    public var size: Int64
    public var source: Source
}

/// Downloads files from the Hub into the shared cache: parallel ranged requests, resumable across crashes,
/// verified against the Hub's checksum before the blob appears, one writer per blob across processes.
public final class Downloader: Sendable {
    public let client: HubClient
    public let cache: HubCache
    public let configuration: DownloadConfiguration
    let logger: Logger

    public init(
        client: HubClient, cache: HubCache? = nil, configuration: DownloadConfiguration = DownloadConfiguration(),
        logger: Logger = Logger(label: "botticelli.download")
    ) {
        self.client = client
        self.cache = cache ?? HubCache(environment: client.environment)
        self.configuration = configuration
        self.logger = logger
    }

    /// Returns the cached file, downloading it first when needed.
    ///
    /// Throws ``HubError`` (each with a message that says what to do) or `CancellationError`. A cancelled or
    /// failed download keeps its partial file and resumes on the next call.
    public func download(
        repo: String, filename: String, revision: String = "main",
        progress: (@Sendable (DownloadProgress) -> Void)? = nil
    ) async throws -> DownloadedFile {
        try HubNames.validateRepo(repo)
        try HubNames.validateFilename(filename)
        try HubNames.validateRevision(revision)
        let offline = client.environment.offline
        if offline || configuration.cachePolicy == .preferCache, let found = try cached(repo, filename, revision) {
            return found
        }
        if offline {
            if cache.isKnownMissing(repo: repo, filename: filename, revision: revision) {
                throw HubError(
                    .entryNotFound,
                    "\(filename) does not exist in \(repo) at \(revision): the Hub said so earlier "
                        + "(recorded under \(cache.repoDirectory(repo))/.no_exist)")
            }
            throw offlineMiss(repo: repo, filename: filename, revision: revision)
        }

        let metadata: HubFileMetadata
        do {
            metadata = try await metadataRetrying(repo: repo, filename: filename, revision: revision)
        } catch {
            // Cancelled while asking: the HTTP client reports it as a failed connection, the retries as their last
            // error. The caller asked to stop, and is told that, not that the network is down.
            try Task.checkCancellation()
            if error.code == .entryNotFound, let commit = error.commit, HubCache.isCommitHash(commit) {
                // As huggingface_hub does: remember the absence, so that offline runs know it without asking.
                try? cache.markMissing(repo: repo, commit: commit, filename: filename)
                try? cache.writeRef(repo: repo, revision: revision, commit: commit)
            }
            // As huggingface_hub does: when the Hub cannot be reached, a cached copy still answers.
            if error.code == .networkFailure, let found = try cached(repo, filename, revision) { return found }
            throw error
        }

        let blobPath = cache.blobPath(repo: repo, etag: metadata.etag)
        if FileSystem.size(blobPath) != metadata.size {
            let lock = try await FileLock.acquire(path: cache.lockPath(repo: repo, etag: metadata.etag)) {
                progress?(
                    DownloadProgress(
                        repo: repo, filename: filename, phase: .waitingForLock, completedBytes: 0,
                        totalBytes: metadata.size))
            }
            defer { withExtendedLifetime(lock) {} }
            // Another process may have finished the blob while this one waited for the lock.
            if FileSystem.size(blobPath) != metadata.size {
                try await transfer(repo: repo, filename: filename, metadata: metadata, progress: progress)
            }
        }
        try cache.linkSnapshot(repo: repo, commit: metadata.commit, filename: filename, etag: metadata.etag)
        try cache.writeRef(repo: repo, revision: revision, commit: metadata.commit)
        progress?(
            DownloadProgress(
                repo: repo, filename: filename, phase: .finished, completedBytes: metadata.size,
                totalBytes: metadata.size))
        return DownloadedFile(
            path: cache.snapshotPath(repo: repo, commit: metadata.commit, filename: filename),
            commit: metadata.commit, size: metadata.size, source: .network)
    }

    /// The HEAD, retried a few times on connection errors, 408, 429 and 5xx: a flaky link should not fail a pull
    /// before it starts, and an unreachable Hub should fall back to the cache soon.
    private func metadataRetrying(repo: String, filename: String, revision: String) async throws(HubError)
        -> HubFileMetadata
    {
        var attempt = 0
        while true {
            attempt += 1
            do {
                return try await client.fileMetadata(repo: repo, filename: filename, revision: revision)
            } catch {
                let transient = error.code == .networkFailure || error.code == .serverBusy
                guard transient, attempt < configuration.metadataAttempts, !Task.isCancelled else { throw error }
                logger.info("\(filename): \(error.message); retry \(attempt)")
                try? await Task.sleep(for: configuration.backoff(attempt: attempt))
            }
        }
    }

    private func cached(_ repo: String, _ filename: String, _ revision: String) throws(HubError) -> DownloadedFile? {
        guard let path = try cache.cachedFile(repo: repo, filename: filename, revision: revision),
            let commit = cache.commit(repo: repo, revision: revision)
        else { return nil }
        return DownloadedFile(path: path, commit: commit, size: FileSystem.size(path) ?? 0, source: .cache)
    }

    private func offlineMiss(repo: String, filename: String, revision: String) -> HubError {
        let lookedFor =
            cache.commit(repo: repo, revision: revision).map {
                cache.snapshotPath(repo: repo, commit: $0, filename: filename)
            } ?? cache.refPath(repo: repo, revision: revision)
        return HubError(
            .notCachedOffline,
            "\(filename) of \(repo) at \(revision) is not in the cache, and offline (HF_HUB_OFFLINE is set); "
                + "looked for \(lookedFor). Unset HF_HUB_OFFLINE to download it")
    }
}
