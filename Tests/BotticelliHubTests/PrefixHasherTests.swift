import Crypto
import Foundation
import Testing

@testable import BotticelliHub

/// The hash computed while a file downloads must equal the hash of the finished file, whatever order the chunks
/// land in, and must never include bytes that were discarded or not yet written.
@Suite struct PrefixHasherTests {
    static let size = 300_000
    static let content = Data((0..<size).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ $0 >> 9) })
    static var sha256: String { ContentVerifier.hex(SHA256.hash(data: content)) }

    /// A partial file with a transfer state, as `Downloader.transfer` builds them.
    struct Transfer {
        let folder = TemporaryFolder("prefix-hasher")
        let file: PartialFile
        let state: TransferState

        init(alreadyOnDisk: Data = Data(), completed: ByteRanges = ByteRanges()) throws {
            let path = folder.path + "/blob.incomplete"
            try alreadyOnDisk.write(to: URL(fileURLWithPath: path))
            file = try PartialFile(path: path)
            var configuration = DownloadConfiguration()
            configuration.checkpointInterval = .seconds(3600)
            state = TransferState(
                record: PartialRecord(etag: PrefixHasherTests.sha256, size: Int64(size), completed: completed),
                file: file, recordPath: path + ".ranges", repo: "org/m", filename: "m.gguf",
                configuration: configuration, onProgress: nil)
        }

        /// Starts a hasher that follows the transfer, in small blocks so that it takes several steps.
        func startHashing(kind: ContentVerifier.Kind = .sha256) -> Task<PrefixHasher.Result, any Error> {
            let hasher = PrefixHasher(file: file, size: Int64(size), kind: kind, blockSize: 4096)
            let state = state
            return Task { try await hasher.run(following: state) }
        }

        /// Writes `content[range]` and records it, as a chunk does.
        func write(_ range: Range<Int>, of content: Data = PrefixHasherTests.content) async throws {
            try content[range].withUnsafeBytes { try file.write($0, at: Int64(range.lowerBound)) }
            await state.didWrite(Int64(range.lowerBound)..<Int64(range.upperBound))
        }

        /// Ends the transfer and returns what the hasher computed.
        func finish(_ hashing: Task<PrefixHasher.Result, any Error>) async throws -> PrefixHasher.Result {
            await state.finishPrefixChanges()
            defer { folder.cleanUp() }
            return try await hashing.value
        }
    }

    static func chunks(_ count: Int) -> [Range<Int>] {
        let step = size / count
        return (0..<count).map { $0 * step..<($0 == count - 1 ? size : ($0 + 1) * step) }
    }

    @Test func chunksCompletingOutOfOrderHashToTheWholeFile() async throws {
        let transfer = try Transfer()
        let hashing = transfer.startHashing()
        let chunks = Self.chunks(6)
        for index in [3, 1, 5, 0, 4, 2] {
            try await transfer.write(chunks[index])
            try await Task.sleep(for: .milliseconds(5))
        }
        let result = try await transfer.finish(hashing)
        #expect(result == PrefixHasher.Result(hashedBytes: Int64(Self.size), digest: Self.sha256))
    }

    @Test func gitBlobSHA1CoversTheHeaderAndEveryByte() async throws {
        let transfer = try Transfer()
        let hashing = transfer.startHashing(kind: .gitBlobSHA1)
        for chunk in Self.chunks(3).reversed() { try await transfer.write(chunk) }
        let result = try await transfer.finish(hashing)
        let expected = ContentVerifier.hex(Insecure.SHA1.hash(data: Data("blob \(Self.size)\0".utf8) + Self.content))
        #expect(result == PrefixHasher.Result(hashedBytes: Int64(Self.size), digest: expected))
    }

    @Test func bytesFromAnEarlierRunAreHashedToo() async throws {
        // A resumed partial: the first 200 000 bytes are on disk and recorded before the hasher starts.
        let transfer = try Transfer(alreadyOnDisk: Self.content.prefix(200_000), completed: ByteRanges([0..<200_000]))
        let hashing = transfer.startHashing()
        try await transfer.write(200_000..<Self.size)
        let result = try await transfer.finish(hashing)
        #expect(result == PrefixHasher.Result(hashedBytes: Int64(Self.size), digest: Self.sha256))
    }

    @Test func aCorruptByteFromAnEarlierRunIsCaught() async throws {
        var corrupt = Self.content.prefix(200_000)
        corrupt[123_456] ^= 0x01
        let transfer = try Transfer(alreadyOnDisk: corrupt, completed: ByteRanges([0..<200_000]))
        let hashing = transfer.startHashing()
        try await transfer.write(200_000..<Self.size)
        let result = try await transfer.finish(hashing)
        #expect(result.hashedBytes == Int64(Self.size))
        #expect(result.digest != Self.sha256)
    }

    @Test func aDiscardRestartsTheHash() async throws {
        let transfer = try Transfer()
        let hashing = transfer.startHashing()
        // Bytes that will be discarded (a server that ignored Range, a stale partial) must not stay in the hash.
        let garbage = Data(repeating: 0xAB, count: Self.size)
        try await transfer.write(0..<150_000, of: garbage)
        // Gives the hasher time to take in the garbage first; the result must not depend on whether it did.
        try await Task.sleep(for: .milliseconds(50))
        try await transfer.state.discardAll()
        for chunk in Self.chunks(4) { try await transfer.write(chunk) }
        let result = try await transfer.finish(hashing)
        #expect(result == PrefixHasher.Result(hashedBytes: Int64(Self.size), digest: Self.sha256))
    }

    @Test func wrongBytesInTheLastChunkAreCaught() async throws {
        let transfer = try Transfer()
        let hashing = transfer.startHashing()
        var served = Self.content
        served[Self.size - 10] ^= 0x80
        for chunk in Self.chunks(5) { try await transfer.write(chunk, of: served) }
        let result = try await transfer.finish(hashing)
        #expect(result.hashedBytes == Int64(Self.size))
        #expect(result.digest != Self.sha256)
        #expect(result.digest == ContentVerifier.hex(SHA256.hash(data: served)))
    }

    @Test func aGapStopsTheHashWhereItIs() async throws {
        let transfer = try Transfer()
        let hashing = transfer.startHashing()
        // Bytes beyond a gap are on disk but never hashed out of order.
        try await transfer.write(0..<100_000)
        try await transfer.write(200_000..<Self.size)
        let result = try await transfer.finish(hashing)
        #expect(result.hashedBytes == 100_000)
        #expect(result.digest == ContentVerifier.hex(SHA256.hash(data: Self.content.prefix(100_000))))
    }

    @Test func anEtagThatIsNoChecksumIsNotHashed() async throws {
        let transfer = try Transfer()
        let hashing = transfer.startHashing(kind: .unknown)
        try await transfer.write(0..<Self.size)
        #expect(try await transfer.finish(hashing) == PrefixHasher.Result(hashedBytes: 0, digest: nil))
    }
}

/// The same guarantees end to end: no blob unless every byte, old or new, matches the etag.
@Suite struct IncrementalVerificationTests {
    @Test func aCorruptPartialLeftByHuggingFaceHubIsCaughtAndRemoved() async throws {
        try await withHub { hub, client, cache in
            let size = 1_000_000
            let file = await hub.add(repo: "org/model", path: "m.gguf", content: StandInHub.content(size: size))
            var corrupt = file.content.prefix(600_000)
            corrupt[corrupt.startIndex + 1234] ^= 0x01
            let partial = try writeHuggingFaceHubPartial(corrupt, cache: cache, repo: "org/model", etag: file.etag)
            let error = await #expect(throws: HubError.self) {
                try await makeDownloader(client, cache).download(repo: "org/model", filename: "m.gguf")
            }
            #expect(error?.code == .checksumMismatch)
            #expect(blobNames(cache, repo: "org/model").isEmpty)
            #expect(!FileManager.default.fileExists(atPath: partial))
            #expect(!FileManager.default.fileExists(atPath: partial + ".ranges"))
            // Only the missing bytes were fetched: the corruption was in bytes from the earlier run.
            #expect(await hub.state.bytesServed == size - 600_000)
            let downloaded = try await makeDownloader(client, cache).download(repo: "org/model", filename: "m.gguf")
            #expect(contents(downloaded.path) == file.content)
        }
    }
}
