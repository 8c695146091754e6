import BotticelliHub

/// One line of a pull's stream, as Ollama writes it.
struct OllamaPullStatus: Encodable, Sendable, Equatable {
    var status: String
    var digest: String?
    var total: Int64?
    var completed: Int64?
}

/// Turns download progress into a pull's lines: at most one line per file per interval, and one at 100% per file.
struct OllamaPullProgress {
    let plan: PullPlan
    let interval: Duration
    private var lastSent: [String: ContinuousClock.Instant] = [:]
    private var completedFiles: Set<String> = []

    init(plan: PullPlan, interval: Duration = .milliseconds(250)) {
        self.plan = plan
        self.interval = interval
    }

    /// The line for a report, or nil when one was sent for the file less than `interval` ago.
    mutating func line(for progress: DownloadProgress, now: ContinuousClock.Instant) -> OllamaPullStatus? {
        let filename = progress.filename
        guard !completedFiles.contains(filename), progress.phase != .waitingForLock else { return nil }
        let planned = plan.files.first { $0.filename == filename }
        let total = progress.totalBytes > 0 ? progress.totalBytes : planned?.sizeBytes ?? 0
        if progress.phase == .verifying || progress.phase == .finished || progress.completedBytes >= total {
            completedFiles.insert(filename)
            return Self.line(filename, sha256: planned?.sha256, total: total, completed: total)
        }
        if let last = lastSent[filename], now - last < interval { return nil }
        lastSent[filename] = now
        return Self.line(filename, sha256: planned?.sha256, total: total, completed: progress.completedBytes)
    }

    /// The lines after the download returned: 100% for each file not yet reported so, then Ollama's closing lines.
    mutating func closingLines() -> [OllamaPullStatus] {
        var lines = plan.files.filter { !completedFiles.contains($0.filename) }.map { file in
            Self.line(file.filename, sha256: file.sha256, total: file.sizeBytes, completed: file.sizeBytes)
        }
        completedFiles.formUnion(plan.files.map(\.filename))
        lines += ["verifying sha256 digest", "writing manifest", "success"].map { OllamaPullStatus(status: $0) }
        return lines
    }

    /// `pulling <first 12 hex digits>` with `sha256:<hex>`, as Ollama names layers; the file name when the digest is
    /// unknown.
    static func line(_ filename: String, sha256: String?, total: Int64, completed: Int64) -> OllamaPullStatus {
        guard let sha256, !sha256.isEmpty else {
            return OllamaPullStatus(status: "pulling \(filename)", total: total, completed: completed)
        }
        return OllamaPullStatus(
            status: "pulling \(sha256.prefix(12))", digest: "sha256:\(sha256)", total: total, completed: completed)
    }
}
