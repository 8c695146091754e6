import BotticelliCore
import BotticelliHub
import BotticelliModelStore
import Foundation
import Testing

@testable import BotticelliServer

/// The real library over a model store, offline, in a cache folder of its own: what it finds, refuses and removes.
@Suite("Store model library")
struct StoreModelLibraryTests {
    static let commit = "0123456789abcdef0123456789abcdef01234567"
    static let digest = String(repeating: "ab", count: 32)

    /// A store over an empty cache in a new folder, offline, and the folder.
    static func library() throws -> (StoreModelLibrary, URL) {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("library-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let store = ModelStore(
            registry: try ModelRegistry.builtIn(),
            environment: HubEnvironment(offline: true, cacheDirectory: folder.path))
        return (StoreModelLibrary(store: store), folder)
    }

    /// Puts `org/m`'s `m.gguf` in the cache as huggingface_hub lays it out; returns the snapshot path.
    static func cacheModel(in folder: URL) throws -> String {
        let repo = folder.appendingPathComponent("models--org--m")
        let blobs = repo.appendingPathComponent("blobs")
        let snapshot = repo.appendingPathComponent("snapshots/\(commit)")
        for directory in [blobs, snapshot, repo.appendingPathComponent("refs")] {
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        }
        try Data("GGUF-model".utf8).write(to: blobs.appendingPathComponent(digest))
        try commit.write(to: repo.appendingPathComponent("refs/main"), atomically: true, encoding: .utf8)
        let file = snapshot.appendingPathComponent("m.gguf")
        try FileManager.default.createSymbolicLink(atPath: file.path, withDestinationPath: "../../blobs/\(digest)")
        return file.path
    }

    static func failure(_ body: () async throws -> Void) async -> ModelLibraryError? {
        do {
            try await body()
            return nil
        } catch {
            return error as? ModelLibraryError
        }
    }

    @Test("names not in the cache: unknown, unparsable, or offline, each with what to do")
    func refusals() async throws {
        let (library, folder) = try Self.library()
        defer { try? FileManager.default.removeItem(at: folder) }
        let unknown = await Self.failure { _ = try await library.preparePull(name: "no-such-model") }
        #expect(unknown?.kind == .notFound)
        #expect(unknown?.message.contains("models list") == true)
        let offline = await Self.failure { _ = try await library.preparePull(name: "smollm2-135m-instruct-q4_1") }
        #expect(offline?.kind == .notFound)
        #expect(offline?.message.contains("offline") == true)
        let invalid = await Self.failure { _ = try await library.preparePull(name: "bad\u{1}name") }
        #expect(invalid?.kind == .invalidName)
        let missingFile = await Self.failure { _ = try await library.preparePull(name: "/nowhere/model.gguf") }
        #expect(missingFile?.kind == .notFound)
        let local = await Self.failure { try await library.delete(name: "/nowhere/model.gguf", servedPaths: []) }
        #expect(local?.kind == .notRemovable)
        let notCached = await Self.failure {
            try await library.delete(name: "smollm2-135m-instruct-q4_1", servedPaths: [])
        }
        #expect(notCached == ModelLibraryError(.notFound, "model 'smollm2-135m-instruct-q4_1' not found"))
    }

    @Test("a cached model: pulled at once with its blob's digest, kept while served, then removed")
    func cachedModel() async throws {
        let (library, folder) = try Self.library()
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = try Self.cacheModel(in: folder)
        let plan = try await library.preparePull(name: "hf://org/m/m.gguf")
        #expect(plan.isCached)
        #expect(plan.files == [PullPlan.File(filename: "m.gguf", sizeBytes: 10, sha256: Self.digest)])
        try await library.pull(plan) { _ in Issue.record("a cached model reported progress") }
        let served = await Self.failure { try await library.delete(name: "hf://org/m/m.gguf", servedPaths: [path]) }
        #expect(served?.kind == .notRemovable)
        #expect(served?.message.contains("being served") == true)
        #expect(FileManager.default.fileExists(atPath: path))
        try await library.delete(name: "hf://org/m/m.gguf", servedPaths: ["/elsewhere/other.gguf"])
        #expect(!FileManager.default.fileExists(atPath: path))
        let again = await Self.failure { try await library.delete(name: "hf://org/m/m.gguf", servedPaths: []) }
        #expect(again?.kind == .notFound)
    }

    @Test("the store's and the Hub's errors become statuses")
    func errorKinds() async {
        for (error, kind) in [
            (HubError(.entryNotFound, "no such file") as any Error, ModelLibraryError.Kind.notFound),
            (HubError(.gatedRepo, "gated"), .forbidden), (HubError(.insufficientDiskSpace, "full"), .doesNotFitDisk),
            (HubError(.networkFailure, "no network"), .hubUnavailable),
            (ModelStoreError(.unknownModel, "unknown"), .notFound),
        ] {
            let translated = await Self.failure {
                try await StoreModelLibrary.translatingErrors { () async throws -> Void in throw error }
            }
            #expect(translated?.kind == kind, "\(error)")
        }
        #expect(ModelLibraryError(.doesNotFitDisk, "").status.code == 507)
        #expect(ModelLibraryError(.hubUnavailable, "").status == .badGateway)
    }
}
