import Foundation
import Testing

@testable import BotticelliHub

/// Our cache and huggingface_hub's are one: each finds the other's files. Needs the venv's python
/// (BOTTICELLI_PYTHON, default `.venv/bin/python` with huggingface_hub from Tests/python/requirements.txt).
@Suite struct PythonInteropTests {
    static let repositoryRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().path
    static let python =
        ProcessInfo.processInfo.environment["BOTTICELLI_PYTHON"] ?? "\(repositoryRoot)/.venv/bin/python"
    static let script = "\(repositoryRoot)/Tests/python/hub_interop.py"

    /// Runs `hf_hub_download` and returns the path it printed (nil when it failed and `mustSucceed` is false).
    /// `started` hears the process id.
    static func hfHubDownload(
        repo: String, filename: String, environment: [String: String], mustSucceed: Bool = true,
        started: ProcessIDBox? = nil
    ) async throws -> String? {
        guard FileManager.default.isExecutableFile(atPath: python) else {
            let advice = "run `python3 -m venv .venv && .venv/bin/pip install -r Tests/python/requirements.txt`"
            Issue.record("no python at \(python): \(advice), or set BOTTICELLI_PYTHON")
            throw CancellationError()
        }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: python)
        process.arguments = [script, repo, filename]
        var variables = ProcessInfo.processInfo.environment
        for name in ["HF_TOKEN", "HF_HOME", "HF_ENDPOINT", "HF_HUB_OFFLINE", "HTTP_PROXY", "HTTPS_PROXY"] {
            variables[name] = nil
        }
        variables["HF_HUB_DISABLE_TELEMETRY"] = "1"
        variables["HF_HUB_DISABLE_PROGRESS_BARS"] = "1"
        variables["NO_PROXY"] = "127.0.0.1,localhost"
        variables.merge(environment) { $1 }
        process.environment = variables
        let output = Pipe()
        let errors = Pipe()
        process.standardOutput = output
        process.standardError = errors
        let status: Int32 = try await withCheckedThrowingContinuation { continuation in
            process.terminationHandler = { continuation.resume(returning: $0.terminationStatus) }
            do {
                try process.run()
                started?.set(process.processIdentifier)
            } catch {
                continuation.resume(throwing: error)
            }
        }
        let printed = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        let complaint = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        guard status == 0 || mustSucceed else { return nil }
        try #require(status == 0, "hf_hub_download failed: \(complaint.suffix(2000))")
        return printed.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    @Test func huggingFaceHubFindsOurDownloadOffline() async throws {
        try await withHub { hub, client, cache in
            let file = await hub.add(
                repo: "org/model", path: "dir/m-Q4_K_M.gguf", content: StandInHub.content(size: 700_000))
            let ours = try await makeDownloader(client, cache).download(
                repo: "org/model", filename: "dir/m-Q4_K_M.gguf")
            let theirs = try await Self.hfHubDownload(
                repo: "org/model", filename: "dir/m-Q4_K_M.gguf",
                environment: ["HF_HUB_CACHE": cache.root, "HF_HUB_OFFLINE": "1"])
            #expect(theirs == ours.path)
            #expect(contents(theirs ?? "") == file.content)
        }
    }

    @Test func weFindHuggingFaceHubsDownloadWithoutARequest() async throws {
        try await withHub { hub, client, cache in
            let file = await hub.add(repo: "org/model", path: "m-Q8_0.gguf", content: StandInHub.content(size: 300_000))
            let theirs = try await Self.hfHubDownload(
                repo: "org/model", filename: "m-Q8_0.gguf",
                environment: ["HF_HUB_CACHE": cache.root, "HF_ENDPOINT": hub.hubURL])
            await hub.state.resetCounters()
            #expect(try cache.cachedFile(repo: "org/model", filename: "m-Q8_0.gguf") == theirs)
            let ours = try await makeDownloader(client, cache).download(repo: "org/model", filename: "m-Q8_0.gguf")
            #expect(ours.source == .cache)
            #expect(ours.path == theirs)
            #expect(contents(ours.path) == file.content)
            #expect(await hub.state.requests.isEmpty)
            #expect(cache.cachedRepos().first?.snapshots.first?.files.map(\.filename) == ["m-Q8_0.gguf"])
        }
    }

    /// huggingface_hub and we take the same flock on `.locks/…/<etag>.lock`: while its download runs, ours waits,
    /// then uses the blob it wrote; the file crosses the network once.
    @Test func waitsForHuggingFaceHubsDownloadOfTheSameBlob() async throws {
        try await withHub { hub, client, cache in
            let size = 3_000_000
            let file = await hub.add(repo: "org/model", path: "m.gguf", content: StandInHub.content(size: size))
            await hub.inject(.throttle(bytesPerSecond: 1_000_000), times: 1, repo: "org/model", path: "m.gguf")
            async let theirs = Self.hfHubDownload(
                repo: "org/model", filename: "m.gguf",
                environment: ["HF_HUB_CACHE": cache.root, "HF_ENDPOINT": hub.hubURL])
            let deadline = ContinuousClock.now + .seconds(60)
            while await hub.state.bytesServed == 0, ContinuousClock.now < deadline {
                try await Task.sleep(for: .milliseconds(50))
            }
            let ours = try await makeDownloader(client, cache).download(repo: "org/model", filename: "m.gguf")
            #expect(try await theirs == ours.path)
            #expect(contents(ours.path) == file.content)
            #expect(await hub.state.bytesServed == size)
        }
    }

    /// huggingface_hub killed mid-download (SIGKILL) leaves `blobs/<etag>.<random>.incomplete`, written in order
    /// and without a record: we adopt it and fetch only the rest. (It writes in 10 MiB pieces, hence the size.)
    @Test func resumesThePartialOfAKilledHuggingFaceHubDownload() async throws {
        try await withHub { hub, client, cache in
            let size = 24 << 20
            let file = await hub.add(repo: "org/model", path: "m.gguf", content: StandInHub.content(size: size))
            await hub.inject(.throttle(bytesPerSecond: 8_000_000), times: 1, repo: "org/model", path: "m.gguf")
            let processID = ProcessIDBox()
            async let theirs = Self.hfHubDownload(
                repo: "org/model", filename: "m.gguf",
                environment: ["HF_HUB_CACHE": cache.root, "HF_ENDPOINT": hub.hubURL], mustSucceed: false,
                started: processID)
            let blobs = cache.repoDirectory("org/model") + "/blobs"
            var partial = ""
            let deadline = ContinuousClock.now + .seconds(60)
            while (FileSystem.size(partial) ?? 0) < 10 << 20, ContinuousClock.now < deadline {
                try await Task.sleep(for: .milliseconds(20))
                let names = FileSystem.contents(blobs).filter { $0.hasSuffix(".incomplete") }
                partial = names.first.map { "\(blobs)/\($0)" } ?? ""
            }
            kill(try #require(processID.value), SIGKILL)
            #expect(try await theirs == nil)
            let kept = try #require(FileSystem.size(partial))
            #expect(kept >= 10 << 20 && kept < Int64(size))

            await hub.state.resetCounters()
            let ours = try await makeDownloader(client, cache).download(repo: "org/model", filename: "m.gguf")
            #expect(contents(ours.path) == file.content)
            // The killed process's reply may still be draining on the server: count only ranged replies (ours).
            #expect(await hub.state.rangedBytesServed == size - Int(kept))
        }
    }
}

/// A process id handed from the launching closure to the test.
final class ProcessIDBox: @unchecked Sendable {
    // @unchecked: every access goes through `lock`.
    private let lock = NSLock()
    private var stored: Int32?
    func set(_ value: Int32) { lock.withLock { stored = value } }
    var value: Int32? { lock.withLock { stored } }
}
