/// A snapshot of one file's download, reported while it runs.
public struct DownloadProgress: Sendable, Equatable, Codable {
    public enum Phase: String, Sendable, Codable {
        /// Another download of the same blob (maybe in another process) holds the lock.
        case waitingForLock
        case downloading
        /// All bytes are in; the checksum is being computed.
        case verifying
        case finished
    }

    public var repo: String
    public var filename: String
    public var phase: Phase
    /// Bytes on disk, including those kept from an earlier, interrupted run.
    public var completedBytes: Int64
    public var totalBytes: Int64
    /// Recent transfer rate, in bytes per second.
    public var bytesPerSecond: Double
    /// Estimated seconds until done; nil while the rate is unknown.
    public var secondsRemaining: Double?

    public init(
        repo: String, filename: String, phase: Phase, completedBytes: Int64, totalBytes: Int64,
        bytesPerSecond: Double = 0, secondsRemaining: Double? = nil
    ) {
        self.repo = repo
        self.filename = filename
        self.phase = phase
        self.completedBytes = completedBytes
        self.totalBytes = totalBytes
        self.bytesPerSecond = bytesPerSecond
        self.secondsRemaining = secondsRemaining
    }

    /// Completed fraction in 0...1.
    public var fraction: Double {
        totalBytes > 0 ? min(1, Double(completedBytes) / Double(totalBytes)) : (phase == .finished ? 1 : 0)
    }
}
