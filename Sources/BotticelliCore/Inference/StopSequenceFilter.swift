/// Holds back streamed text that might be the start of a stop string, so a stop string never leaks into output.
///
/// Feed text pieces in order; each call returns the text that is safe to emit and whether a stop string was found
/// (then everything from the stop string on is dropped and the generation should end).
public struct StopSequenceFilter: Sendable {
    public let stopStrings: [String]
    private var pending = ""
    /// The stop string that completed, once `append` has reported `stopped`.
    public private(set) var matched: String?

    public init(stopStrings: [String]) {
        self.stopStrings = stopStrings.filter { !$0.isEmpty }
    }

    /// Adds `text`; returns what can be emitted now, and `stopped` when a stop string completed.
    public mutating func append(_ text: String) -> (emit: String, stopped: Bool) {
        guard !stopStrings.isEmpty else { return (text, false) }
        pending += text
        if let (range, stop) = earliestStop(in: pending) {
            let emit = String(pending[..<range.lowerBound])
            pending = ""
            matched = stop
            return (emit, true)
        }
        let keep = longestSuffixThatStartsAStop(pending)
        let cut = pending.index(pending.endIndex, offsetBy: -keep)
        let emit = String(pending[..<cut])
        pending = String(pending[cut...])
        return (emit, false)
    }

    /// The text still held back; emit it when generation ends for another reason.
    public mutating func flush() -> String {
        defer { pending = "" }
        return pending
    }

    private func earliestStop(in text: String) -> (Range<String.Index>, String)? {
        stopStrings.compactMap { stop in text.range(of: stop).map { ($0, stop) } }
            .min { $0.0.lowerBound < $1.0.lowerBound }
    }

    /// The length, in characters, of the longest suffix of `text` that is a proper prefix of a stop string.
    private func longestSuffixThatStartsAStop(_ text: String) -> Int {
        var best = 0
        for stop in stopStrings {
            let limit = min(stop.count - 1, text.count)
            guard limit > best else { continue }
            for length in stride(from: limit, to: best, by: -1) where text.hasSuffix(stop.prefix(length)) {
                best = length
                break
            }
        }
        return best
    }
}
