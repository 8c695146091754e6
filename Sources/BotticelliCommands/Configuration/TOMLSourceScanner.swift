/// Walks a TOML document, noting where each key is written.
///
/// Its line numbers are meant for text TOMLKit has accepted; it also runs before TOMLKit to spot the few errors that
/// would make toml++ abort (see `TOMLSourceScanner+CrashGuards.swift`). It never traps and always ends: on anything
/// unexpected it skips ahead.
struct TOMLSourceScanner {
    let bytes: [UInt8]
    var offset = 0
    var line = 1
    /// The offset where the current line starts.
    var lineStart = 0
    private var table: ConfigurationKeyPath?
    private var arrayCounts: [String: Int] = [:]

    private(set) var lines: [String: Int] = [:]
    private(set) var entries: [ConfigurationSourceMap.Entry] = []
    private(set) var headers: [ConfigurationSourceMap.Header] = []
    /// The first place where toml++ would trip an assertion (and abort the process) instead of reporting an error.
    var crashingSyntax: ConfigurationSourceMap.Position?

    init(text: String) {
        bytes = Array(text.utf8)
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { offset = 3 }
    }

    mutating func scanDocument() {
        while true {
            skipBlank(newlines: true)
            guard let byte = peek() else { return }
            let lineBefore = line
            if byte == UInt8(ascii: "[") {
                scanHeader()
            } else if isKeyStart(byte) {
                scanPair(in: table ?? ConfigurationKeyPath(), nested: false)
            }
            skipRestOfLine(ifStillOn: lineBefore)
        }
    }

    // MARK: - Headers and pairs

    private mutating func scanHeader() {
        let start = offset
        let headerLine = line
        let isArray = peek(at: 1) == UInt8(ascii: "[")
        advance(isArray ? 2 : 1)
        checkHeaderKeyStart(isArray: isArray)
        let keys = scanKeys()
        skipBlank(newlines: false)
        advance(isArray ? 2 : 1)
        var path = resolve(keys, isArrayHeader: isArray)
        if isArray {
            let index = (arrayCounts[path.description] ?? -1) + 1
            arrayCounts[path.description] = index
            record(path, line: headerLine)
            path = path.appending(index: index)
        }
        record(path, line: headerLine)
        table = path
        skipRestOfLine(ifStillOn: headerLine)
        headers.append(.init(path: path, line: headerLine, isArray: isArray, lineEnd: offset, start: start))
    }

    /// A header's keys, with the current index of every `[[array]]` they pass through (but not of the array an
    /// `[[array]]` header itself adds to).
    private func resolve(_ keys: [String], isArrayHeader: Bool) -> ConfigurationKeyPath {
        var path = ConfigurationKeyPath()
        for (position, key) in keys.enumerated() {
            path = path.appending(key)
            let isLast = position == keys.count - 1
            if !(isArrayHeader && isLast), let index = arrayCounts[path.description] {
                path = path.appending(index: index)
            }
        }
        return path
    }

    private mutating func scanPair(in base: ConfigurationKeyPath, nested: Bool) {
        let keyStart = offset
        let keyLine = line
        let keys = scanKeys()
        guard !keys.isEmpty else { return }
        var path = base
        for key in keys {
            path = path.appending(key)
            record(path, line: keyLine)
        }
        skipBlank(newlines: false)
        guard peek() == UInt8(ascii: "=") else { return }
        advance(1)
        skipBlank(newlines: false)
        let valueStart = offset
        scanValue(at: path)
        entries.append(
            .init(
                path: path, line: keyLine, keyStart: keyStart, valueStart: valueStart, valueEnd: offset,
                lastLine: line, isNested: nested, table: nested ? nil : table))
    }

    /// Dotted keys: bare, `"basic"` or `'literal'`, separated by `.`.
    private mutating func scanKeys() -> [String] {
        var keys: [String] = []
        while true {
            skipBlank(newlines: false)
            guard let byte = peek() else { return keys }
            if byte == UInt8(ascii: "\"") {
                advance(1)
                keys.append(scanBasicString())
            } else if byte == UInt8(ascii: "'") {
                advance(1)
                keys.append(scanLiteralString())
            } else if isBareKeyByte(byte) {
                let start = offset
                while let next = peek(), isBareKeyByte(next) { advance(1) }
                keys.append(String(decoding: bytes[start..<offset], as: UTF8.self))
            } else {
                return keys
            }
            skipBlank(newlines: false)
            guard peek() == UInt8(ascii: ".") else { return keys }
            advance(1)
        }
    }

    // MARK: - Values

    private mutating func scanValue(at path: ConfigurationKeyPath) {
        guard let byte = peek() else { return }
        switch byte {
        case UInt8(ascii: "\""):
            if starts(with: "\"\"\"") {
                advance(3)
                skipMultilineString(quote: UInt8(ascii: "\""), escapes: true)
            } else {
                advance(1)
                _ = scanBasicString()
            }
        case UInt8(ascii: "'"):
            if starts(with: "'''") {
                advance(3)
                skipMultilineString(quote: UInt8(ascii: "'"), escapes: false)
            } else {
                advance(1)
                _ = scanLiteralString()
            }
        case UInt8(ascii: "["):
            advance(1)
            scanArray(at: path)
        case UInt8(ascii: "{"):
            advance(1)
            scanInlineTable(at: path)
        default:
            // Numbers, booleans and dates (which may hold one space) end at a delimiter or a comment.
            let start = offset
            checkDateTime()
            while let next = peek(), !isScalarEnd(next) { advance(1) }
            while offset > start, bytes[offset - 1] == UInt8(ascii: " ") || bytes[offset - 1] == UInt8(ascii: "\t") {
                offset -= 1
            }
        }
    }

    private mutating func scanArray(at path: ConfigurationKeyPath) {
        var index = 0
        while true {
            skipBlank(newlines: true)
            guard let byte = peek() else { return }
            if byte == UInt8(ascii: "]") {
                advance(1)
                return
            }
            if byte == UInt8(ascii: ",") {
                advance(1)
                index += 1
                continue
            }
            checkArrayElementStart(byte)
            let before = offset
            record(path.appending(index: index), line: line)
            scanValue(at: path.appending(index: index))
            if offset <= before { advance(1) }
        }
    }

    private mutating func scanInlineTable(at path: ConfigurationKeyPath) {
        while true {
            skipBlank(newlines: true)
            guard let byte = peek() else { return }
            if byte == UInt8(ascii: "}") {
                advance(1)
                return
            }
            if byte == UInt8(ascii: ",") {
                advance(1)
                continue
            }
            let before = offset
            scanPair(in: path, nested: true)
            if offset <= before { advance(1) }
        }
    }

    /// After the opening quote; returns the decoded text (escapes decoded well enough to match key names).
    private mutating func scanBasicString() -> String {
        var scalars = String.UnicodeScalarView()
        var start = offset
        func flush(_ end: Int) {
            scalars.append(contentsOf: String(decoding: bytes[start..<end], as: UTF8.self).unicodeScalars)
        }
        while let byte = peek(), byte != UInt8(ascii: "\n") {
            if byte == UInt8(ascii: "\"") {
                flush(offset)
                advance(1)
                return String(scalars)
            }
            if byte == UInt8(ascii: "\\") {
                flush(offset)
                advance(1)
                scalars.append(contentsOf: scanEscape().unicodeScalars)
                start = offset
                continue
            }
            advance(1)
        }
        flush(offset)
        return String(scalars)
    }

    private mutating func scanEscape() -> String {
        guard let byte = peek() else { return "" }
        advance(1)
        switch byte {
        case UInt8(ascii: "n"): return "\n"
        case UInt8(ascii: "t"): return "\t"
        case UInt8(ascii: "r"): return "\r"
        case UInt8(ascii: "b"): return "\u{8}"
        case UInt8(ascii: "f"): return "\u{C}"
        case UInt8(ascii: "e"): return "\u{1B}"
        case UInt8(ascii: "u"), UInt8(ascii: "U"):
            let count = byte == UInt8(ascii: "u") ? 4 : 8
            let end = min(offset + count, bytes.count)
            let hex = String(decoding: bytes[offset..<end], as: UTF8.self)
            advance(end - offset)
            return UInt32(hex, radix: 16).flatMap(Unicode.Scalar.init).map { String($0) } ?? ""
        default: return String(decoding: [byte], as: UTF8.self)
        }
    }

    /// After the opening quote of a literal string.
    private mutating func scanLiteralString() -> String {
        let start = offset
        while let byte = peek(), byte != UInt8(ascii: "'"), byte != UInt8(ascii: "\n") { advance(1) }
        let text = String(decoding: bytes[start..<offset], as: UTF8.self)
        if peek() == UInt8(ascii: "'") { advance(1) }
        return text
    }

    /// After the opening `"""` or `'''`; the closing delimiter may be followed by up to two more quotes.
    private mutating func skipMultilineString(quote: UInt8, escapes: Bool) {
        while let byte = peek() {
            if escapes && byte == UInt8(ascii: "\\") {
                advance(2)
            } else if byte == quote && peek(at: 1) == quote && peek(at: 2) == quote {
                advance(3)
                var extra = 0
                while extra < 2, peek() == quote {
                    advance(1)
                    extra += 1
                }
                return
            } else {
                advance(1)
            }
        }
    }

    // MARK: - Bytes

    private mutating func record(_ path: ConfigurationKeyPath, line: Int) {
        let key = path.description
        if lines[key] == nil { lines[key] = line }
    }

    func peek(at distance: Int = 0) -> UInt8? {
        offset + distance < bytes.count ? bytes[offset + distance] : nil
    }

    private func starts(with text: String) -> Bool {
        let pattern = Array(text.utf8)
        return offset + pattern.count <= bytes.count && Array(bytes[offset..<offset + pattern.count]) == pattern
    }

    mutating func advance(_ count: Int) {
        for _ in 0..<count where offset < bytes.count {
            if bytes[offset] == UInt8(ascii: "\n") {
                line += 1
                lineStart = offset + 1
            }
            offset += 1
        }
    }

    /// Spaces and tabs, comments, and (when `newlines`) line breaks.
    private mutating func skipBlank(newlines: Bool) {
        while let byte = peek() {
            if byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\t") {
                advance(1)
            } else if newlines && (byte == UInt8(ascii: "\n") || byte == UInt8(ascii: "\r")) {
                advance(1)
            } else if byte == UInt8(ascii: "#") {
                while let next = peek(), next != UInt8(ascii: "\n") { advance(1) }
            } else {
                return
            }
        }
    }

    /// Moves past the newline that ends `line`, unless a multi-line value already moved past it.
    private mutating func skipRestOfLine(ifStillOn startLine: Int) {
        guard line == startLine else { return }
        while let byte = peek() {
            advance(1)
            if byte == UInt8(ascii: "\n") { return }
        }
    }

    private func isBareKeyByte(_ byte: UInt8) -> Bool {
        (byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z"))
            || (byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z"))
            || (byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9")) || byte == UInt8(ascii: "_")
            || byte == UInt8(ascii: "-")
    }

    func isKeyStart(_ byte: UInt8) -> Bool {
        isBareKeyByte(byte) || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "'")
    }

    private func isScalarEnd(_ byte: UInt8) -> Bool {
        byte == UInt8(ascii: ",") || byte == UInt8(ascii: "]") || byte == UInt8(ascii: "}") || byte == UInt8(ascii: "#")
            || byte == UInt8(ascii: "\n") || byte == UInt8(ascii: "\r")
    }
}
