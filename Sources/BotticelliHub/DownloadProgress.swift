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

extension DownloadProgress {
    /// A stream of reports and the callback that feeds it, for callers that prefer `for await` (a server
    /// relaying pull progress, say). Call `finish` when the download returns.
    public static func makeStream(
        bufferingNewest limit: Int = 16
    ) -> (
        stream: AsyncStream<DownloadProgress>, report: @Sendable (DownloadProgress) -> Void,
        finish: @Sendable () -> Void
    ) {
        let (stream, continuation) = AsyncStream.makeStream(
            of: DownloadProgress.self, bufferingPolicy: .bufferingNewest(limit))
        return (stream, { continuation.yield($0) }, { continuation.finish() })
    }
}
