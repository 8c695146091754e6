import AsyncHTTPClient
import Foundation
import Logging

/// Why one attempt at a range ended before its end.
enum AttemptFailure: Error {
    /// Worth another try: a dropped connection, a stall, 408, 429 or 5xx.
    case retryable(String, retryAfter: Duration?)
    /// The server answered a ranged request with the whole file (200).
    case rangeIgnored
    /// The server answered 416: the partial does not fit the file it serves.
    case rangeNotSatisfiable
}

/// Where a chunk's transfer stands, shared between the task that writes and the one that watches for stalls.
actor ChunkCursor {
    private(set) var position: Int64
    private(set) var lastActivity = ContinuousClock.now

    init(position: Int64) { self.position = position }

    func advance(to position: Int64) {
        self.position = position
        lastActivity = .now
    }

    func touch() { lastActivity = .now }

    var idle: Duration { .now - lastActivity }
}

extension Downloader {
    /// Fetches one range, retrying until it is complete or the give-up rule says stop.
    ///
    /// Give-up rule: `attemptsWithoutProgress` consecutive attempts that brought no byte, or
    /// `timeWithoutProgress` without a byte. Any progress resets both, so a slow, flaky link still finishes.
    func fetch(_ range: Range<Int64>, sequential: Bool, _ context: TransferContext) async throws {
        let start = sequential ? await context.state.completed.prefixEnd : range.lowerBound
        let cursor = ChunkCursor(position: start)
        var failures = 0
        var lastProgress = ContinuousClock.now
        while true {
            let before = await cursor.position
            if before >= range.upperBound { return }
            do {
                try await attempt(range, sequential: sequential, cursor: cursor, context)
            } catch AttemptFailure.retryable(let reason, let retryAfter) {
                try Task.checkCancellation()
                let now = ContinuousClock.now
                if await cursor.position > before {
                    failures = 0
                    lastProgress = now
                }
                failures += 1
                let position = await cursor.position
                if failures >= configuration.attemptsWithoutProgress
                    || now - lastProgress >= configuration.timeWithoutProgress
                {
                    let kept = await context.state.completed.byteCount
                    throw HubError(
                        .gaveUp,
                        "gave up on \(context.filename) at byte \(position) after \(failures) attempts without "
                            + "progress (last: \(reason)); the \(kept) bytes already fetched are kept: run the "
                            + "command again to resume")
                }
                let wait =
                    retryAfter.map { min($0, configuration.maximumRetryAfter) }
                    ?? configuration.backoff(attempt: failures)
                logger.info("\(context.filename): \(reason) at byte \(position); retry \(failures) in \(wait)")
                try await Task.sleep(for: wait)
            }
        }
    }

    /// One request for the rest of `range` from the cursor, streamed to the file.
    private func attempt(
        _ range: Range<Int64>, sequential: Bool, cursor: ChunkCursor, _ context: TransferContext
    ) async throws {
        var position = await cursor.position
        let response = try await request(from: position, to: range.upperBound, sequential: sequential, context)
        let status = Int(response.status.code)
        switch status {
        case 206:
            let start = Self.contentRangeStart(response.headers.first(name: "Content-Range"))
            guard start == position else {
                throw HubError(
                    .invalidResponse,
                    "the server sent bytes from \(start.map(String.init) ?? "?") when asked for \(position) "
                        + "of \(context.filename)")
            }
        case 200:
            guard sequential || (position == 0 && range.upperBound == context.size) else {
                throw AttemptFailure.rangeIgnored
            }
            if position > 0 || context.file.size > 0 {
                // A whole body is never appended to a partial: start the file again.
                try await context.state.discardAll()
                position = 0
                await cursor.advance(to: 0)
            }
        case 416:
            throw AttemptFailure.rangeNotSatisfiable
        case 408, 429, 500...599:
            let retryAfter = response.headers.first(name: "Retry-After").flatMap(Int64.init).map {
                Duration.seconds($0)
            }
            throw AttemptFailure.retryable("the server answered \(status)", retryAfter: retryAfter)
        default:
            throw HubError.fromReply(
                status: status, errorCode: response.headers.first(name: "X-Error-Code"),
                errorMessage: response.headers.first(name: "X-Error-Message"), repo: context.repo,
                revision: "?", filename: context.filename)
        }
        try await stream(response, from: position, to: range.upperBound, cursor: cursor, context)
    }

    /// Sends the GET, following redirects (the token stays with the endpoint's origin).
    private func request(from position: Int64, to end: Int64, sequential: Bool, _ context: TransferContext)
        async throws -> HTTPClientResponse
    {
        var headers = [("Accept-Encoding", "identity")]
        if !sequential || position > 0 {
            headers.append(("Range", sequential ? "bytes=\(position)-" : "bytes=\(position)-\(end - 1)"))
        }
        var url = context.url
        for _ in 0..<8 {
            let response: HTTPClientResponse
            do {
                response = try await client.send(method: .get, url: url, headers: headers, timeout: .seconds(86_400))
            } catch {
                guard error.code == .networkFailure else { throw error }
                try Task.checkCancellation()
                throw AttemptFailure.retryable(error.message, retryAfter: nil)
            }
            guard (300..<400).contains(Int(response.status.code)),
                let location = response.headers.first(name: "Location"),
                let next = HubClient.resolve(location: location, against: url)
            else { return response }
            url = next
        }
        throw HubError(.invalidResponse, "too many redirects while downloading \(context.filename)")
    }

    /// Writes the body at its offsets; a watchdog ends the attempt when no byte arrives for `stallTimeout`.
    private func stream(
        _ response: HTTPClientResponse, from start: Int64, to end: Int64, cursor: ChunkCursor,
        _ context: TransferContext
    ) async throws {
        await cursor.touch()
        let stallTimeout = configuration.stallTimeout
        do {
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask {
                    // Actor hops are batched: the record and the cursor hear of the bytes every `granularity`,
                    // and once more when the attempt ends, however it ends.
                    let granularity: Int64 = 1 << 20
                    var position = start
                    var reported = start
                    do {
                        for try await buffer in response.body {
                            let count = Int(min(Int64(buffer.readableBytes), end - position))
                            try buffer.withUnsafeReadableBytes { bytes throws(HubError) in
                                try context.file.write(UnsafeRawBufferPointer(rebasing: bytes[0..<count]), at: position)
                            }
                            position += Int64(count)
                            if position - reported >= granularity || position >= end {
                                await context.state.didWrite(reported..<position)
                                reported = position
                                await cursor.advance(to: position)
                            } else {
                                await cursor.touch()
                            }
                            if position >= end { return }
                        }
                    } catch {
                        if position > reported { await context.state.didWrite(reported..<position) }
                        await cursor.advance(to: position)
                        throw error
                    }
                    if position > reported { await context.state.didWrite(reported..<position) }
                    await cursor.advance(to: position)
                    throw AttemptFailure.retryable(
                        "the connection closed after \(position - start) of \(end - start) bytes", retryAfter: nil)
                }
                group.addTask {
                    while true {
                        try await Task.sleep(for: max(stallTimeout / 4, .milliseconds(20)))
                        if await cursor.idle >= stallTimeout {
                            throw AttemptFailure.retryable("no data for \(stallTimeout)", retryAfter: nil)
                        }
                    }
                }
                try await group.next()
                group.cancelAll()
            }
        } catch let error as AttemptFailure {
            throw error
        } catch let error as HubError {
            throw error
        } catch {
            try Task.checkCancellation()
            throw AttemptFailure.retryable("the transfer failed: \(error)", retryAfter: nil)
        }
    }

    /// The first byte of a `Content-Range: bytes A-B/N` header.
    static func contentRangeStart(_ header: String?) -> Int64? {
        guard let header, header.hasPrefix("bytes ") else { return nil }
        let spec = header.dropFirst("bytes ".count)
        guard let dash = spec.firstIndex(of: "-") else { return nil }
        return Int64(spec[..<dash])
    }
}
