import Foundation
import Testing

@testable import BotticelliHub

@Suite struct DownloaderResumeTests {
    @Test func cancelledDownloadResumesWithOnlyTheMissingBytes() async throws {
        try await withHub { hub, client, cache in
            let size = 4_000_000
            let chunkSize: Int64 = 256 << 10
            let file = await hub.add(repo: "org/model", path: "m.gguf", content: StandInHub.content(size: size))
            await hub.inject(.throttle(bytesPerSecond: 1_000_000), times: 1000, repo: "org/model", path: "m.gguf")
            let downloader = makeDownloader(client, cache, quickConfiguration(connections: 4, chunkSize: chunkSize))
            let reports = ProgressLog()
            let task = Task {
                try await downloader.download(repo: "org/model", filename: "m.gguf") { reports.append($0) }
            }
            while (reports.all.last?.completedBytes ?? 0) < Int64(size / 2) {
                try await Task.sleep(for: .milliseconds(20))
            }
            task.cancel()
            let outcome = await task.result
            #expect(throws: CancellationError.self) { try outcome.get() }

            // The partial and its record are kept; the record never claims more than was written.
            let partial = cache.incompletePath(repo: "org/model", etag: file.etag)
            let record = try #require(TransferState.load(from: partial + ".ranges"))
            let kept = record.completed.byteCount
            #expect(kept >= Int64(size / 4))
            #expect(kept < Int64(size))
            let onDisk = try #require(FileManager.default.contents(atPath: partial))
            for range in record.completed.ranges {
                #expect(
                    onDisk[Int(range.lowerBound)..<Int(range.upperBound)]
                        == file.content[range.lowerBound..<range.upperBound])
            }

            await hub.state.resetCounters()
            await hub.state.clearFaults()
            let downloaded = try await downloader.download(repo: "org/model", filename: "m.gguf")
            #expect(contents(downloaded.path) == file.content)
            let served = await hub.state.bytesServed
            #expect(served <= Int(Int64(size) - kept + chunkSize))
            #expect(!FileManager.default.fileExists(atPath: partial))
            #expect(!FileManager.default.fileExists(atPath: partial + ".ranges"))
        }
    }

    @Test func resumesAPartialLeftByHuggingFaceHub() async throws {
        try await withHub { hub, client, cache in
            let size = 1_000_000
            let file = await hub.add(repo: "org/model", path: "m.gguf", content: StandInHub.content(size: size))
            // huggingface_hub writes its partial in order, from the start, and keeps no record.
            try writeHuggingFaceHubPartial(
                file.content.prefix(600_000), cache: cache, repo: "org/model", etag: file.etag)
            let downloaded = try await makeDownloader(client, cache).download(repo: "org/model", filename: "m.gguf")
            #expect(contents(downloaded.path) == file.content)
            #expect(await hub.state.bytesServed == size - 600_000)
        }
    }
}
