extension ModelSpec {
    /// The problems that make this entry unusable, empty when it is valid.
    public var problems: [String] {
        var problems: [String] = []
        if id.isEmpty || !id.unicodeScalars.allSatisfy({ Self.idCharacters.contains($0) }) {
            problems.append("id \"\(id)\" must be lower-case letters, digits, '.', '-' and '_'")
        }
        do {
            try HubName.validateRepository(hfRepo)
            try HubName.validateFilePath(filename)
        } catch {
            problems.append("\(error)")
        }
        if !filename.lowercased().hasSuffix(".gguf") {
            problems.append("filename \"\(filename)\" must end in .gguf")
        }
        if downloadSizeBytes == 0 { problems.append("downloadSizeBytes must be positive") }
        if minimumRAMBytes < downloadSizeBytes {
            problems.append("minimumRAMBytes \(minimumRAMBytes) is less than the weights, \(downloadSizeBytes) bytes")
        }
        if parameterCount == 0 { problems.append("parameterCount must be positive") }
        if contextLength == 0 { problems.append("contextLength must be positive") }
        if let revision, !Self.isHex(revision, length: 40) {
            problems.append("revision \"\(revision)\" must be a 40-character hexadecimal commit")
        }
        if let sha256, !Self.isHex(sha256, length: 64) {
            problems.append("sha256 \"\(sha256)\" must be 64 lower-case hexadecimal characters")
        }
        if let attention, attention.layerCount == 0 || attention.keyValueHeadCount == 0 || attention.headDimension == 0
        {
            problems.append("attention numbers must be positive")
        }
        return problems
    }

    private static let idCharacters = Set("abcdefghijklmnopqrstuvwxyz0123456789.-_".unicodeScalars)

    private static func isHex(_ text: String, length: Int) -> Bool {
        text.count == length && text.unicodeScalars.allSatisfy { "0123456789abcdef".unicodeScalars.contains($0) }
    }
}
