/// The line of every key, table header and array element in a TOML document.
///
/// TOMLKit reports lines only for syntax errors: toml++ tracks a source region per node, but TOMLKit does not
/// expose it. So the text is scanned here, after TOMLKit has accepted it, to find where each key is written.
/// Dotted keys, quoted keys, `[[array]]` tables (their elements numbered from 0), multi-line strings and arrays,
/// and inline tables are understood; a key with no line of its own gets the line of the nearest enclosing key.
struct ConfigurationSourceMap: Sendable {
    /// A `key = value` pair, with the byte offsets an edit needs.
    struct Entry: Sendable, Equatable {
        var path: ConfigurationKeyPath
        var line: Int
        /// The offset of the first byte of the key.
        var keyStart: Int
        /// The offsets of the value's first byte and of the byte after its last.
        var valueStart: Int
        var valueEnd: Int
        /// The line of the value's last byte.
        var lastLine: Int
        /// True inside an inline table or an array, where a line cannot be edited on its own.
        var isNested: Bool
        /// The header the pair sits under, nil at the top of the document.
        var table: ConfigurationKeyPath?
    }

    /// A `[table]` or `[[array]]` header.
    struct Header: Sendable, Equatable {
        var path: ConfigurationKeyPath
        var line: Int
        var isArray: Bool
        /// The offset of the byte after the header's line (after its newline, or the end of the text).
        var lineEnd: Int
        /// The offset of the header's first byte (the `[`).
        var start: Int
    }

    /// A place in the text (1-based line and column, in characters) and what TOML expects there.
    struct Position: Sendable, Equatable {
        var line: Int
        var column: Int
        var expected: String
    }

    private(set) var lines: [String: Int] = [:]
    private(set) var entries: [Entry] = []
    private(set) var headers: [Header] = []
    /// Where the text has a syntax error that toml++ would not report but abort on (it checks some of its
    /// preconditions with `assert`, even in release builds); nil for valid TOML and for every other error.
    private(set) var crashingSyntax: Position?

    init(text: String) {
        var scanner = TOMLSourceScanner(text: text)
        scanner.scanDocument()
        lines = scanner.lines
        entries = scanner.entries
        headers = scanner.headers
        crashingSyntax = scanner.crashingSyntax
    }

    /// The line where `path` is written, else the line of its nearest enclosing key or table.
    func line(for path: ConfigurationKeyPath) -> Int? {
        var current: ConfigurationKeyPath? = path
        while let candidate = current, !candidate.components.isEmpty {
            if let line = lines[candidate.description] { return line }
            current = candidate.parent
        }
        return nil
    }
}
