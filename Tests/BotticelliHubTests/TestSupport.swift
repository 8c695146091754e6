import Foundation
import Logging

@testable import BotticelliHub

/// A fresh folder under the system's temporary folder, removed by `cleanUp()`.
struct TemporaryFolder: Sendable {
    let path: String

    init(_ label: String = "hub") {
        path = NSTemporaryDirectory() + "botticelli-\(label)-\(UUID().uuidString)"
        try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    func cleanUp() { try? FileManager.default.removeItem(atPath: path) }
}

/// Settings that make retries and stalls quick enough for tests.
func quickConfiguration(connections: Int = 4, chunkSize: Int64? = 256 << 10) -> DownloadConfiguration {
    var configuration = DownloadConfiguration()
    configuration.connections = connections
    configuration.chunkSize = chunkSize
    configuration.stallTimeout = .seconds(2)
    configuration.initialBackoff = .milliseconds(20)
    configuration.maximumBackoff = .milliseconds(200)
    configuration.attemptsWithoutProgress = 5
    configuration.checkpointInterval = .milliseconds(50)
    return configuration
}

/// Runs `body` with a stand-in hub, a client pointed at it and an empty cache, and tears all down.
func withHub<T: Sendable>(
    token: String? = nil, offline: Bool = false,
    _ body: @Sendable (StandInHub, HubClient, HubCache) async throws -> T
) async throws -> T {
    let folder = TemporaryFolder()
    defer { folder.cleanUp() }
    return try await StandInHub.run { hub in
        let environment = HubEnvironment(
            endpoint: hub.hubURL, token: token, offline: offline, cacheDirectory: folder.path + "/hub")
        var logger = Logger(label: "test")
        logger.logLevel = .warning
        let client = HubClient(environment: environment, logger: logger)
        do {
            let result = try await body(hub, client, HubCache(environment: environment))
            try await client.shutdown()
            return result
        } catch {
            try? await client.shutdown()
            throw error
        }
    }
}

func makeDownloader(
    _ client: HubClient, _ cache: HubCache, _ configuration: DownloadConfiguration = quickConfiguration()
) -> Downloader {
    var logger = Logger(label: "test")
    logger.logLevel = ProcessInfo.processInfo.environment["BOTTICELLI_TEST_LOG"] != nil ? .trace : .warning
    return Downloader(client: client, cache: cache, configuration: configuration, logger: logger)
}

/// The contents of a cached file, read through its symlink.
func contents(_ path: String) -> Data? { FileManager.default.contents(atPath: path) }

/// Writes `bytes` where huggingface_hub keeps a partial of the blob `etag` (in order from the start, no record),
/// and returns its path.
@discardableResult
func writeHuggingFaceHubPartial(_ bytes: Data, cache: HubCache, repo: String, etag: String) throws -> String {
    let partial = cache.incompletePath(repo: repo, etag: etag)
    try FileManager.default.createDirectory(
        atPath: (partial as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
    try bytes.write(to: URL(fileURLWithPath: partial))
    return partial
}

/// The blob files of a repository (complete ones only).
func blobNames(_ cache: HubCache, repo: String) -> [String] {
    ((try? FileManager.default.contentsOfDirectory(atPath: cache.repoDirectory(repo) + "/blobs")) ?? []).sorted()
}
