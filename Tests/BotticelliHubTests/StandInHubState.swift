import Crypto
import Foundation

/// A fault the stand-in hub injects into its next GET replies for a file.
enum HubFault: Sendable, Equatable {
    /// Close the connection after sending this many body bytes.
    case dropAfter(Int)
    /// Answer with this status (500, 429, 408…), with an optional `Retry-After` in seconds.
    case status(Int, retryAfter: Int?)
    /// Send this many bytes, then nothing for `seconds`.
    case stall(afterBytes: Int, seconds: Double)
    /// Flip a byte in the middle of the body.
    case wrongBytes
    /// Answer a ranged request with 200 and the whole body.
    case ignoreRange
    /// Answer 416.
    case rangeNotSatisfiable
    /// Send at most this many bytes per second.
    case throttle(bytesPerSecond: Int)
}

/// A file the stand-in hub serves.
struct StoredFile: Sendable {
    var repo: String
    var path: String
    var content: Data
    var commit: String
    /// Stored with LFS: etag is the SHA-256, size in `X-Linked-Size`; else the git blob SHA-1.
    var lfs: Bool

    var etag: String {
        if lfs { return SHA256.hash(data: content).map { String(format: "%02x", $0) }.joined() }
        var hasher = Insecure.SHA1()
        hasher.update(data: Data("blob \(content.count)\0".utf8))
        hasher.update(data: content)
        return hasher.finalize().map { String(format: "%02x", $0) }.joined()
    }
}

/// One request as the stand-in hub saw it.
struct SeenRequest: Sendable {
    var server: String
    var method: String
    var path: String
    var authorization: String?
    var range: String?
}

/// The stand-in hub's mutable state: files, faults to inject, and what was served.
actor StandInHubState {
    var files: [String: StoredFile] = [:]
    var etags: [String: String] = [:]
    private var faults: [String: [(fault: HubFault, remaining: Int)]] = [:]
    var gated: Set<String> = []
    var needsToken: [String: String] = [:]
    /// Repositories renamed: the old name answers with a relative redirect to the new one.
    var renamed: [String: String] = [:]
    /// When set, HEAD and GET on resolve URLs redirect to the CDN server.
    var useCDN = false
    var cdnBase = ""
    var hubBase = ""
    var treePageSize = 2
    private(set) var bytesServed = 0
    /// Bytes served in replies to requests that carried `Range` (ours do; a fresh huggingface_hub GET does not).
    private(set) var rangedBytesServed = 0
    /// Set when the tests are over: stalled replies end at once.
    var stallsReleased = false
    private(set) var requests: [SeenRequest] = []

    func add(_ file: StoredFile) {
        files["\(file.repo)/\(file.path)"] = file
        etags[file.etag] = "\(file.repo)/\(file.path)"
    }

    func inject(_ fault: HubFault, times: Int, key: String) {
        faults[key, default: []].append((fault, times))
    }

    func clearFaults() { faults = [:] }

    /// Takes the next fault for a file, if any.
    func nextFault(key: String) -> HubFault? {
        guard var queue = faults[key], !queue.isEmpty else { return nil }
        let fault = queue[0].fault
        queue[0].remaining -= 1
        if queue[0].remaining <= 0 { queue.removeFirst() }
        faults[key] = queue
        return fault
    }

    func served(_ count: Int, ranged: Bool) {
        bytesServed += count
        if ranged { rangedBytesServed += count }
    }
    func resetCounters() {
        bytesServed = 0
        rangedBytesServed = 0
        requests = []
    }
    func record(_ request: SeenRequest) { requests.append(request) }
    func configure(_ change: @Sendable (isolated StandInHubState) -> Void) { change(self) }
}
