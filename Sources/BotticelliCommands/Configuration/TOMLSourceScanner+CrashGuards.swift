/// Spotting the malformed TOML on which toml++ aborts instead of reporting an error.
///
/// toml++ (under TOMLKit 0.6.0) checks some parser preconditions with `assert`, which SwiftPM leaves on even in
/// release builds, so a typo in a configuration file would crash the server. Fuzzing found three kinds; each check
/// here matches only text that is not valid TOML, so a valid file is never refused.
extension TOMLSourceScanner {
    /// A header's key must start with a key character or a quote (toml++ reports a `]`, and a second `[` after `[`).
    mutating func checkHeaderKeyStart(isArray: Bool) {
        while peek() == UInt8(ascii: " ") || peek() == UInt8(ascii: "\t") { advance(1) }
        guard let first = peek(), !isKeyStart(first), first != UInt8(ascii: "]") else { return }
        if isArray || first != UInt8(ascii: "[") {
            noteCrashingSyntax(expected: "a table name after '['")
        }
    }

    /// An array element must not start with `}`.
    mutating func checkArrayElementStart(_ byte: UInt8) {
        if byte == UInt8(ascii: "}") { noteCrashingSyntax(expected: "a value or ']' in the array, not '}'") }
    }

    /// toml++ asserts on two malformed date-times: `YYYY-MM-DDT` (or `t`) not followed by a digit, and
    /// `YYYY-MM-DD` followed by a space, one digit and a delimiter (it ignores `_` in the date). Neither is valid TOML.
    mutating func checkDateTime() {
        var date: [UInt8] = []
        var end = offset
        while end < bytes.count, date.count <= 10, !isDelimiter(bytes[end]), bytes[end] != UInt8(ascii: "T"),
            bytes[end] != UInt8(ascii: "t")
        {
            if bytes[end] != UInt8(ascii: "_") { date.append(bytes[end]) }
            end += 1
        }
        let isDate =
            date.count == 10
            && date.enumerated().allSatisfy { index, byte in
                index == 4 || index == 7 ? byte == UInt8(ascii: "-") : isDigit(byte)
            }
        guard isDate, end + 1 < bytes.count else { return }
        let separator = bytes[end]
        if separator == UInt8(ascii: "T") || separator == UInt8(ascii: "t") {
            if !bytes[offset..<end].contains(UInt8(ascii: "_")) && !isDigit(bytes[end + 1]) {
                noteCrashingSyntax(expected: "a time (HH:MM:SS) after the date's 'T'")
            }
        } else if separator == UInt8(ascii: " "), isDigit(bytes[end + 1]), end + 2 < bytes.count,
            isDelimiter(bytes[end + 2])
        {
            noteCrashingSyntax(expected: "a time (HH:MM:SS) after the date")
        }
    }

    /// What ends a bare value for toml++: white space, `,`, `]`, `}` and `#`.
    private func isDelimiter(_ byte: UInt8) -> Bool {
        byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\t") || byte == UInt8(ascii: "\n")
            || byte == UInt8(ascii: "\r") || byte == UInt8(ascii: ",") || byte == UInt8(ascii: "]")
            || byte == UInt8(ascii: "}") || byte == UInt8(ascii: "#")
    }

    private func isDigit(_ byte: UInt8) -> Bool {
        byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9")
    }

    mutating func noteCrashingSyntax(expected: String) {
        guard crashingSyntax == nil else { return }
        // Columns count characters from 1, as toml++ does: skip UTF-8 continuation bytes.
        let column = bytes[lineStart..<offset].filter { $0 & 0xC0 != 0x80 }.count + 1
        crashingSyntax = .init(line: line, column: column, expected: expected)
    }
}
