import Foundation

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// A server process on a loopback port (llama-server as the reference, or our own binary), stopped on `stop()`.
public final class ServerProcess: @unchecked Sendable {
    // @unchecked: the process handle is only used from the test that owns this object.
    public let port: Int
    public let process: Process
    private let log: FileHandle
    public let logPath: String

    /// Starts `executable` with `arguments`, where `{port}` is replaced by a free port, and waits until `GET
    /// healthPath` answers 200.
    public init(
        executable: String, arguments: [String], healthPath: String = "/health", timeout: Duration = .seconds(60),
        environment: [String: String] = [:]
    ) throws {
        let port = try FreePort.find()
        self.port = port
        process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments.map { $0.replacingOccurrences(of: "{port}", with: String(port)) }
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        logPath = NSTemporaryDirectory() + "botticelli-server-\(UUID().uuidString).log"
        FileManager.default.createFile(atPath: logPath, contents: nil)
        log = try FileHandle(forWritingTo: URL(fileURLWithPath: logPath))
        process.standardOutput = log
        process.standardError = log
        try process.run()
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            if !process.isRunning {
                throw HTTP.Failure(description: "\(executable) exited early:\n\(output)")
            }
            if let response = try? HTTP.request("GET", url(healthPath), timeout: 2), response.status == 200 {
                return
            }
            Thread.sleep(forTimeInterval: 0.1)
        }
        stop()
        throw HTTP.Failure(description: "\(executable) did not become healthy in \(timeout):\n\(output)")
    }

    public func url(_ path: String) -> String {
        "http://127.0.0.1:\(port)\(path)"
    }

    /// Everything the process wrote so far.
    public var output: String {
        (try? String(contentsOfFile: logPath, encoding: .utf8)) ?? ""
    }

    /// SIGTERM, then SIGKILL after `grace`. A child started from a test inherits the test runner's blocked
    /// signals (libdispatch blocks SIGTERM on its threads), so a program that relies on a SIGTERM handler, as
    /// llama-server does, never sees it: without the SIGKILL it would run on, and `waitUntilExit` would spin forever.
    public func stop(grace: Duration = .seconds(5)) {
        if process.isRunning {
            process.terminate()
            let deadline = ContinuousClock.now + grace
            while process.isRunning, ContinuousClock.now < deadline { Thread.sleep(forTimeInterval: 0.05) }
            if process.isRunning { kill(process.processIdentifier, SIGKILL) }
            while process.isRunning { Thread.sleep(forTimeInterval: 0.02) }
        }
        try? log.close()
    }

    deinit {
        stop()
        try? FileManager.default.removeItem(atPath: logPath)
    }
}

/// A free TCP port on loopback, found by binding to port 0.
public enum FreePort {
    public static func find() throws -> Int {
        let socketDescriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard socketDescriptor >= 0 else { throw HTTP.Failure(description: "socket() failed") }
        defer { close(socketDescriptor) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = 0
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(socketDescriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard bound == 0 else { throw HTTP.Failure(description: "bind() failed") }
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(socketDescriptor, $0, &length) }
        }
        return Int(UInt16(bigEndian: address.sin_port))
    }
}

/// Blocking HTTP for tests.
public enum HTTP {
    public struct Failure: Error, CustomStringConvertible {
        public let description: String

        public init(description: String) {
            self.description = description
        }
    }

    public struct Reply: Sendable {
        public var status: Int
        public var body: Data
        public var headers: [String: String]

        public var text: String { String(decoding: body, as: UTF8.self) }

        public func json() throws -> [String: Any] {
            guard let object = try JSONSerialization.jsonObject(with: body) as? [String: Any] else {
                throw Failure(description: "not a JSON object: \(text)")
            }
            return object
        }
    }

    /// Runs the request with curl: a separate process keeps tests independent of URLSession's threading.
    public static func request(
        _ method: String, _ url: String, json: Any? = nil, headers: [String: String] = [:], timeout: Double = 120
    ) throws -> Reply {
        let headerFile = NSTemporaryDirectory() + "botticelli-headers-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: headerFile) }
        var arguments = ["-s", "-X", method, "--max-time", String(timeout), "-D", headerFile, "-o", "-"]
        for (name, value) in headers { arguments += ["-H", "\(name): \(value)"] }
        var input: String?
        if let json {
            input = String(decoding: try JSONSerialization.data(withJSONObject: json), as: UTF8.self)
            arguments += ["-H", "Content-Type: application/json", "--data-binary", "@-"]
        }
        arguments.append(url)
        let result = try ProcessRunner.run("/usr/bin/curl", arguments, standardInput: input)
        guard result.status == 0 else {
            throw Failure(description: "\(method) \(url): curl exited with \(result.status)")
        }
        let headerText = (try? String(contentsOfFile: headerFile, encoding: .utf8)) ?? ""
        // The last status line wins (after a 100 Continue).
        let blocks = headerText.components(separatedBy: "\r\n\r\n").filter { !$0.isEmpty }
        let lines = (blocks.last ?? "").components(separatedBy: "\r\n")
        let status = lines.first.flatMap { Int($0.split(separator: " ").dropFirst().first ?? "") } ?? 0
        var fields: [String: String] = [:]
        for line in lines.dropFirst() {
            guard let colon = line.firstIndex(of: ":") else { continue }
            fields[line[..<colon].lowercased()] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
        }
        return Reply(status: status, body: Data(result.standardOutput.utf8), headers: fields)
    }
}
