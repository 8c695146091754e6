import Foundation
import Testing

@testable import BotticelliHub

@Suite struct HubCacheTests {
    @Test func listsRemovesAndPrunes() async throws {
        try await withHub { hub, client, cache in
            let a = await hub.add(repo: "org/model", path: "a.gguf", content: StandInHub.content(size: 1000, seed: 1))
            let b = await hub.add(repo: "org/model", path: "b.gguf", content: StandInHub.content(size: 2000, seed: 2))
            let downloader = makeDownloader(client, cache)
            _ = try await downloader.download(repo: "org/model", filename: "a.gguf")
            _ = try await downloader.download(repo: "org/model", filename: "b.gguf")
            // A second snapshot (another commit) sharing blob a.
            try cache.linkSnapshot(
                repo: "org/model", commit: String(repeating: "f", count: 40), filename: "a.gguf", etag: a.etag)

            let repos = cache.cachedRepos()
            #expect(repos.map(\.repo) == ["org/model"])
            #expect(repos[0].sizeOnDisk == 3000)
            let main = try #require(repos[0].snapshots.first { $0.commit == StandInHub.commit })
            #expect(main.refs == ["main"])
            #expect(main.files.map(\.filename) == ["a.gguf", "b.gguf"])
            #expect(main.files.map(\.size) == [1000, 2000])

            // a's blob is still linked from the other snapshot: nothing freed.
            #expect(try cache.removeFile(repo: "org/model", filename: "a.gguf") == 0)
            #expect(FileManager.default.fileExists(atPath: cache.blobPath(repo: "org/model", etag: a.etag)))
            #expect(try cache.removeFile(repo: "org/model", filename: "b.gguf") == 2000)
            #expect(!FileManager.default.fileExists(atPath: cache.blobPath(repo: "org/model", etag: b.etag)))
            #expect(try cache.cachedFile(repo: "org/model", filename: "b.gguf") == nil)

            // An orphaned blob and an abandoned partial are pruned; the linked blob stays.
            let orphan = cache.blobPath(repo: "org/model", etag: String(repeating: "1", count: 64))
            try Data(count: 500).write(to: URL(fileURLWithPath: orphan))
            let partial = cache.incompletePath(repo: "org/model", etag: String(repeating: "2", count: 64))
            try Data(count: 300).write(to: URL(fileURLWithPath: partial))
            let report = try cache.prune()
            #expect(report.bytesFreed == 800)
            #expect(Set(report.removedPaths) == [orphan, partial])
            #expect(FileManager.default.fileExists(atPath: cache.blobPath(repo: "org/model", etag: a.etag)))

            #expect(try cache.removeRepo("org/model") == 1000)
            #expect(cache.cachedRepos().isEmpty)
        }
    }

    @Test func resolvesBranchesAndCommits() throws {
        let folder = TemporaryFolder()
        defer { folder.cleanUp() }
        let cache = HubCache(root: folder.path)
        let commit = String(repeating: "a", count: 40)
        try FileSystem.createDirectory(cache.repoDirectory("org/m") + "/blobs")
        try Data("x".utf8).write(to: URL(fileURLWithPath: cache.blobPath(repo: "org/m", etag: "e1")))
        try cache.linkSnapshot(repo: "org/m", commit: commit, filename: "f.gguf", etag: "e1")
        #expect(try cache.cachedFile(repo: "org/m", filename: "f.gguf") == nil)
        try cache.writeRef(repo: "org/m", revision: "main", commit: commit)
        #expect(try cache.cachedFile(repo: "org/m", filename: "f.gguf") != nil)
        #expect(try cache.cachedFile(repo: "org/m", filename: "f.gguf", revision: commit) != nil)
        #expect(throws: HubError.self) { try cache.cachedFile(repo: "org/m", filename: "../f.gguf") }
    }
}
