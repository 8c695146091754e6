import Foundation
import Testing

@testable import BotticelliHub

@Suite struct DownloaderTests {
    @Test func downloadsIntoTheHubLayout() async throws {
        try await withHub { hub, client, cache in
            let file = await hub.add(
                repo: "org/model", path: "sub/dir/m.gguf", content: StandInHub.content(size: 1_000_000))
            let downloaded = try await makeDownloader(client, cache).download(
                repo: "org/model", filename: "sub/dir/m.gguf")
            #expect(downloaded.source == .network)
            #expect(downloaded.commit == StandInHub.commit)
            #expect(contents(downloaded.path) == file.content)
            let link = try FileManager.default.destinationOfSymbolicLink(atPath: downloaded.path)
            #expect(link == "../../../../blobs/\(file.etag)")
            let ref = try String(contentsOfFile: cache.refPath(repo: "org/model", revision: "main"), encoding: .utf8)
            #expect(ref == StandInHub.commit)
            #expect(blobNames(cache, repo: "org/model") == [file.etag])
            #expect(FileManager.default.fileExists(atPath: cache.lockPath(repo: "org/model", etag: file.etag)))
        }
    }

    @Test func secondDownloadIsAnsweredByTheCacheWithoutARequest() async throws {
        try await withHub { hub, client, cache in
            await hub.add(repo: "org/model", path: "m.gguf", content: StandInHub.content(size: 5000))
            let downloader = makeDownloader(client, cache)
            _ = try await downloader.download(repo: "org/model", filename: "m.gguf")
            await hub.state.resetCounters()
            let again = try await downloader.download(repo: "org/model", filename: "m.gguf")
            #expect(again.source == .cache)
            #expect(await hub.state.requests.isEmpty)
            let byCommit = try await downloader.download(
                repo: "org/model", filename: "m.gguf", revision: StandInHub.commit)
            #expect(byCommit.path == again.path)
            #expect(await hub.state.requests.isEmpty)
        }
    }

    @Test func verifiesSmallGitFiles() async throws {
        try await withHub { hub, client, cache in
            let file = await hub.add(
                repo: "org/model", path: "config.json", content: Data("{\"a\":1}".utf8), lfs: false)
            let downloaded = try await makeDownloader(client, cache).download(
                repo: "org/model", filename: "config.json")
            #expect(contents(downloaded.path) == file.content)
            #expect(blobNames(cache, repo: "org/model") == [file.etag])
        }
    }

    @Test func offlineMissSaysWhereItLooked() async throws {
        try await withHub(offline: true) { hub, client, cache in
            let error = await #expect(throws: HubError.self) {
                try await makeDownloader(client, cache).download(repo: "org/model", filename: "m.gguf")
            }
            #expect(error?.code == .notCachedOffline)
            #expect(error?.message.contains("not in the cache, and offline") == true)
            #expect(error?.message.contains(cache.root) == true)
            #expect(await hub.state.requests.isEmpty)
        }
    }

    @Test func reportsProgressToTheEnd() async throws {
        try await withHub { hub, client, cache in
            await hub.add(repo: "org/model", path: "m.gguf", content: StandInHub.content(size: 2_000_000))
            let reports = ProgressLog()
            _ = try await makeDownloader(client, cache).download(repo: "org/model", filename: "m.gguf") {
                reports.append($0)
            }
            let all = reports.all
            #expect(all.last?.phase == .finished)
            #expect(all.last?.completedBytes == 2_000_000)
            #expect(all.contains { $0.phase == .verifying })
            #expect(zip(all, all.dropFirst()).allSatisfy { $0.completedBytes <= $1.completedBytes })
        }
    }

    @Test func twoDownloadersOfOneFileTransferItOnce() async throws {
        try await withHub { hub, client, cache in
            let file = await hub.add(repo: "org/model", path: "m.gguf", content: StandInHub.content(size: 3_000_000))
            await hub.inject(.throttle(bytesPerSecond: 4_000_000), times: 100, repo: "org/model", path: "m.gguf")
            let first = makeDownloader(client, cache)
            let second = makeDownloader(client, cache)
            async let a = first.download(repo: "org/model", filename: "m.gguf")
            async let b = second.download(repo: "org/model", filename: "m.gguf")
            let (resultA, resultB) = try await (a, b)
            #expect(resultA.path == resultB.path)
            #expect(contents(resultA.path) == file.content)
            #expect(await hub.state.bytesServed == file.content.count)
        }
    }
}

/// Collects progress reports from a `@Sendable` callback.
final class ProgressLog: @unchecked Sendable {
    // @unchecked: every access goes through `lock`.
    private let lock = NSLock()
    private var reports: [DownloadProgress] = []

    func append(_ report: DownloadProgress) { lock.withLock { reports.append(report) } }
    var all: [DownloadProgress] { lock.withLock { reports } }
}

@Suite struct ModelDownloadTests {
    @Test func downloadsEveryPartThenAnswersOfflineFromTheCache() async throws {
        try await withHub { hub, client, cache in
            for name in ["m-Q8_0-00001-of-00002.gguf", "m-Q8_0-00002-of-00002.gguf", "m-Q4_K_M.gguf"] {
                await hub.add(repo: "org/model", path: name, content: Data(name.utf8))
            }
            let reference = try RepositoryFileSelector(parsing: "org/model:Q8_0")
            let files = try await makeDownloader(client, cache).download(model: reference)
            #expect(
                files.map { ($0.path as NSString).lastPathComponent } == [
                    "m-Q8_0-00001-of-00002.gguf", "m-Q8_0-00002-of-00002.gguf",
                ])
            await hub.state.resetCounters()
            let offline = HubClient(
                environment: HubEnvironment(endpoint: hub.hubURL, offline: true, cacheDirectory: cache.root))
            let again = try await makeDownloader(offline, cache).download(model: reference)
            try await offline.shutdown()
            #expect(again.map(\.path) == files.map(\.path))
            #expect(again.allSatisfy { $0.source == .cache })
            #expect(await hub.state.requests.isEmpty)
            // Only one part cached: the model is not complete, so the cache does not answer.
            try cache.removeFile(repo: "org/model", filename: "m-Q8_0-00002-of-00002.gguf")
            #expect(try cache.cachedModelFiles(reference) == nil)
        }
    }
}

@Suite struct ProgressStreamTests {
    @Test func streamsReportsUntilFinished() async throws {
        try await withHub { hub, client, cache in
            await hub.add(repo: "org/model", path: "m.gguf", content: StandInHub.content(size: 1_000_000))
            let (stream, report, finish) = DownloadProgress.makeStream(bufferingNewest: 1000)
            _ = try await makeDownloader(client, cache).download(
                repo: "org/model", filename: "m.gguf", progress: report)
            finish()
            var phases: [DownloadProgress.Phase] = []
            for await progress in stream { phases.append(progress.phase) }
            #expect(phases.first == .downloading)
            #expect(phases.last == .finished)
        }
    }
}

@Suite struct MissingEntryTests {
    @Test func absenceIsRememberedForOfflineRuns() async throws {
        try await withHub { hub, client, cache in
            await hub.add(repo: "org/model", path: "m.gguf", content: Data([1]))
            let online = await #expect(throws: HubError.self) {
                try await makeDownloader(client, cache).download(repo: "org/model", filename: "sub/none.gguf")
            }
            #expect(online?.code == .entryNotFound)
            let marker = cache.noExistPath(repo: "org/model", commit: StandInHub.commit, filename: "sub/none.gguf")
            #expect(FileManager.default.fileExists(atPath: marker))
            await hub.state.resetCounters()
            let offline = HubClient(
                environment: HubEnvironment(endpoint: hub.hubURL, offline: true, cacheDirectory: cache.root))
            let error = await #expect(throws: HubError.self) {
                try await makeDownloader(offline, cache).download(repo: "org/model", filename: "sub/none.gguf")
            }
            try await offline.shutdown()
            #expect(error?.code == .entryNotFound)
            #expect(await hub.state.requests.isEmpty)
        }
    }
}
