import BotticelliTestSupport
import Foundation
import Testing

@testable import BotticelliHub

/// The download commands through the real executable against the stand-in hub: a download killed with SIGKILL
/// resumes with only the missing bytes, two processes share one transfer, and the cache commands see the result.
@Suite(.serialized)
struct CommandLineDownloadTests {
    @Test("a download killed with SIGKILL at about half resumes, transferring only the missing bytes")
    func killedDownloadResumes() async throws {
        try await withCommandLineHub { hub, cache in
            let size = 64 << 20
            let file = await hub.add(repo: "org/model", path: "m.gguf", content: StandInHub.content(size: size))
            await hub.inject(.throttle(bytesPerSecond: 2_000_000), times: 10_000, repo: "org/model", path: "m.gguf")
            let first = try CommandLine.launch(["models", "download", "hf://org/model/m.gguf"], hub: hub, cache: cache)
            while await hub.state.bytesServed < size / 2 {
                #expect(first.process.isRunning, "the download ended before it was killed: \(first.errorText())")
                try await Task.sleep(for: .milliseconds(20))
            }
            kill(first.process.processIdentifier, SIGKILL)
            first.process.waitUntilExit()
            #expect(first.process.terminationReason == .uncaughtSignal)

            let partial = HubCache(root: cache).incompletePath(repo: "org/model", etag: file.etag)
            let record = try #require(TransferState.load(from: partial + ".ranges"), "no record beside \(partial)")
            let kept = record.completed.byteCount
            #expect(kept > 0 && kept < Int64(size))

            await hub.state.resetCounters()
            await hub.state.clearFaults()
            let second = try await CommandLine.run(
                ["models", "download", "hf://org/model/m.gguf"], hub: hub, cache: cache)
            #expect(second.status == 0, "\(second.standardError)")
            let path = HubCache(root: cache).snapshotPath(
                repo: "org/model", commit: StandInHub.commit, filename: "m.gguf")
            #expect(FileManager.default.contents(atPath: path) == file.content)
            // The default chunk for a 64 MiB file is 16 MiB: at most one chunk beyond the missing bytes is fetched again.
            let served = await hub.state.bytesServed
            #expect(served <= Int(Int64(size) - kept) + (16 << 20), "served \(served), kept \(kept) of \(size)")
            #expect(!FileManager.default.fileExists(atPath: partial))
        }
    }

    @Test("Ctrl-C (SIGINT) stops a download cleanly: exit 1, the partial and its record kept, the rerun resumes")
    func interruptKeepsThePartial() async throws {
        try await withCommandLineHub { hub, cache in
            let size = 24 << 20
            let file = await hub.add(
                repo: "org/model", path: "m.gguf", content: StandInHub.content(size: size, seed: 5))
            await hub.inject(.throttle(bytesPerSecond: 1_000_000), times: 10_000, repo: "org/model", path: "m.gguf")
            let first = try CommandLine.launch(["models", "download", "hf://org/model/m.gguf"], hub: hub, cache: cache)
            while await hub.state.bytesServed < size / 4 {
                #expect(first.process.isRunning, "the download ended early: \(first.errorText())")
                try await Task.sleep(for: .milliseconds(20))
            }
            kill(first.process.processIdentifier, SIGINT)
            let interrupted = await first.finish()
            #expect(interrupted.status == 1)
            #expect(interrupted.standardError.contains("interrupted: the partial download is kept"))
            let partial = HubCache(root: cache).incompletePath(repo: "org/model", etag: file.etag)
            let record = try #require(TransferState.load(from: partial + ".ranges"))
            #expect(record.completed.byteCount > 0)

            await hub.state.resetCounters()
            await hub.state.clearFaults()
            let second = try await CommandLine.run(
                ["models", "download", "hf://org/model/m.gguf"], hub: hub, cache: cache)
            #expect(second.status == 0, "\(second.standardError)")
            #expect(await hub.state.bytesServed <= Int(Int64(size) - record.completed.byteCount) + (16 << 20))
        }
    }

    @Test("two processes downloading the same file at once: one transfer, both succeed")
    func twoProcessesShareOneTransfer() async throws {
        try await withCommandLineHub { hub, cache in
            let size = 12 << 20
            let file = await hub.add(
                repo: "org/model", path: "m.gguf", content: StandInHub.content(size: size, seed: 7))
            await hub.inject(.throttle(bytesPerSecond: 3_000_000), times: 10_000, repo: "org/model", path: "m.gguf")
            let arguments = ["models", "download", "hf://org/model/m.gguf"]
            let first = try CommandLine.launch(arguments, hub: hub, cache: cache)
            let second = try CommandLine.launch(arguments, hub: hub, cache: cache)
            let results = [await first.finish(), await second.finish()]
            for result in results { #expect(result.status == 0, "\(result.standardError)") }
            let path = HubCache(root: cache).snapshotPath(
                repo: "org/model", commit: StandInHub.commit, filename: "m.gguf")
            #expect(FileManager.default.contents(atPath: path) == file.content)
            #expect(await hub.state.bytesServed == size)
        }
    }

    @Test("download by org/repo:QUANT, list it, remove it; prune removes an abandoned partial")
    func cacheCommands() async throws {
        try await withCommandLineHub { hub, cache in
            let wanted = await hub.add(
                repo: "org/model", path: "model-Q8_0.gguf", content: StandInHub.content(size: 300_000))
            await hub.add(
                repo: "org/model", path: "model-Q4_K_M.gguf", content: StandInHub.content(size: 200_000, seed: 3))
            let download = try await CommandLine.run(
                ["models", "download", "org/model:Q8_0", "--json"], hub: hub, cache: cache)
            #expect(download.status == 0, "\(download.standardError)")
            let result = try JSONSerialization.jsonObject(with: Data(download.standardOutput.utf8)) as? [String: Any]
            #expect(result?["origin"] as? String == "download")
            #expect((result?["path"] as? String)?.hasSuffix("/model-Q8_0.gguf") == true)

            let again = try await CommandLine.run(["models", "download", "org/model:Q8_0"], hub: hub, cache: cache)
            #expect(again.standardOutput.contains("already in the cache"))

            let listing = try await CommandLine.run(["cache", "ls", "--json"], hub: hub, cache: cache)
            let listed = try JSONSerialization.jsonObject(with: Data(listing.standardOutput.utf8)) as? [String: Any]
            let models = listed?["models"] as? [[String: Any]] ?? []
            #expect(models.map { $0["name"] as? String } == ["hf://org/model/model-Q8_0.gguf"])
            #expect(models.first?["size_bytes"] as? Int == 300_000)

            let abandoned = HubCache(root: cache).incompletePath(
                repo: "org/model", etag: String(repeating: "a", count: 64))
            try Data(count: 1000).write(to: URL(fileURLWithPath: abandoned))
            let prune = try await CommandLine.run(["cache", "prune"], hub: hub, cache: cache)
            #expect(prune.status == 0)
            #expect(prune.standardOutput.contains("removed \(abandoned)"))
            #expect(!FileManager.default.fileExists(atPath: abandoned))

            let remove = try await CommandLine.run(["models", "rm", "org/model:Q8_0"], hub: hub, cache: cache)
            #expect(remove.status == 0, "\(remove.standardError)")
            #expect(remove.standardOutput.contains("freed 300 KB"))
            let blob = HubCache(root: cache).blobPath(repo: "org/model", etag: wanted.etag)
            #expect(!FileManager.default.fileExists(atPath: blob))
            let missing = try await CommandLine.run(["models", "rm", "org/model:Q8_0"], hub: hub, cache: cache)
            #expect(missing.status == 1)
            #expect(missing.standardError.contains("is not in the cache"))
        }
    }

    @Test("run downloads a model on first use, then uses the cached copy offline")
    func runDownloadsThenWorksOffline() async throws {
        let fixture = try Fixtures.smolLM2()
        try await withCommandLineHub { hub, cache in
            let content = try Data(contentsOf: URL(fileURLWithPath: fixture))
            await hub.add(repo: "org/smol", path: "SmolLM2-135M-Instruct.Q4_1.gguf", content: content)
            let arguments = [
                "run", "hf://org/smol/SmolLM2-135M-Instruct.Q4_1.gguf", "--prompt", "The capital of France is",
                "--max-tokens", "4", "--temperature", "0",
            ]
            let first = try await CommandLine.run(arguments, hub: hub, cache: cache)
            #expect(first.status == 0, "\(first.standardError)")
            #expect(first.standardError.contains("Model downloaded successfully"))
            #expect(first.standardOutput.hasPrefix(" Paris"))

            await hub.state.resetCounters()
            let offline = try await CommandLine.run(arguments + ["--offline"], hub: hub, cache: cache)
            #expect(offline.status == 0, "\(offline.standardError)")
            #expect(offline.standardError.contains("Using cached model"))
            #expect(offline.standardOutput.hasPrefix(" Paris"))
            #expect(await hub.state.requests.isEmpty)
        }
    }
}

/// Runs `body` with a stand-in hub and an empty cache folder for the executable.
private func withCommandLineHub(_ body: @Sendable (StandInHub, String) async throws -> Void) async throws {
    let folder = TemporaryFolder("cli")
    defer { folder.cleanUp() }
    try await StandInHub.run { hub in try await body(hub, folder.path + "/hub") }
}

/// The executable, run with the stand-in hub as its endpoint and `cache` as its cache.
private enum CommandLine {
    final class Launched: @unchecked Sendable {
        // @unchecked: the process is only read after it exits; the output files are written by the child.
        let process: Process
        let outputPath: String
        let errorPath: String

        init(process: Process, outputPath: String, errorPath: String) {
            self.process = process
            self.outputPath = outputPath
            self.errorPath = errorPath
        }

        func errorText() -> String { (try? String(contentsOfFile: errorPath, encoding: .utf8)) ?? "" }

        func finish() async -> ProcessResult {
            while process.isRunning { try? await Task.sleep(for: .milliseconds(20)) }
            defer {
                try? FileManager.default.removeItem(atPath: outputPath)
                try? FileManager.default.removeItem(atPath: errorPath)
            }
            return ProcessResult(
                status: process.terminationStatus,
                standardOutput: (try? String(contentsOfFile: outputPath, encoding: .utf8)) ?? "",
                standardError: errorText())
        }
    }

    static func launch(_ arguments: [String], hub: StandInHub, cache: String) throws -> Launched {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: try Fixtures.botticelliBinary())
        process.arguments = arguments + ["--cache-dir", cache]
        var environment = ProcessInfo.processInfo.environment
        environment["HF_ENDPOINT"] = hub.hubURL
        for name in ["HF_HUB_OFFLINE", "HF_TOKEN", "HTTPS_PROXY", "HTTP_PROXY"] { environment[name] = nil }
        process.environment = environment
        let base = NSTemporaryDirectory() + "botticelli-cli-\(UUID().uuidString)"
        FileManager.default.createFile(atPath: base + ".out", contents: nil)
        FileManager.default.createFile(atPath: base + ".err", contents: nil)
        process.standardOutput = try FileHandle(forWritingTo: URL(fileURLWithPath: base + ".out"))
        process.standardError = try FileHandle(forWritingTo: URL(fileURLWithPath: base + ".err"))
        process.standardInput = FileHandle.nullDevice
        try process.run()
        return Launched(process: process, outputPath: base + ".out", errorPath: base + ".err")
    }

    static func run(_ arguments: [String], hub: StandInHub, cache: String) async throws -> ProcessResult {
        await (try launch(arguments, hub: hub, cache: cache)).finish()
    }
}
