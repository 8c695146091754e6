import TOMLKit

/// What a configuration file sets.
struct ConfigurationFileContents: Sendable, Equatable {
    var layer = ConfigurationLayer()
    var customModels: [ConfiguredValue<CustomModelEntry>] = []
}

/// Reads a configuration file's text into checked, typed values that know their line.
///
/// Every problem is collected and the first in the file is thrown, so the message points at the earliest line to
/// fix. A misspelt key is never ignored.
struct ConfigurationFileParser {
    let path: String
    let text: String
    /// Built once TOMLKit has accepted the text.
    private var sourceMap = ConfigurationSourceMap(text: "")
    private var problems: [ConfigurationError] = []

    init(path: String, text: String) {
        self.path = path
        self.text = text
    }

    /// Parses TOML text; a syntax error carries TOMLKit's line and column.
    ///
    /// Text that would make toml++ abort (see ``ConfigurationSourceMap/crashingSyntax``) is refused before TOMLKit
    /// sees it.
    static func parseTOML(_ text: String, path: String) throws(ConfigurationError) -> TOMLTable {
        if let position = ConfigurationSourceMap(text: text).crashingSyntax {
            throw ConfigurationError(
                kind: .syntax, origin: .file(path: path, line: position.line, column: position.column),
                detail: "TOML syntax error: expected \(position.expected)")
        }
        do {
            return try TOMLTable(string: text)
        } catch let error as TOMLParseError {
            throw ConfigurationError(
                kind: .syntax,
                origin: .file(path: path, line: error.source.begin.line, column: error.source.begin.column),
                detail: "TOML syntax error: \(error.description)")
        } catch {
            throw ConfigurationError(
                kind: .syntax, origin: .file(path: path, line: nil, column: nil), detail: "TOML syntax error: \(error)")
        }
    }

    mutating func parse() throws(ConfigurationError) -> ConfigurationFileContents {
        let root = try Self.parseTOML(text, path: path)
        sourceMap = ConfigurationSourceMap(text: text)
        var contents = ConfigurationFileContents()
        for key in root.keys {
            let keyPath = ConfigurationKeyPath(keys: [key])
            guard let value = root[key] else { continue }
            switch key {
            case "model":
                guard let table = requireTable(value, at: keyPath, written: "[model]") else { continue }
                parseModel(table, into: &contents.layer)
            case "server":
                guard let table = requireTable(value, at: keyPath, written: "[server]") else { continue }
                parseServer(table, into: &contents.layer)
            case "models":
                contents.customModels = parseCustomModels(value)
            default:
                reportUnknown(
                    key, at: keyPath, table: nil, isTable: value.table != nil || value.array?.first?.table != nil)
            }
        }
        if let first = problems.min(by: { ($0.line ?? .max, $0.key ?? "") < ($1.line ?? .max, $1.key ?? "") }) {
            throw first
        }
        return contents
    }

    // MARK: - Tables

    private mutating func parseModel(_ table: TOMLTable, into layer: inout ConfigurationLayer) {
        let base = ConfigurationKeyPath(keys: ["model"])
        rejectUnknownKeys(in: table, at: base, table: "model")
        layer.modelSpec = read(ConfigurationSchema.modelSpec, from: table, at: base)
        layer.modelRepository = read(ConfigurationSchema.modelRepository, from: table, at: base)
        layer.modelFilename = read(ConfigurationSchema.modelFilename, from: table, at: base)
        layer.modelTokenizerRepository = read(ConfigurationSchema.modelTokenizerRepository, from: table, at: base)
        layer.modelRevision = read(ConfigurationSchema.modelRevision, from: table, at: base)
        layer.cacheDirectory = read(ConfigurationSchema.cacheDirectory, from: table, at: base)
        checkModelForm(table, at: base)
    }

    /// `spec` or `hf_repo` + `filename` (with optional `tokenizer_repo` and `revision`), never both.
    private mutating func checkModelForm(_ table: TOMLTable, at base: ConfigurationKeyPath) {
        let present = Set(table.keys)
        let repositoryKeys = ["hf_repo", "filename", "tokenizer_repo", "revision"].filter(present.contains)
        if present.contains("spec"), let other = repositoryKeys.first {
            report(
                .conflictingKeys, at: base.appending(other),
                "`model.spec` and `model.\(other)` both choose the model; keep `spec`, or `hf_repo` and `filename`")
            return
        }
        guard !repositoryKeys.isEmpty else { return }
        if !present.contains("hf_repo") {
            report(
                .missingKey, at: base.appending(repositoryKeys[0]),
                "`model.\(repositoryKeys[0])` needs `model.hf_repo` (the repository, owner/name) beside it")
        } else if !present.contains("filename") {
            report(
                .missingKey, at: base.appending("hf_repo"),
                "`model.hf_repo` needs `model.filename` (the .gguf file in the repository) beside it")
        }
    }

    private mutating func parseServer(_ table: TOMLTable, into layer: inout ConfigurationLayer) {
        let base = ConfigurationKeyPath(keys: ["server"])
        rejectUnknownKeys(in: table, at: base, table: "server")
        layer.host = read(ConfigurationSchema.host, from: table, at: base)
        layer.port = read(ConfigurationSchema.port, from: table, at: base)
        layer.apiKey = read(ConfigurationSchema.apiKey, from: table, at: base)
        layer.parallel = read(ConfigurationSchema.parallel, from: table, at: base)
        layer.contextSize = read(ConfigurationSchema.contextSize, from: table, at: base)
        layer.threads = read(ConfigurationSchema.threads, from: table, at: base)
        layer.corsOrigins = read(ConfigurationSchema.corsOrigins, from: table, at: base)
        layer.keepAlive = read(ConfigurationSchema.keepAlive, from: table, at: base)
        layer.maximumModels = read(ConfigurationSchema.maximumModels, from: table, at: base)
    }

    // MARK: - Shared steps

    /// Reads and checks one key of a table; nil when it is absent or wrong (the problem is recorded).
    mutating func read<Value>(
        _ setting: ConfigurationSetting<Value>, from table: TOMLTable, at base: ConfigurationKeyPath
    ) -> ConfiguredValue<Value>? {
        guard let value = table[setting.name] else { return nil }
        let keyPath = base.appending(setting.name)
        let line = sourceMap.line(for: keyPath)
        do {
            let converted = try setting.convert(
                ConfigurationInput(value), key: keyPath.description, origin: .file(path: path, line: line, column: nil))
            return ConfiguredValue(converted, source: .file(path: path, line: line))
        } catch {
            problems.append(error)
            return nil
        }
    }

    mutating func requireTable(
        _ value: any TOMLValueConvertible, at keyPath: ConfigurationKeyPath, written: String
    ) -> TOMLTable? {
        if let table = value.table { return table }
        report(
            .wrongType, at: keyPath,
            "`\(keyPath)` must be a table (\(written)), got \(ConfigurationInput(value).shownForTypeError)")
        return nil
    }

    mutating func rejectUnknownKeys(in table: TOMLTable, at base: ConfigurationKeyPath, table name: String) {
        let known = Set(ConfigurationSchema.keys(ofTable: name))
        for key in table.keys where !known.contains(key) {
            reportUnknown(key, at: base.appending(key), table: name, isTable: false)
        }
    }

    /// "unknown key `server.ctx_sise` (did you mean `ctx_size`?); [server] accepts: host, port, …".
    private mutating func reportUnknown(
        _ key: String, at keyPath: ConfigurationKeyPath, table: String?, isTable: Bool
    ) {
        let candidates = table.map(ConfigurationSchema.keys(ofTable:)) ?? ConfigurationSchema.tables
        var suggestion = KeySuggestion.nearest(to: key, in: candidates)
        if suggestion == nil && table != "models" {
            // A key written in the wrong table: `port` at the top, or `port` under [model].
            let elsewhere = ["model", "server"].filter { $0 != table }.flatMap { other in
                ConfigurationSchema.keys(ofTable: other).map { "\(other).\($0)" }
            }
            suggestion = elsewhere.first { $0.hasSuffix(".\(key.lowercased())") }
        }
        let hint = suggestion.map { " (did you mean `\($0)`?)" } ?? ""
        let accepted: String
        switch table {
        case nil: accepted = "the file accepts the tables [model], [server] and [[models]]"
        case "models": accepted = "a [[models]] entry accepts: " + candidates.joined(separator: ", ")
        case let name?: accepted = "[\(name)] accepts: " + candidates.joined(separator: ", ")
        }
        let what = isTable ? "table" : "key"
        report(.unknownKey, at: keyPath, "unknown \(what) `\(keyPath)`\(hint); \(accepted)")
    }

    mutating func report(_ kind: ConfigurationError.Kind, at keyPath: ConfigurationKeyPath, _ detail: String) {
        let line = sourceMap.line(for: keyPath)
        problems.append(
            ConfigurationError(
                kind: kind, origin: .file(path: path, line: line, column: nil), key: keyPath.description, detail: detail
            ))
    }

    func line(for keyPath: ConfigurationKeyPath) -> Int? {
        sourceMap.line(for: keyPath)
    }
}
