/// Hashes a partial file while it downloads: it follows the run of completed bytes from byte 0 and reads each new
/// part back (from the page cache, as it was just written), so that when the last byte lands only a short tail is
/// left to hash, not the whole file.
///
/// It hashes only bytes that the transfer's record lists as completed, and keeps a block only when no discard
/// happened while it was read; a discard (416, a server that ignored Range) starts it again from byte 0. Bytes from
/// an earlier run, or a partial adopted from huggingface_hub, are completed from the start, so they are hashed too.
struct PrefixHasher: Sendable {
    let file: PartialFile
    let size: Int64
    let kind: ContentVerifier.Kind
    /// How much is read and hashed between two looks at the record.
    var blockSize = 1 << 20

    /// What was hashed, in order from byte 0.
    struct Result: Sendable, Equatable {
        var hashedBytes: Int64
        /// The hex digest of those bytes; nil when the etag is not a checksum.
        var digest: String?
    }

    /// Follows `state` until its prefix changes end (``TransferState/finishPrefixChanges()``), then hashes what is
    /// left of the prefix. Throws `CancellationError` when cancelled, or a ``HubError`` when the file cannot be read.
    func run(following state: TransferState) async throws -> Result {
        guard var hasher = ContentHasher(kind: kind, size: size) else {
            return Result(hashedBytes: 0, digest: nil)
        }
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: blockSize, alignment: 16)
        defer { buffer.deallocate() }
        var position: Int64 = 0
        var generation = await state.generation
        func catchUp() async throws {
            var prefix = await state.prefix
            while true {
                try Task.checkCancellation()
                if prefix.generation != generation {
                    guard let fresh = ContentHasher(kind: kind, size: size) else { return }
                    hasher = fresh
                    position = 0
                    generation = prefix.generation
                }
                let end = min(prefix.end, size)
                guard position < end else { return }
                let count = Int(min(Int64(blockSize), end - position))
                let block = UnsafeMutableRawBufferPointer(rebasing: buffer[0..<count])
                let read = try readFully(into: block, at: position)
                // The block was completed when it was read unless a discard came in between: then it is dropped.
                prefix = await state.prefix
                guard prefix.generation == generation else { continue }
                guard read == count else {
                    throw HubError(
                        .sizeMismatch,
                        "\(file.path) ended at \(position + Int64(read)) bytes while \(end) were written; "
                            + "another program may have changed it: run the command again")
                }
                hasher.update(UnsafeRawBufferPointer(block))
                position += Int64(count)
            }
        }
        for await _ in state.prefixChanges { try await catchUp() }
        try await catchUp()
        return Result(hashedBytes: position, digest: hasher.finalize())
    }

    /// Reads `buffer.count` bytes at `offset`, or fewer where the file ends.
    private func readFully(into buffer: UnsafeMutableRawBufferPointer, at offset: Int64) throws(HubError) -> Int {
        var done = 0
        while done < buffer.count {
            let count = try file.read(
                into: UnsafeMutableRawBufferPointer(rebasing: buffer[done...]), at: offset + Int64(done))
            if count == 0 { break }
            done += count
        }
        return done
    }
}
