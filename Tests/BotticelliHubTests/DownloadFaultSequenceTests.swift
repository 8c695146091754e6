import Crypto
import Foundation
import Testing

@testable import BotticelliHub

/// Many downloads from the stand-in hub, each with faults drawn at random (several at once, mid-transfer too, and
/// downloads cancelled part-way): after each one the cache holds the verified blob or no blob, and at the end every
/// blob and every snapshot link verifies, and every file downloads once the faults stop.
///
/// `BOTTICELLI_FAULT_DOWNLOADS` sets how many (48 by default; `make reliability` runs 400), `BOTTICELLI_FAULT_SEED`
/// replays a run (its seed is printed). With `RELIABILITY_REPORT` set, the counts become a row of RELIABILITY.md.
@Suite struct DownloadFaultSequenceTests {
    static let repo = "org/faulty"

    @Test("a randomised sequence of faulty downloads leaves only verified blobs")
    func randomisedFaults() async throws {
        let environment = ProcessInfo.processInfo.environment
        let count = environment["BOTTICELLI_FAULT_DOWNLOADS"].flatMap(Int.init) ?? 48
        let seed = environment["BOTTICELLI_FAULT_SEED"].flatMap(UInt64.init) ?? UInt64.random(in: 1...UInt64.max)
        print("DownloadFaultSequenceTests: BOTTICELLI_FAULT_SEED=\(seed) BOTTICELLI_FAULT_DOWNLOADS=\(count)")
        var tally = try await withHub { hub, client, cache in
            var random = SeededGenerator(seed: seed)
            var tally = FaultTally()
            var configuration = quickConfiguration()
            configuration.stallTimeout = .milliseconds(500)
            let downloader = makeDownloader(client, cache, configuration)
            // A few files, so that some downloads find a partial or a blob left by an earlier one.
            var files: [StoredFile] = []
            for index in 0..<max(4, count / 6) {
                let size = Int.random(in: 1...1_200_000, using: &random)
                files.append(
                    await hub.add(
                        repo: Self.repo, path: "f\(index).gguf",
                        content: StandInHub.content(size: size, seed: UInt64(index + 1) &* seed)))
            }
            for round in 0..<count {
                let file = files.randomElement(using: &random)!
                let faults = Self.drawFaults(using: &random, size: file.content.count)
                for (fault, times) in faults.injected {
                    await hub.inject(fault, times: times, repo: Self.repo, path: file.path)
                }
                if faults.headFailures > 0 {
                    await hub.state.inject(
                        .status(503, retryAfter: nil), times: faults.headFailures, key: "HEAD \(Self.repo)/\(file.path)"
                    )
                }
                let cancelAfter = faults.cancelAfter
                let task = Task { try await downloader.download(repo: Self.repo, filename: file.path) }
                if let cancelAfter {
                    try await Task.sleep(for: cancelAfter)
                    task.cancel()
                }
                let context = "round \(round), \(file.path), faults \(faults.description), seed \(seed)"
                do {
                    let downloaded = try await task.value
                    #expect(contents(downloaded.path) == file.content, "\(context)")
                    tally.succeeded += 1
                } catch let error as HubError {
                    let expected: Set<HubError.Code> = [.checksumMismatch, .gaveUp, .serverBusy, .invalidResponse]
                    #expect(expected.contains(error.code), "\(context): \(error)")
                    tally.failed[error.code.rawValue, default: 0] += 1
                } catch is CancellationError {
                    tally.cancelled += 1
                } catch {
                    Issue.record("\(context): \(error)")
                }
                await hub.state.clearFaults()
                try Self.expectOnlyVerifiedBlobs(cache, files: files, context: context)
                tally.faults += faults.count
            }
            // Once the faults stop, every file downloads and verifies, from whatever the sequence left.
            for file in files {
                let downloaded = try await downloader.download(repo: Self.repo, filename: file.path)
                #expect(contents(downloaded.path) == file.content, "\(file.path), seed \(seed)")
            }
            try Self.expectOnlyVerifiedBlobs(cache, files: files, context: "after the sequence, seed \(seed)")
            tally.blobs = blobNames(cache, repo: Self.repo).count
            #expect(tally.blobs == Set(files.map(\.etag)).count)
            return tally
        }
        tally.downloads = count
        print("DownloadFaultSequenceTests: \(tally.outcome)")
        try tally.record()
    }

    /// Faults for one download: up to three GET faults (each for one to three replies), failed HEADs, a cancel.
    static func drawFaults(using random: inout SeededGenerator, size: Int) -> DrawnFaults {
        var drawn = DrawnFaults()
        for _ in 0..<Int.random(in: 0...3, using: &random) {
            let fault: HubFault
            switch Int.random(in: 0..<100, using: &random) {
            case 0..<30: fault = .dropAfter(Int.random(in: 0..<max(1, size), using: &random))
            case 30..<45: fault = .status([500, 502, 503, 408].randomElement(using: &random)!, retryAfter: nil)
            case 45..<52: fault = .status(429, retryAfter: 0)
            case 52..<60: fault = .stall(afterBytes: Int.random(in: 0..<max(1, size), using: &random), seconds: 30)
            case 60..<70: fault = .wrongBytes
            case 70..<80: fault = .ignoreRange
            case 80..<90: fault = .rangeNotSatisfiable
            default: fault = .throttle(bytesPerSecond: Int.random(in: 500_000...4_000_000, using: &random))
            }
            drawn.injected.append((fault, fault == .ignoreRange ? 1000 : Int.random(in: 1...3, using: &random)))
        }
        if Int.random(in: 0..<10, using: &random) == 0 { drawn.headFailures = Int.random(in: 1...4, using: &random) }
        if Int.random(in: 0..<8, using: &random) == 0 {
            drawn.cancelAfter = .milliseconds(Int.random(in: 0...150, using: &random))
        }
        return drawn
    }

    /// Every complete blob has the SHA-256 it is named by; every snapshot link points at one; nothing else (a
    /// partial, a temporary file) sits where a blob or a link should be.
    static func expectOnlyVerifiedBlobs(_ cache: HubCache, files: [StoredFile], context: String) throws {
        let etags = Set(files.map(\.etag))
        let blobFolder = cache.repoDirectory(repo) + "/blobs"
        for name in blobNames(cache, repo: repo) {
            if name.hasSuffix(".incomplete") || name.hasSuffix(".incomplete.ranges") {
                #expect(etags.contains(String(name.prefix(64))), "\(context): a stray partial \(name)")
                continue
            }
            #expect(etags.contains(name), "\(context): an unknown file \(name) among the blobs")
            let data = try #require(contents(blobFolder + "/" + name))
            #expect(Self.sha256(data) == name, "\(context): blob \(name) does not verify")
        }
        for file in files {
            let link = cache.snapshotPath(repo: repo, commit: StandInHub.commit, filename: file.path)
            guard FileSystem.entryExists(link) else { continue }
            #expect(FileSystem.isSymlink(link), "\(context): \(link) is not a link")
            #expect(contents(link) == file.content, "\(context): \(file.path) in the snapshot does not verify")
        }
    }

    static func sha256(_ data: Data) -> String {
        SHA256.hash(data: data).map { String(format: "%02x", $0) }.joined()
    }
}

/// The faults one download gets.
struct DrawnFaults: CustomStringConvertible {
    var injected: [(HubFault, Int)] = []
    var headFailures = 0
    var cancelAfter: Duration?

    var count: Int { injected.count + (headFailures > 0 ? 1 : 0) + (cancelAfter == nil ? 0 : 1) }

    var description: String {
        var parts = injected.map { "\($0.0) x\($0.1)" }
        if headFailures > 0 { parts.append("HEAD 503 x\(headFailures)") }
        if let cancelAfter { parts.append("cancel after \(cancelAfter)") }
        return parts.isEmpty ? "none" : parts.joined(separator: ", ")
    }
}

/// What the sequence did, for the log and RELIABILITY.md.
struct FaultTally: Sendable {
    var downloads = 0
    var faults = 0
    var succeeded = 0
    var cancelled = 0
    var failed: [String: Int] = [:]
    var blobs = 0

    var outcome: String {
        let failures = failed.sorted { $0.key < $1.key }.map { "\($0.value) \($0.key)" }.joined(separator: ", ")
        return "\(succeeded) verified, \(cancelled) cancelled, \(failed.values.reduce(0, +)) failed with a clear error"
            + (failures.isEmpty ? "" : " (\(failures))")
            + "; after each, only verified blobs and links in the cache; every file then downloaded and verified"
    }

    /// Adds the row to `RELIABILITY_REPORT` (the JSON file test_reliability.py writes), when it is set.
    func record() throws {
        guard let path = ProcessInfo.processInfo.environment["RELIABILITY_REPORT"] else { return }
        var rows =
            (try? Data(contentsOf: URL(fileURLWithPath: path)))
            .flatMap { try? JSONSerialization.jsonObject(with: $0) as? [String: Any] } ?? [:]
        rows[
            "downloads with faults drawn at random (dropped connections, 5xx, 429, stalls, wrong bytes, Range "
                + "ignored, 416, failed HEADs, cancels; up to three at once)"
        ] = ["tried": downloads, "outcome": "\(faults) faults injected; " + outcome]
        let data = try JSONSerialization.data(withJSONObject: rows, options: [.prettyPrinted, .sortedKeys])
        try data.write(to: URL(fileURLWithPath: path), options: .atomic)
    }
}

/// xorshift64*: the same sequence of faults for the same seed.
struct SeededGenerator: RandomNumberGenerator {
    private var state: UInt64

    init(seed: UInt64) { state = seed == 0 ? 0x9E37_79B9_7F4A_7C15 : seed }

    mutating func next() -> UInt64 {
        state ^= state >> 12
        state ^= state << 25
        state ^= state >> 27
        return state &* 0x2545_F491_4F6C_DD1D
    }
}
