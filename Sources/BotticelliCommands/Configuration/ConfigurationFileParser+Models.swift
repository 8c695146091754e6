import TOMLKit

extension ConfigurationFileParser {
    /// `[[models]]` entries (or an array of inline tables), each checked; ids must be unique.
    mutating func parseCustomModels(_ value: any TOMLValueConvertible) -> [ConfiguredValue<CustomModelEntry>] {
        let base = ConfigurationKeyPath(keys: ["models"])
        guard let array = value.array else {
            report(
                .wrongType, at: base,
                "`models` must be an array of tables, each written [[models]], got "
                    + ConfigurationInput(value).shownForTypeError)
            return []
        }
        var entries: [ConfiguredValue<CustomModelEntry>] = []
        var lineOfID: [String: Int?] = [:]
        for (index, element) in array.enumerated() {
            let entryPath = base.appending(index: index)
            guard let table = requireTable(element, at: entryPath, written: "[[models]]") else { continue }
            guard let entry = parseCustomModel(table, at: entryPath) else { continue }
            if let firstLine = lineOfID[entry.id] {
                let earlier = firstLine.map { " on line \($0)" } ?? ""
                report(
                    .invalidValue, at: entryPath.appending("id"),
                    "`\(entryPath.appending("id"))` repeats the id \"\(entry.id)\" of an earlier entry\(earlier); "
                        + "each [[models]] id must be unique")
                continue
            }
            lineOfID[entry.id] = line(for: entryPath)
            entries.append(ConfiguredValue(entry, source: .file(path: path, line: line(for: entryPath))))
        }
        return entries
    }

    private mutating func parseCustomModel(_ table: TOMLTable, at base: ConfigurationKeyPath) -> CustomModelEntry? {
        rejectUnknownKeys(in: table, at: base, table: "models")
        for required in ["id", "hf_repo", "filename"] where table[required] == nil {
            report(
                .missingKey, at: base,
                "`\(base)` needs `\(required)`; a [[models]] entry needs at least id, hf_repo and filename")
        }
        let schema = CustomModelSchema.self
        let id = read(schema.id, from: table, at: base)
        let hfRepo = read(schema.hfRepo, from: table, at: base)
        let filename = read(schema.filename, from: table, at: base)
        let entry = CustomModelEntry(
            id: id?.value ?? "", name: read(schema.name, from: table, at: base)?.value,
            hfRepo: hfRepo?.value ?? "", filename: filename?.value ?? "",
            quantization: read(schema.quantization, from: table, at: base)?.value,
            downloadSizeBytes: read(schema.sizeBytes, from: table, at: base).map { UInt64($0.value) },
            minimumRAMGigabytes: read(schema.minimumRAMGigabytes, from: table, at: base)?.value,
            contextLength: read(schema.contextLength, from: table, at: base).map { UInt64($0.value) },
            tokenizerRepo: read(schema.tokenizerRepo, from: table, at: base)?.value,
            description: read(schema.description, from: table, at: base)?.value,
            useCases: read(schema.useCases, from: table, at: base)?.value ?? [],
            family: read(schema.family, from: table, at: base)?.value,
            parameters: read(schema.parameters, from: table, at: base)?.value,
            license: read(schema.license, from: table, at: base)?.value,
            revision: read(schema.revision, from: table, at: base)?.value.lowercased(),
            sha256: read(schema.sha256, from: table, at: base)?.value.lowercased())
        guard id != nil, hfRepo != nil, filename != nil else { return nil }
        return entry
    }
}
