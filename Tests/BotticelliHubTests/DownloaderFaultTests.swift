import Foundation
import Testing

@testable import BotticelliHub

/// Each fault ends with a verified blob or with no blob, never a wrong one.
@Suite struct DownloaderFaultTests {
    static let repo = "org/model"
    static let name = "m.gguf"
    static let size = 1_500_000

    /// Downloads with `fault` injected and checks the cache holds exactly the right blob.
    @discardableResult
    func expectRecovery(
        from fault: HubFault, times: Int = 1, configuration: DownloadConfiguration = quickConfiguration()
    ) async throws -> Duration {
        try await withHub { hub, client, cache in
            let file = await hub.add(repo: Self.repo, path: Self.name, content: StandInHub.content(size: Self.size))
            await hub.inject(fault, times: times, repo: Self.repo, path: Self.name)
            let start = ContinuousClock.now
            let downloaded = try await makeDownloader(client, cache, configuration)
                .download(repo: Self.repo, filename: Self.name)
            let elapsed = ContinuousClock.now - start
            #expect(contents(downloaded.path) == file.content)
            #expect(blobNames(cache, repo: Self.repo) == [file.etag])
            return elapsed
        }
    }

    @Test func droppedConnectionResumesTheChunk() async throws {
        try await expectRecovery(from: .dropAfter(100_000), times: 3)
    }

    @Test func serverErrorsAreRetried() async throws {
        try await expectRecovery(from: .status(500, retryAfter: nil), times: 3)
    }

    @Test func rateLimitHonoursRetryAfter() async throws {
        let elapsed = try await expectRecovery(from: .status(429, retryAfter: 1))
        #expect(elapsed >= .seconds(1))
    }

    @Test func stallIsDetectedAndReconnected() async throws {
        // The stalled reply would last 60 s; the 1 s stall timeout reconnects long before.
        var configuration = quickConfiguration()
        configuration.stallTimeout = .seconds(1)
        let elapsed = try await expectRecovery(
            from: .stall(afterBytes: 50_000, seconds: 60), configuration: configuration)
        #expect(elapsed < .seconds(30))
    }

    @Test func ignoredRangeFallsBackToOneStream() async throws {
        try await withHub { hub, client, cache in
            let file = await hub.add(repo: Self.repo, path: Self.name, content: StandInHub.content(size: Self.size))
            await hub.inject(.ignoreRange, times: 1000, repo: Self.repo, path: Self.name)
            let downloaded = try await makeDownloader(client, cache).download(repo: Self.repo, filename: Self.name)
            #expect(contents(downloaded.path) == file.content)
            #expect(blobNames(cache, repo: Self.repo) == [file.etag])
        }
    }

    @Test func staleRangeIsDiscarded() async throws {
        try await expectRecovery(from: .rangeNotSatisfiable)
    }

    @Test func wrongBytesLeaveNoBlob() async throws {
        try await withHub { hub, client, cache in
            await hub.add(repo: Self.repo, path: Self.name, content: StandInHub.content(size: Self.size))
            await hub.inject(.wrongBytes, times: 1, repo: Self.repo, path: Self.name)
            let error = await #expect(throws: HubError.self) {
                try await makeDownloader(client, cache, quickConfiguration(chunkSize: 4 << 20))
                    .download(repo: Self.repo, filename: Self.name)
            }
            #expect(error?.code == .checksumMismatch)
            #expect(error?.message.contains("removed") == true)
            #expect(blobNames(cache, repo: Self.repo).isEmpty)
            // The next run starts anew and succeeds.
            let downloaded = try await makeDownloader(client, cache).download(repo: Self.repo, filename: Self.name)
            #expect(FileSystem.size(downloaded.path) == Int64(Self.size))
        }
    }

    @Test func persistentFailureGivesUpKeepingThePartial() async throws {
        try await withHub { hub, client, cache in
            let file = await hub.add(repo: Self.repo, path: Self.name, content: StandInHub.content(size: Self.size))
            await hub.inject(.status(503, retryAfter: nil), times: 1000, repo: Self.repo, path: Self.name)
            let error = await #expect(throws: HubError.self) {
                try await makeDownloader(client, cache).download(repo: Self.repo, filename: Self.name)
            }
            #expect(error?.code == .gaveUp)
            #expect(error?.message.contains("run the command again") == true)
            #expect(!FileManager.default.fileExists(atPath: cache.blobPath(repo: Self.repo, etag: file.etag)))
        }
    }

    @Test func failingMetadataRequestsAreRetried() async throws {
        try await withHub { hub, client, cache in
            let file = await hub.add(repo: Self.repo, path: Self.name, content: StandInHub.content(size: 1000))
            await hub.state.inject(.status(503, retryAfter: nil), times: 2, key: "HEAD \(Self.repo)/\(Self.name)")
            let downloaded = try await makeDownloader(client, cache).download(repo: Self.repo, filename: Self.name)
            #expect(contents(downloaded.path) == file.content)
            await hub.state.inject(.status(503, retryAfter: nil), times: 100, key: "HEAD \(Self.repo)/other.gguf")
            await hub.add(repo: Self.repo, path: "other.gguf", content: Data([1]))
            let error = await #expect(throws: HubError.self) {
                try await makeDownloader(client, cache).download(repo: Self.repo, filename: "other.gguf")
            }
            #expect(error?.code == .serverBusy)
        }
    }

    /// Found by DownloadFaultSequenceTests: a download cancelled while its HEAD failed or was retried threw a
    /// network error ("could not reach …: CancellationError(); check the network connection") or the last 503.
    @Test func cancellingDuringTheMetadataRequestIsACancellation() async throws {
        try await withHub { hub, client, cache in
            await hub.add(repo: Self.repo, path: Self.name, content: StandInHub.content(size: 1000))
            await hub.state.inject(.status(503, retryAfter: nil), times: 1000, key: "HEAD \(Self.repo)/\(Self.name)")
            var configuration = quickConfiguration()
            configuration.metadataAttempts = 1000
            let downloader = makeDownloader(client, cache, configuration)
            let task = Task { try await downloader.download(repo: Self.repo, filename: Self.name) }
            try await Task.sleep(for: .milliseconds(150))
            task.cancel()
            await #expect(throws: CancellationError.self) { try await task.value }
        }
    }
}
