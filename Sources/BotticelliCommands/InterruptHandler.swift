import Dispatch
import Foundation

/// Turns Ctrl-C (SIGINT) and SIGTERM into cancellation of one piece of work, so that a download stops cleanly,
/// keeps its partial file, and says how to resume.
enum InterruptHandler {
    /// The work was stopped by a signal.
    struct Interrupted: Error, CustomStringConvertible {
        var description: String {
            "interrupted: the partial download is kept; run the same command again to resume it"
        }
    }

    static func run<Value: Sendable>(_ body: @escaping @Sendable () async throws -> Value) async throws -> Value {
        let task = Task { try await body() }
        let signals = [SIGINT, SIGTERM]
        let sources = signals.map { number in
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            source.setEventHandler { task.cancel() }
            source.resume()
            return source
        }
        defer {
            for source in sources { source.cancel() }
            for number in signals { signal(number, SIG_DFL) }
        }
        do {
            return try await task.value
        } catch let error where task.isCancelled {
            _ = error
            throw Interrupted()
        }
    }
}
