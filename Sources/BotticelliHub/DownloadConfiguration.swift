/// How the ``Downloader`` splits, retries and gives up.
public struct DownloadConfiguration: Sendable, Equatable {
    /// When a cached file is used without asking the Hub.
    public enum CachePolicy: Sendable, Equatable {
        /// A file already in the cache for that revision is returned without a request.
        case preferCache
        /// Ask the Hub which commit the revision points to now, and download when it changed; the cache still
        /// answers when the Hub cannot be reached.
        case revalidate
    }

    /// Ranged requests in flight at once.
    public var connections: Int = 8
    /// Fixed chunk size in bytes; nil adapts it to the file (16–64 MiB).
    public var chunkSize: Int64?
    /// A chunk that receives no byte for this long is reconnected.
    public var stallTimeout: Duration = .seconds(30)
    /// A chunk gives up after this many consecutive attempts that brought no byte…
    public var attemptsWithoutProgress: Int = 10
    /// …or after this long without a byte, whichever comes first.
    public var timeWithoutProgress: Duration = .seconds(600)
    /// Attempts at the metadata request (HEAD) before a transient failure is reported.
    public var metadataAttempts: Int = 4
    /// The first retry waits about this long; each further one twice as long (with jitter), up to `maximumBackoff`.
    public var initialBackoff: Duration = .milliseconds(500)
    public var maximumBackoff: Duration = .seconds(30)
    /// The longest `Retry-After` honoured.
    public var maximumRetryAfter: Duration = .seconds(300)
    /// How often progress is reported.
    public var progressInterval: Duration = .milliseconds(250)
    /// How often the completed ranges are flushed to disk while bytes arrive.
    public var checkpointInterval: Duration = .seconds(1)
    public var cachePolicy: CachePolicy = .preferCache

    public init() {}

    /// The chunk size for a file of `size` bytes: about four chunks per connection, within 16–64 MiB.
    func chunkSize(forFileSize size: Int64) -> Int64 {
        if let chunkSize { return max(1, chunkSize) }
        let mebibyte: Int64 = 1 << 20
        let target = size / Int64(max(1, connections) * 4)
        return min(max(target, 16 * mebibyte), 64 * mebibyte)
    }

    /// The wait before retry number `attempt` (1-based): exponential, with full jitter in its upper half.
    func backoff(attempt: Int) -> Duration {
        let exponent = min(attempt - 1, 20)
        let base = initialBackoff * (1 << exponent)
        let capped = min(base, maximumBackoff)
        return capped * Double.random(in: 0.5...1.0)
    }
}
