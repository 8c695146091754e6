import Foundation

/// Sets `[model] spec` in a configuration file by editing its text, so that every other line and comment stays.
///
/// The value of an existing `spec` is replaced in place (a comment after it survives); otherwise the line is added
/// under `[model]`, or a `[model]` table is appended. Keys of the other form (`hf_repo`, `filename`,
/// `tokenizer_repo`, `revision`) would contradict the new spec, so their lines are commented out, not deleted.
public enum ModelSelectionEditor {
    /// Sets `model.spec` in the file at `path`, creating the file (and its folder) when it is absent.
    public static func saveModelSelection(spec: String, to path: String) throws(ConfigurationError) {
        let existing = FileManager.default.fileExists(atPath: path) ? try ConfigurationLoader.readText(at: path) : nil
        let edited = try settingModelSpec(spec, in: existing, path: path)
        try ConfigurationFileWriter.write(edited, to: path)
    }

    /// The text with `model.spec` set; nil text stands for a new file.
    static func settingModelSpec(_ spec: String, in text: String?, path: String) throws(ConfigurationError) -> String {
        _ = try ConfigurationSchema.modelSpec.convert(.string(spec), origin: nil)
        guard let text else {
            return "# Botticelli configuration; `botticelli_server config init` writes one listing every setting.\n\n"
                + "[model]\nspec = \(TOMLText.quoted(spec))\n"
        }
        _ = try ConfigurationFileParser.parseTOML(text, path: path)
        var edit = TextEdit(text: text)
        let map = ConfigurationSourceMap(text: text)
        let line = "spec = \(TOMLText.quoted(spec))"

        if let current = map.entries.first(where: { $0.path.description == "model.spec" }) {
            edit.replace(current.valueStart..<current.valueEnd, with: TOMLText.quoted(spec))
        } else if let header = map.headers.first(where: { $0.path.description == "model" && !$0.isArray }) {
            edit.insertLine(line, at: header.lineEnd)
        } else if let inline = map.entries.first(where: { $0.path.description == "model" }) {
            throw inlineTable(path: path, line: inline.line)
        } else if let dotted = map.entries.first(where: {
            $0.table == nil && !$0.isNested && $0.path.components.first == .key("model")
        }) {
            // `model.cache_dir = …` at the top of the file: add a sibling dotted key above it.
            edit.insertLine("model." + line, at: edit.startOfLine(dotted.line))
        } else {
            edit.appendTable("[model]", line: line)
        }
        // After the spec line, so that at the same offset the new line comes first.
        let superseded = ["hf_repo", "filename", "tokenizer_repo", "revision"].map { "model.\($0)" }
        for entry in map.entries where superseded.contains(entry.path.description) {
            guard !entry.isNested else { throw inlineTable(path: path, line: entry.line) }
            for number in entry.line...entry.lastLine { edit.insert("# ", at: edit.startOfLine(number)) }
        }
        let result = edit.result
        let check = try? ConfigurationFileParser.parseTOML(result, path: path)
        guard check?["model"]?["spec"]?.string == spec else {
            throw ConfigurationError(
                kind: .writeFailed, origin: .file(path: path, line: nil, column: nil),
                detail: "could not set `model.spec` without disturbing the file; set it by hand")
        }
        return result
    }

    private static func inlineTable(path: String, line: Int) -> ConfigurationError {
        ConfigurationError(
            kind: .writeFailed, origin: .file(path: path, line: line, column: nil), key: "model",
            detail: "`model` is an inline table here; write a [model] table, or set `spec` in it by hand")
    }
}

/// Byte-level insertions and replacements on a UTF-8 text, applied from the end so offsets stay valid.
private struct TextEdit {
    private let bytes: [UInt8]
    private var changes: [(range: Range<Int>, text: String, order: Int)] = []
    private let lineStarts: [Int]
    let newline: String

    init(text: String) {
        bytes = Array(text.utf8)
        var starts = [0]
        for (offset, byte) in bytes.enumerated() where byte == UInt8(ascii: "\n") { starts.append(offset + 1) }
        lineStarts = starts
        newline = text.contains("\r\n") ? "\r\n" : "\n"
    }

    /// The offset where a 1-based line starts.
    func startOfLine(_ line: Int) -> Int {
        lineStarts[min(max(line - 1, 0), lineStarts.count - 1)]
    }

    mutating func insert(_ text: String, at offset: Int) {
        replace(offset..<offset, with: text)
    }

    mutating func replace(_ range: Range<Int>, with text: String) {
        changes.append((range, text, changes.count))
    }

    /// A whole line at the start of a line (after a newline, or at the very end of a text without one).
    mutating func insertLine(_ line: String, at offset: Int) {
        let needsBreak = offset == bytes.count && offset > 0 && bytes[offset - 1] != UInt8(ascii: "\n")
        insert((needsBreak ? newline : "") + line + newline, at: offset)
    }

    /// A new table at the end of the text, after a blank line.
    mutating func appendTable(_ header: String, line: String) {
        var prefix = ""
        if !bytes.isEmpty {
            if bytes.last != UInt8(ascii: "\n") { prefix += newline }
            if !bytes.suffix(2).elementsEqual([UInt8(ascii: "\n"), UInt8(ascii: "\n")])
                && !bytes.suffix(4).elementsEqual(Array("\r\n\r\n".utf8))
            {
                prefix += newline
            }
        }
        insert(prefix + header + newline + line + newline, at: bytes.count)
    }

    var result: String {
        var output = bytes
        // From the end; at one offset, later changes go first so earlier ones end up in front of them.
        for change in changes.sorted(by: { ($0.range.lowerBound, $0.order) > ($1.range.lowerBound, $1.order) }) {
            output.replaceSubrange(change.range, with: Array(change.text.utf8))
        }
        return String(decoding: output, as: UTF8.self)
    }
}
