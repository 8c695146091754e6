import Foundation
import Logging

extension Downloader {
    /// Writes `blobs/<etag>` from the network, resuming a partial, verifying before the rename.
    /// The caller holds the blob's lock.
    func transfer(
        repo: String, filename: String, metadata: HubFileMetadata,
        progress: (@Sendable (DownloadProgress) -> Void)?
    ) async throws {
        let blobPath = cache.blobPath(repo: repo, etag: metadata.etag)
        let partialPath = cache.incompletePath(repo: repo, etag: metadata.etag)
        let recordPath = partialPath + ".ranges"
        try FileSystem.createDirectory((blobPath as NSString).deletingLastPathComponent)

        adoptOrphanedPartial(blobFolder: (blobPath as NSString).deletingLastPathComponent, etag: metadata.etag)
        var record = TransferState.load(from: recordPath)
        if let loaded = record, loaded.etag != metadata.etag || loaded.size != metadata.size { record = nil }
        if record == nil {
            var completed = ByteRanges()
            // A partial without a record is huggingface_hub's: written from the start, in order.
            if !FileSystem.entryExists(recordPath), let existing = FileSystem.size(partialPath), existing > 0 {
                completed.insert(0..<min(existing, metadata.size))
            }
            record = PartialRecord(etag: metadata.etag, size: metadata.size, completed: completed)
            // The record exists before any byte is written, so a partial of ours is never taken for one of theirs.
            try TransferState.save(record!, to: recordPath)
        }
        let file = try PartialFile(path: partialPath)
        let needed = metadata.size - record!.completed.byteCount
        if let available = FileSystem.availableBytes(at: (blobPath as NSString).deletingLastPathComponent),
            available < needed
        {
            throw HubError(
                .insufficientDiskSpace,
                "\(filename) needs \(ProgressRenderer.bytes(needed)) more, but only "
                    + "\(ProgressRenderer.bytes(available)) are free in \(cache.root); free some space "
                    + "(`prune` removes unused blobs) or point HF_HUB_CACHE to a larger disk")
        }
        if record!.completed.byteCount > 0 {
            logger.info(
                "resuming \(filename): \(record!.completed.byteCount) of \(metadata.size) bytes already on disk")
        }
        let state = TransferState(
            record: record!, file: file, recordPath: recordPath, repo: repo, filename: filename,
            configuration: configuration, onProgress: progress)
        await state.report(.downloading)
        let context = TransferContext(
            repo: repo, filename: filename, url: metadata.location, size: metadata.size, file: file, state: state)
        // Hashing runs beside the transfer, so that it is nearly done when the last byte lands.
        let hasher = PrefixHasher(file: file, size: metadata.size, kind: ContentVerifier.kind(ofEtag: metadata.etag))
        async let hashed = hasher.run(following: state)
        do {
            try await fetchAllCheckpointing(context)
        } catch {
            // Keep what arrived: the next run starts from here.
            try? await state.checkpoint()
            if let error = error as? HubError, error.code == .insufficientDiskSpace {
                throw await diskFilledUp(context, partialPath: partialPath, cause: error)
            }
            throw error
        }
        await state.report(.verifying)
        await state.finishPrefixChanges()
        // The last flush (the blob must be on the disk before it is renamed into place) overlaps the hash's tail.
        async let durable: Void = state.checkpoint()
        let digest = try await hashed
        try await durable
        try await verify(context, etag: metadata.etag, hashed: digest, partialPath: partialPath, recordPath: recordPath)
        try FileSystem.rename(partialPath, blobPath)
        try FileSystem.remove(recordPath)
    }

    /// The disk filled up during the transfer (another program wrote to it, or the preflight's estimate was short):
    /// how much is still needed, what is free, and that the bytes fetched are kept for the next run.
    private func diskFilledUp(_ context: TransferContext, partialPath: String, cause: HubError) async -> HubError {
        let kept = await context.state.completed.byteCount
        let folder = (partialPath as NSString).deletingLastPathComponent
        let free = FileSystem.availableBytes(at: folder).map { ProgressRenderer.bytes($0) } ?? "an unknown amount"
        return HubError(
            .insufficientDiskSpace,
            "the disk is full: \(context.filename) needs \(ProgressRenderer.bytes(context.size - kept)) more "
                + "(\(ProgressRenderer.bytes(context.size)) in all), and \(free) are free in \(cache.root) "
                + "(\(cause.message)). The \(ProgressRenderer.bytes(kept)) already fetched are kept in \(partialPath); "
                + "free some space (`cache prune` removes unused blobs) or point HF_HUB_CACHE to a larger disk, then run "
                + "the command again to resume")
    }

    /// huggingface_hub (since 1.x) writes `<etag>.<random>.incomplete`, in order from the start. Under the blob's
    /// lock no such writer is alive, so when we have no partial of our own, the largest of theirs becomes ours.
    private func adoptOrphanedPartial(blobFolder: String, etag: String) {
        let ours = "\(blobFolder)/\(etag).incomplete"
        guard !FileSystem.entryExists(ours) else { return }
        let theirs = FileSystem.contents(blobFolder)
            .filter { $0.hasPrefix(etag + ".") && $0.hasSuffix(".incomplete") && $0 != "\(etag).incomplete" }
            .map { "\(blobFolder)/\($0)" }
            .max { (FileSystem.size($0) ?? 0) < (FileSystem.size($1) ?? 0) }
        guard let theirs else { return }
        logger.info("resuming the partial download huggingface_hub left at \(theirs)")
        try? FileSystem.rename(theirs, ours)
    }

    /// ``fetchAll(_:)`` with checkpoints beside it; a checkpoint that fails (a full disk) ends the transfer.
    private func fetchAllCheckpointing(_ context: TransferContext) async throws {
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await context.state.checkpointPeriodically() }
            group.addTask { try await self.fetchAll(context) }
            // The first to finish is the fetch (or a failure of either): the checkpoints stop with it.
            try await group.next()
            group.cancelAll()
        }
    }

    /// Fetches every missing range: in parallel chunks, or as one stream when the server ignores Range.
    private func fetchAll(_ context: TransferContext) async throws {
        var sequential = false
        var discardedStalePartial = false
        // Each pass normally completes every missing range; the bound only stops a server that keeps
        // answering with less than it promised from looping forever.
        for _ in 0..<100 {
            let missing = await context.state.completed.missing(size: context.size)
            if missing.isEmpty { return }
            do {
                if sequential {
                    try await fetch(0..<context.size, sequential: true, context)
                } else {
                    try await fetchChunks(
                        split(missing, chunkSize: configuration.chunkSize(forFileSize: context.size)), context)
                }
            } catch AttemptFailure.rangeIgnored {
                logger.notice("the server ignores Range for \(context.filename): downloading it as one stream")
                sequential = true
            } catch AttemptFailure.rangeNotSatisfiable {
                guard !discardedStalePartial else {
                    throw HubError(
                        .invalidResponse, "the server refuses every byte range of \(context.filename) (416)")
                }
                logger.notice("the server refused a range of \(context.filename) (416): starting it anew")
                discardedStalePartial = true
                try await context.state.discardAll()
            }
        }
        throw HubError(
            .invalidResponse, "the server kept sending less of \(context.filename) than it announced; try again later")
    }

    private func fetchChunks(_ chunks: [Range<Int64>], _ context: TransferContext) async throws {
        try await withThrowingTaskGroup(of: Void.self) { group in
            var pending = chunks.makeIterator()
            for _ in 0..<max(1, configuration.connections) {
                guard let chunk = pending.next() else { break }
                group.addTask { try await self.fetch(chunk, sequential: false, context) }
            }
            while try await group.next() != nil {
                if let chunk = pending.next() {
                    group.addTask { try await self.fetch(chunk, sequential: false, context) }
                }
            }
        }
    }

    func split(_ ranges: [Range<Int64>], chunkSize: Int64) -> [Range<Int64>] {
        ranges.flatMap { range in
            stride(from: range.lowerBound, to: range.upperBound, by: Int(chunkSize)).map {
                $0..<min($0 + chunkSize, range.upperBound)
            }
        }
    }

    /// Checks the size, and the digest the ``PrefixHasher`` computed over every byte, against the etag; removes a
    /// partial file that fails.
    private func verify(
        _ context: TransferContext, etag: String, hashed: PrefixHasher.Result, partialPath: String, recordPath: String
    ) async throws {
        let file = context.file
        let missing = await context.state.completed.missing(size: context.size)
        if file.size > context.size { try file.truncate(to: context.size) }
        guard missing.isEmpty, file.size == context.size else {
            throw HubError(
                .sizeMismatch,
                "\(context.filename) is incomplete: expected \(context.size) bytes, have \(file.size); "
                    + "run the command again to fetch the rest")
        }
        let kind = ContentVerifier.kind(ofEtag: etag)
        guard let digest = hashed.digest else {
            logger.warning("\(context.filename): etag \(etag) is not a checksum; only its size was checked")
            return
        }
        guard hashed.hashedBytes == context.size else {
            throw HubError(
                .sizeMismatch,
                "\(context.filename) was checked up to byte \(hashed.hashedBytes) of \(context.size) only; "
                    + "run the command again")
        }
        guard digest == etag.lowercased() else {
            try FileSystem.remove(partialPath)
            try FileSystem.remove(recordPath)
            let algorithm = kind == .sha256 ? "SHA-256" : "git SHA-1"
            throw HubError(
                .checksumMismatch,
                "\(context.filename) of \(context.repo) failed verification: its \(algorithm) is \(digest), the Hub "
                    + "says \(etag). The corrupt partial file was removed; run the command again to download it anew")
        }
    }
}

/// What every chunk of one transfer needs.
struct TransferContext: Sendable {
    var repo: String
    var filename: String
    var url: String
    var size: Int64
    var file: PartialFile
    var state: TransferState
}
