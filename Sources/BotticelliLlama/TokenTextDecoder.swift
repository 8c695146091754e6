/// Joins token pieces into text without ever splitting a UTF-8 character.
///
/// A multi-byte character (é, 東, 🎨) can be spread over several tokens. The decoder holds back the bytes of an
/// incomplete character until the rest arrives, so every string it returns is valid UTF-8 and the concatenation of
/// everything it returns equals the decoding of all bytes.
public struct TokenTextDecoder: Sendable {
    private var pending: [UInt8] = []

    public init() {}

    /// Adds the bytes of one token and returns the text that is now complete (possibly empty).
    public mutating func append(_ bytes: [UInt8]) -> String {
        pending.append(contentsOf: bytes)
        let complete = Self.completePrefixLength(of: pending)
        guard complete > 0 else { return "" }
        let text = String(decoding: pending[..<complete], as: UTF8.self)
        pending.removeFirst(complete)
        return text
    }

    /// Returns whatever is held back; invalid leftovers become U+FFFD. Call at the end of a stream.
    public mutating func flush() -> String {
        defer { pending.removeAll() }
        return pending.isEmpty ? "" : String(decoding: pending, as: UTF8.self)
    }

    /// The length of the longest prefix that does not end inside an unfinished UTF-8 sequence.
    static func completePrefixLength(of bytes: [UInt8]) -> Int {
        // Look back at most 3 bytes for the lead byte of a sequence that is still open.
        var index = bytes.count - 1
        var continuationBytes = 0
        while index >= 0, continuationBytes < 4 {
            let byte = bytes[index]
            if byte & 0b1100_0000 == 0b1000_0000 {
                continuationBytes += 1
                index -= 1
                continue
            }
            let expected: Int
            if byte & 0b1000_0000 == 0 {
                expected = 1
            } else if byte & 0b1110_0000 == 0b1100_0000 {
                expected = 2
            } else if byte & 0b1111_0000 == 0b1110_0000 {
                expected = 3
            } else if byte & 0b1111_1000 == 0b1111_0000 {
                expected = 4
            } else {
                return bytes.count  // not a lead byte: invalid, let the decoder replace it
            }
            return continuationBytes + 1 >= expected ? bytes.count : index
        }
        return bytes.count
    }
}
