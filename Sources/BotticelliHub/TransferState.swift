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
    private var lastReport: ContinuousClock.Instant?
    /// (time, bytes written this run) samples over the last few seconds, for the rate.
    private var samples: [(ContinuousClock.Instant, Int64)] = []
    private var bytesThisRun: Int64 = 0
    /// Counts the writes noted, and the count the saved record covers: a checkpoint with nothing new does nothing.
    private var revision = 0
    private var savedRevision = 0
    /// Bumped by every discard: bytes read back under one generation are worthless under the next.
    private(set) var generation = 0
    /// Told whenever the completed prefix grows or the bytes are discarded; the ``PrefixHasher`` follows it.
    nonisolated let prefixChanges: AsyncStream<Void>
    private let prefixContinuation: AsyncStream<Void>.Continuation

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
        (prefixChanges, prefixContinuation) = AsyncStream.makeStream(bufferingPolicy: .bufferingNewest(1))
    }

    var completed: ByteRanges { record.completed }

    /// The end of the completed run from byte 0, and the generation it belongs to.
    var prefix: (end: Int64, generation: Int) { (record.completed.prefixEnd, generation) }

    /// Ends ``prefixChanges``: no byte will be written any more.
    func finishPrefixChanges() { prefixContinuation.finish() }

    /// Notes bytes written at `range` (they are in the file already) and reports progress when due. Never waits on
    /// the disk: ``checkpoint()`` does that, beside the chunks.
    func didWrite(_ range: Range<Int64>) {
        let prefixEnd = record.completed.prefixEnd
        record.completed.insert(range)
        if record.completed.prefixEnd != prefixEnd { prefixContinuation.yield() }
        bytesThisRun += Int64(range.count)
        revision += 1
        let now = ContinuousClock.now
        if let lastReport, now - lastReport < configuration.progressInterval { return }
        report(.downloading, now: now)
    }

    /// Makes the written bytes durable, then records them: the record never claims bytes the disk lacks.
    ///
    /// The chunks go on writing while the disk flushes: the record saved is the one from before the flush began,
    /// and it is not saved at all when a discard came in between (the discard saved its own).
    func checkpoint() async throws(HubError) {
        guard revision != savedRevision else { return }
        let snapshot = record
        let snapshotRevision = revision
        let snapshotGeneration = generation
        try await file.synchronizeInBackground()
        guard generation == snapshotGeneration, snapshotRevision > savedRevision else { return }
        try Self.save(snapshot, to: recordPath)
        savedRevision = snapshotRevision
    }

    /// Checkpoints every `checkpointInterval` until cancelled, so that an interrupted download loses little. In
    /// between it flushes what arrived every 100 ms: the disk then writes while the bytes arrive, rather than all at
    /// the end, and the flush before the rename finds little left to do.
    func checkpointPeriodically() async throws {
        let flushInterval = min(configuration.checkpointInterval, .milliseconds(100))
        var lastCheckpoint = ContinuousClock.now
        var flushedRevision = revision
        while true {
            try await Task.sleep(for: flushInterval)
            if ContinuousClock.now - lastCheckpoint >= configuration.checkpointInterval {
                try await checkpoint()
                lastCheckpoint = .now
            } else if revision != flushedRevision {
                flushedRevision = revision
                try await file.synchronizeInBackground()
            }
        }
    }

    /// Forgets every byte (the server ignored Range, or the partial was stale) and empties the file.
    func discardAll() throws(HubError) {
        record.completed = ByteRanges()
        generation += 1
        prefixContinuation.yield()
        try file.truncate(to: 0)
        try Self.save(record, to: recordPath)
        savedRevision = revision
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
