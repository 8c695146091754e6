import BotticelliCore

/// An item of a generation stream with heartbeats: an event, or a beat when none came for an interval.
enum HeartbeatItem: Sendable {
    case event(GenerationEvent)
    case beat
}

extension AsyncThrowingStream where Element == GenerationEvent, Failure == any Error {
    /// The same events, with a beat after every `interval` without one. A streaming route writes an SSE comment on
    /// a beat while the request waits in the queue or its prompt is read: the write to a client that has gone away
    /// fails, which ends the route's loop and, through this stream's termination, cancels the generation before it
    /// takes a sequence or spends the prompt's compute for nobody.
    func withHeartbeats(every interval: Duration) -> AsyncThrowingStream<HeartbeatItem, any Error> {
        AsyncThrowingStream<HeartbeatItem, any Error> { continuation in
            let forward = Task {
                do {
                    for try await event in self { continuation.yield(.event(event)) }
                    continuation.finish()
                } catch {
                    continuation.finish(throwing: error)
                }
            }
            let beats = Task {
                while !Task.isCancelled {
                    try? await Task.sleep(for: interval)
                    if Task.isCancelled { break }
                    continuation.yield(.beat)
                }
            }
            continuation.onTermination = { _ in
                forward.cancel()
                beats.cancel()
            }
        }
    }
}
