import Foundation
import Testing

@testable import BotticelliHub

@Suite struct HubClientTests {
    @Test func readsLargeFileMetadata() async throws {
        try await withHub { hub, client, _ in
            let file = await hub.add(
                repo: "org/model", path: "model-Q4_K_M.gguf", content: StandInHub.content(size: 1000))
            let metadata = try await client.fileMetadata(repo: "org/model", filename: "model-Q4_K_M.gguf")
            #expect(metadata.commit == StandInHub.commit)
            #expect(metadata.etag == file.etag)
            #expect(metadata.size == 1000)
            #expect(metadata.location == "\(hub.hubURL)/org/model/resolve/main/model-Q4_K_M.gguf")
        }
    }

    @Test func readsSmallGitFileMetadata() async throws {
        try await withHub { hub, client, _ in
            let file = await hub.add(repo: "org/model", path: "config.json", content: Data("{}".utf8), lfs: false)
            let metadata = try await client.fileMetadata(repo: "org/model", filename: "config.json")
            #expect(metadata.etag == file.etag)
            #expect(metadata.size == 2)
        }
    }

    @Test func followsRelativeRedirectOfRenamedRepo() async throws {
        try await withHub { hub, client, _ in
            await hub.add(repo: "org/new-name", path: "a.gguf", content: StandInHub.content(size: 10))
            await hub.state.configure { $0.renamed["org/old-name"] = "org/new-name" }
            let metadata = try await client.fileMetadata(repo: "org/old-name", filename: "a.gguf")
            #expect(metadata.size == 10)
            #expect(metadata.location.hasSuffix("/org/new-name/resolve/main/a.gguf"))
        }
    }

    @Test func stopsAtCDNRedirectAndKeepsTokenFromIt() async throws {
        try await withHub(token: "secret-token") { hub, client, cache in
            let file = await hub.add(repo: "org/model", path: "m.gguf", content: StandInHub.content(size: 300_000))
            await hub.state.configure { $0.useCDN = true }
            let metadata = try await client.fileMetadata(repo: "org/model", filename: "m.gguf")
            #expect(metadata.location == "\(hub.cdnURL)/blobs/\(file.etag)")
            #expect(metadata.size == 300_000)
            let downloaded = try await makeDownloader(client, cache).download(repo: "org/model", filename: "m.gguf")
            #expect(contents(downloaded.path) == file.content)
            let requests = await hub.state.requests
            #expect(requests.contains { $0.server == "cdn" })
            #expect(requests.filter { $0.server == "cdn" }.allSatisfy { $0.authorization == nil })
            #expect(requests.filter { $0.server == "hub" }.allSatisfy { $0.authorization == "Bearer secret-token" })
        }
    }

    @Test func gatedRepoSaysToAcceptTheTerms() async throws {
        try await withHub { hub, client, _ in
            await hub.add(repo: "org/gated", path: "m.gguf", content: Data([1]))
            await hub.state.configure { $0.gated.insert("org/gated") }
            let error = await #expect(throws: HubError.self) {
                try await client.fileMetadata(repo: "org/gated", filename: "m.gguf")
            }
            #expect(error?.code == .gatedRepo)
            #expect(error?.message.contains("https://huggingface.co/org/gated") == true)
        }
    }

    @Test func unauthorizedSaysToSetTheToken() async throws {
        try await withHub { hub, client, _ in
            await hub.add(repo: "org/private", path: "m.gguf", content: Data([1]))
            await hub.state.configure { $0.needsToken["org/private"] = "right" }
            let error = await #expect(throws: HubError.self) {
                try await client.fileMetadata(repo: "org/private", filename: "m.gguf")
            }
            #expect(error?.code == .unauthorized)
            #expect(error?.message.contains("HF_TOKEN") == true)
        }
    }

    @Test func missingEntryAndRepoAreTyped() async throws {
        try await withHub { hub, client, _ in
            await hub.add(repo: "org/model", path: "m.gguf", content: Data([1]))
            let entry = await #expect(throws: HubError.self) {
                try await client.fileMetadata(repo: "org/model", filename: "other.gguf")
            }
            #expect(entry?.code == .entryNotFound)
            let repo = await #expect(throws: HubError.self) {
                try await client.fileMetadata(repo: "org/nothing", filename: "m.gguf")
            }
            #expect(repo?.code == .repoNotFound)
            let revision = await #expect(throws: HubError.self) {
                try await client.fileMetadata(repo: "org/model", filename: "m.gguf", revision: "v9")
            }
            #expect(revision?.code == .revisionNotFound)
        }
    }

    @Test func refusesTraversalBeforeAnyRequest() async throws {
        try await withHub { hub, client, cache in
            await hub.add(repo: "org/model", path: "m.gguf", content: Data([1]))
            for filename in ["../evil.gguf", "a/../../evil", "/etc/passwd", "a\\b"] {
                await #expect(throws: HubError.self) {
                    try await makeDownloader(client, cache).download(repo: "org/model", filename: filename)
                }
            }
            await #expect(throws: HubError.self) {
                try await client.fileMetadata(repo: "../org", filename: "m.gguf")
            }
            #expect(await hub.state.requests.isEmpty)
            #expect(!FileManager.default.fileExists(atPath: cache.root))
        }
    }

    @Test func listsFilesAcrossPages() async throws {
        try await withHub { hub, client, _ in
            for name in ["a.gguf", "b.gguf", "c/d.gguf", "e.json", "f.gguf"] {
                await hub.add(repo: "org/model", path: name, content: Data(name.utf8))
            }
            let files = try await client.listFiles(repo: "org/model")
            #expect(files.map(\.path) == ["a.gguf", "b.gguf", "c/d.gguf", "e.json", "f.gguf"])
            #expect(files[0].lfs?.oid.count == 64)
            let treeRequests = await hub.state.requests.filter { $0.path.contains("/tree/") }
            #expect(treeRequests.count == 3)
        }
    }

    @Test func resolvesQuantizationThroughTheListing() async throws {
        try await withHub { hub, client, _ in
            for name in ["m-Q4_K_M.gguf", "m-Q8_0.gguf", "mmproj-Q8_0.gguf"] {
                await hub.add(repo: "org/model", path: name, content: Data(name.utf8))
            }
            let files = try await client.resolveModelFiles(try RepositoryFileSelector(parsing: "org/model:q8_0"))
            #expect(files.map(\.path) == ["m-Q8_0.gguf"])
            let fallback = try await client.resolveModelFiles(try RepositoryFileSelector(parsing: "org/model"))
            #expect(fallback.map(\.path) == ["m-Q4_K_M.gguf"])
        }
    }
}

@Suite struct HubClientProxyTests {
    /// The proxy is a port where nothing listens: a connection failure, and no request at the hub, show the
    /// proxy was used; with NO_PROXY naming the host, the hub is reached directly.
    @Test func usesTheProxyUnlessNoProxyNamesTheHost() async throws {
        try await StandInHub.run { hub in
            let folder = TemporaryFolder()
            defer { folder.cleanUp() }
            await hub.add(repo: "org/model", path: "m.gguf", content: StandInHub.content(size: 1000))
            for noProxy in [[], ["127.0.0.1"]] {
                await hub.state.resetCounters()
                let environment = HubEnvironment(
                    endpoint: hub.hubURL, cacheDirectory: folder.path, httpProxy: "http://127.0.0.1:1", noProxy: noProxy
                )
                let client = HubClient(environment: environment)
                var outcome: Result<Int64, any Error>
                do {
                    outcome = .success(try await client.fileMetadata(repo: "org/model", filename: "m.gguf").size)
                } catch {
                    outcome = .failure(error)
                }
                try await client.shutdown()
                let servers = await hub.state.requests.map(\.server)
                if noProxy.isEmpty {
                    let error = #expect(throws: HubError.self) { try outcome.get() }
                    #expect(error?.code == .networkFailure)
                    #expect(servers.isEmpty)
                } else {
                    #expect(try outcome.get() == 1000)
                    #expect(servers == ["hub"])
                }
            }
        }
    }
}
