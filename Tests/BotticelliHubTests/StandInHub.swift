import Foundation
import Hummingbird
import Logging
import ServiceLifecycle

/// A Hub on loopback for the tests: a hub server and a second "CDN" server on another port, serving files
/// from memory with the Hub's headers, and faults on demand.
struct StandInHub: Sendable {
    let state: StandInHubState
    let hubURL: String
    let cdnURL: String

    static let commit = "0123456789abcdef0123456789abcdef01234567"

    /// Starts both servers, runs `body`, stops them.
    static func run<T: Sendable>(_ body: @Sendable (StandInHub) async throws -> T) async throws -> T {
        let state = StandInHubState()
        var logger = Logger(label: "stand-in-hub")
        logger.logLevel = .critical
        let (ports, continuation) = AsyncStream.makeStream(of: (String, Int).self)
        var applications: [any Service] = []
        for role in ["hub", "cdn"] {
            let router = Router()
            // The CDN server also answers Hub paths, so that tests can use it as an HTTP proxy that
            // forwards (it sees the proxied requests and records them as its own).
            addHubRoutes(to: router, state: state, server: role)
            if role == "cdn" { addCDNRoutes(to: router, state: state) }
            applications.append(
                Application(
                    router: router,
                    configuration: .init(address: .hostname("127.0.0.1", port: 0)),
                    onServerRunning: { channel in continuation.yield((role, channel.localAddress?.port ?? 0)) },
                    logger: logger
                ))
        }
        // Stopped by a graceful shutdown, never by cancelling the servers: a cancelled NIO server drops the
        // connections it accepted but had not handed out yet, and each one traps ("Deinited NIOAsyncWriter
        // without calling finish()", swift-nio#2637). That crashed a test run whose client was still retrying.
        var configuration = ServiceGroupConfiguration(services: applications, logger: logger)
        configuration.maximumGracefulShutdownDuration = .seconds(10)
        let servers = ServiceGroup(configuration: configuration)
        return try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await servers.run() }
            var found: [String: Int] = [:]
            for await (role, port) in ports {
                found[role] = port
                if found.count == 2 { break }
            }
            let hub = StandInHub(
                state: state, hubURL: "http://127.0.0.1:\(found["hub"]!)", cdnURL: "http://127.0.0.1:\(found["cdn"]!)")
            await state.configure { [hub] in
                $0.hubBase = hub.hubURL
                $0.cdnBase = hub.cdnURL
            }
            let result: Result<T, any Error>
            do {
                result = .success(try await body(hub))
            } catch {
                result = .failure(error)
            }
            await state.configure { $0.stallsReleased = true }
            await servers.triggerGracefulShutdown()
            try await group.waitForAll()
            return try result.get()
        }
    }

    /// Adds a file and returns what was stored.
    @discardableResult
    func add(repo: String, path: String, content: Data, lfs: Bool = true) async -> StoredFile {
        let file = StoredFile(repo: repo, path: path, content: content, commit: Self.commit, lfs: lfs)
        await state.add(file)
        return file
    }

    func inject(_ fault: HubFault, times: Int = 1, repo: String, path: String) async {
        await state.inject(fault, times: times, key: "\(repo)/\(path)")
    }

    /// Deterministic pseudo-random bytes.
    static func content(size: Int, seed: UInt64 = 1) -> Data {
        var generator = seed &* 0x9E37_79B9_7F4A_7C15 | 1
        var bytes = [UInt8](repeating: 0, count: size)
        for index in 0..<size {
            generator ^= generator << 13
            generator ^= generator >> 7
            generator ^= generator << 17
            bytes[index] = UInt8(truncatingIfNeeded: generator)
        }
        return Data(bytes)
    }
}
