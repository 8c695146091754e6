import Foundation

/// The shared bookkeeping of one file's transfer: which ranges are on disk, when to checkpoint them, and the
/// progress reports. Chunks report every buffer they write here.
actor TransferState {
    private(set) var record: PartialRecord
    let file: PartialFile
    let recordPath: String
    private let repo: String
    private let filename: String
    private let configuration: DownloadConfiguration
    private let onProgress: (@Sendable (DownloadProgress) -> Void)?
    private var lastCheckpoint = ContinuousClock.now
    private var lastReport: ContinuousClock.Instant?
    /// (time, bytes written this run) samples over the last few seconds, for the rate.
    private var samples: [(ContinuousClock.Instant, Int64)] = []
    private var bytesThisRun: Int64 = 0
    private var dirty = false

    init(
        record: PartialRecord, file: PartialFile, recordPath: String, repo: String, filename: String,
        configuration: DownloadConfiguration, onProgress: (@Sendable (DownloadProgress) -> Void)?
    ) {
        self.record = record
        self.file = file
        self.recordPath = recordPath
        self.repo = repo
        self.filename = filename
        self.configuration = configuration
        self.onProgress = onProgress
    }

    var completed: ByteRanges { record.completed }

    /// Notes bytes written at `range`; flushes a checkpoint and reports progress when due.
    func didWrite(_ range: Range<Int64>) throws(HubError) {
        record.completed.insert(range)
        bytesThisRun += Int64(range.count)
        dirty = true
        let now = ContinuousClock.now
        if now - lastCheckpoint >= configuration.checkpointInterval {
            try checkpoint()
        }
        if let lastReport, now - lastReport < configuration.progressInterval { return }
        report(.downloading, now: now)
    }

    /// Makes the written bytes durable, then records them: the record never claims bytes the disk lacks.
    func checkpoint() throws(HubError) {
        lastCheckpoint = .now
        guard dirty else { return }
        try file.synchronize()
        try Self.save(record, to: recordPath)
        dirty = false
    }

    /// Forgets every byte (the server ignored Range, or the partial was stale) and empties the file.
    func discardAll() throws(HubError) {
        record.completed = ByteRanges()
        try file.truncate(to: 0)
        try Self.save(record, to: recordPath)
        dirty = false
    }

    func report(_ phase: DownloadProgress.Phase, now: ContinuousClock.Instant = .now) {
        lastReport = now
        guard let onProgress else { return }
        samples.append((now, bytesThisRun))
        samples.removeAll { now - $0.0 > .seconds(5) }
        var rate = 0.0
        if let first = samples.first, now - first.0 > .milliseconds(200) {
            let seconds =
                Double((now - first.0).components.seconds)
                + Double((now - first.0).components.attoseconds) / 1e18
            rate = Double(bytesThisRun - first.1) / seconds
        }
        let done = record.completed.byteCount
        let remaining = rate > 0 ? Double(record.size - done) / rate : nil
        onProgress(
            DownloadProgress(
                repo: repo, filename: filename, phase: phase, completedBytes: min(done, record.size),
                totalBytes: record.size, bytesPerSecond: rate, secondsRemaining: remaining))
    }

    static func save(_ record: PartialRecord, to path: String) throws(HubError) {
        let data: Data
        do {
            data = try JSONEncoder().encode(record)
        } catch {
            throw HubError(.fileSystem, "could not encode the download record: \(error)")
        }
        try FileSystem.writeAtomically(data, to: path)
    }

    static func load(from path: String) -> PartialRecord? {
        guard let data = FileManager.default.contents(atPath: path) else { return nil }
        return try? JSONDecoder().decode(PartialRecord.self, from: data)
    }
}
