/// What a user can name as a model on the command line or in a configuration file.
///
/// The accepted forms:
/// - a registry id: `mistral-7b-instruct-v0.3-q4`
/// - a repository and quantization: `bartowski/Llama-3.2-1B-Instruct-GGUF:Q4_K_M` (without `:QUANT`,
///   ``defaultQuantization`` is used, as llama.cpp's `-hf` does)
/// - a file in a repository: `hf://owner/name/path/file.gguf`, or `hf://owner/name@revision/path/file.gguf`
///   (the revision form of huggingface_hub's `hf://` paths; `/` in a revision is written `%2F`)
/// - a local file: any reference ending in `.gguf`, such as `./models/model.gguf` or `/data/model.gguf`
public enum ModelReference: Sendable, Hashable {
    case registry(id: String)
    case repository(repo: String, quantization: Quantization?)
    case hubFile(repo: String, path: String, revision: String?)
    case localFile(path: String)

    /// The quantization of a repository reference that names none.
    public static let defaultQuantization = Quantization.q4_K_M

    /// Parses and validates a reference.
    public init(parsing input: String) throws {
        let text = input.trimmingWhitespace()
        guard !text.isEmpty else {
            throw ModelReferenceError(
                kind: .empty, input: input,
                detail: "name a registry id (see `botticelli_server models list`), owner/repo:QUANT, "
                    + "hf://owner/repo/file.gguf, or a path to a .gguf file")
        }
        if text.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) {
            throw ModelReferenceError(kind: .controlCharacter, input: input, detail: "it contains a control character")
        }
        if text.hasPrefix("hf://") {
            self = try Self.parseHubFile(String(text.dropFirst("hf://".count)), input: input)
        } else if text.lowercased().hasSuffix(".gguf") {
            self = .localFile(path: text)
        } else if text.contains("/") {
            let parts = text.split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false)
            let repository = String(parts[0])
            try HubName.validateRepository(repository)
            guard parts.count == 1 || !parts[1].isEmpty else {
                throw ModelReferenceError(
                    kind: .invalidRepository, input: input,
                    detail: "name a quantization after ':', such as \(repository):Q4_K_M, or drop the ':'")
            }
            self = .repository(repo: repository, quantization: parts.count == 2 ? Quantization(String(parts[1])) : nil)
        } else {
            let id = text.lowercased()
            guard !id.contains(".."), !id.contains("\\"), !id.contains(":") else {
                throw ModelReferenceError(
                    kind: .unsafeName, input: input,
                    detail: "a registry id holds only letters, digits, '.', '-' and '_'")
            }
            self = .registry(id: id)
        }
    }

    private static func parseHubFile(_ rest: String, input: String) throws -> ModelReference {
        let parts = rest.split(separator: "/", maxSplits: 2, omittingEmptySubsequences: false)
        guard parts.count == 3, !parts[0].isEmpty, !parts[1].isEmpty, !parts[2].isEmpty else {
            throw ModelReferenceError(
                kind: .invalidHubPath, input: input,
                detail: "write hf://owner/repo/file.gguf or hf://owner/repo@revision/file.gguf")
        }
        var name = String(parts[1])
        var revision: String?
        if let at = name.firstIndex(of: "@") {
            let encoded = String(name[name.index(after: at)...])
            name = String(name[..<at])
            guard let decoded = encoded.removingPercentEncodingIfValid(), !decoded.isEmpty, !decoded.contains("..")
            else {
                throw ModelReferenceError(
                    kind: .invalidHubPath, input: input,
                    detail: "the revision after '@' must be a branch, tag or commit, with '/' written as %2F")
            }
            revision = decoded
        }
        let repository = "\(parts[0])/\(name)"
        let path = String(parts[2])
        try HubName.validateRepository(repository)
        try HubName.validateFilePath(path)
        guard path.lowercased().hasSuffix(".gguf") else {
            throw ModelReferenceError(
                kind: .invalidHubPath, input: input, detail: "\(path) is not a .gguf file; Botticelli runs GGUF models")
        }
        return .hubFile(repo: repository, path: path, revision: revision)
    }
}

extension String {
    fileprivate func trimmingWhitespace() -> String {
        let scalars = unicodeScalars
        guard let first = scalars.firstIndex(where: { !$0.properties.isWhitespace }),
            let last = scalars.lastIndex(where: { !$0.properties.isWhitespace })
        else { return "" }
        return String(scalars[first...last])
    }

    /// Decodes `%XX` escapes; nil when an escape is malformed or the result is not UTF-8 or holds a control
    /// character.
    fileprivate func removingPercentEncodingIfValid() -> String? {
        var bytes: [UInt8] = []
        var iterator = utf8.makeIterator()
        while let byte = iterator.next() {
            guard byte == UInt8(ascii: "%") else {
                bytes.append(byte)
                continue
            }
            guard let high = iterator.next().flatMap(Self.hexValue), let low = iterator.next().flatMap(Self.hexValue)
            else { return nil }
            bytes.append(high << 4 | low)
        }
        guard let decoded = String(validating: bytes, as: UTF8.self),
            !decoded.unicodeScalars.contains(where: { $0.properties.generalCategory == .control })
        else { return nil }
        return decoded
    }

    private static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): return byte - UInt8(ascii: "A") + 10
        default: return nil
        }
    }
}
