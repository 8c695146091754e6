import Foundation

/// Prints the effective configuration for `config show`: an aligned table, or JSON.
public enum ConfigurationRenderer {
    /// The table: the file, then one row per key (key, value, source), then the `[[models]]` entries.
    public static func text(_ configuration: EffectiveConfiguration) -> String {
        var lines = ["configuration file: \(configuration.file.path) (\(fileState(configuration.file)))", ""]
        lines += table(
            header: ["KEY", "VALUE", "SOURCE"],
            rows: configuration.entries.map { [$0.key, $0.text, $0.source.description] })
        if !configuration.customModels.isEmpty {
            lines += ["", "custom models ([[models]]):"]
            lines += table(
                header: ["ID", "REPOSITORY", "FILE", "SOURCE"],
                rows: configuration.customModels.map {
                    [$0.value.id, $0.value.hfRepo, $0.value.filename, $0.source.description]
                })
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// JSON: `file`, `settings` (keyed by dotted key, each with `value` and `source`) and `models`.
    public static func json(_ configuration: EffectiveConfiguration) -> String {
        var settings: [String: ConfigurationJSON] = [:]
        for entry in configuration.entries {
            settings[entry.key] = .object(["value": entry.json, "source": json(entry.source)])
        }
        let file = configuration.file
        let document = ConfigurationJSON.object([
            "file": .object([
                "path": .string(file.path), "exists": .bool(file.exists), "origin": .string(file.origin.rawValue),
            ]),
            "settings": .object(settings),
            "models": .array(configuration.customModels.map { json($0.value, source: $0.source) }),
        ])
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        // Encoding a tree of strings, numbers and booleans cannot fail.
        let data = (try? encoder.encode(document)) ?? Data("{}".utf8)
        return String(decoding: data, as: UTF8.self) + "\n"
    }

    static func json(_ source: ConfigurationSource) -> ConfigurationJSON {
        switch source {
        case .default: .object(["kind": .string("default")])
        case .file(let path, let line):
            .object(["kind": .string("file"), "path": .string(path), "line": line.map { .integer($0) } ?? .null])
        case .environment(let variable): .object(["kind": .string("environment"), "variable": .string(variable)])
        case .flag(let name): .object(["kind": .string("flag"), "flag": .string(name)])
        }
    }

    static func json(_ entry: CustomModelEntry, source: ConfigurationSource) -> ConfigurationJSON {
        func optional(_ text: String?) -> ConfigurationJSON { text.map { .string($0) } ?? .null }
        func optional(_ number: UInt64?) -> ConfigurationJSON { number.map { .integer(Int($0)) } ?? .null }
        return .object([
            "id": .string(entry.id), "name": optional(entry.name), "hf_repo": .string(entry.hfRepo),
            "filename": .string(entry.filename), "quantization": optional(entry.quantization),
            "size_bytes": optional(entry.downloadSizeBytes),
            "min_ram_gb": entry.minimumRAMGigabytes.map { .number($0) } ?? .null,
            "context_length": optional(entry.contextLength), "tokenizer_repo": optional(entry.tokenizerRepo),
            "description": optional(entry.description), "use_cases": .array(entry.useCases.map { .string($0) }),
            "family": optional(entry.family), "parameters": optional(entry.parameters),
            "license": optional(entry.license), "revision": optional(entry.revision),
            "sha256": optional(entry.sha256), "source": json(source),
        ])
    }

    private static func fileState(_ file: ConfigurationFileLocation) -> String {
        guard file.exists else { return "not found: defaults apply" }
        switch file.origin {
        case .flag: return "from --config"
        case .environment: return "from BOTTICELLI_CONFIG"
        case .xdgConfigHome, .home: return "found"
        }
    }

    /// Columns padded to their widest cell, two spaces apart; the last column is not padded.
    static func table(header: [String], rows: [[String]]) -> [String] {
        let all = [header] + rows
        let widths = header.indices.map { column in all.map { $0[column].count }.max() ?? 0 }
        return all.map { row in
            row.enumerated().map { column, cell in
                column == row.count - 1 ? cell : cell.padding(toLength: widths[column], withPad: " ", startingAt: 0)
            }.joined(separator: "  ")
        }
    }
}
