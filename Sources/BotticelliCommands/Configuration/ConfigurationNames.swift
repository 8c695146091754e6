/// The name checks the configuration shares: repositories, file paths, registry ids, hexadecimal digests.
///
/// They mirror the core's `HubName` and `ModelSpec` checks (this module cannot depend on the core), so that a
/// value the file accepts is one the core accepts too, and a mistake is reported with its line.
enum ConfigurationNames {
    static func hasControl(_ text: String) -> Bool {
        text.unicodeScalars.contains { $0.properties.generalCategory == .control }
    }

    /// `owner/name`, each part letters, digits, `-`, `_` and `.`, and never `..`.
    static func isRepository(_ text: String) -> Bool {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        return parts.count == 2 && !text.contains("..")
            && parts.allSatisfy { !$0.isEmpty && $0.unicodeScalars.allSatisfy(repositoryCharacters.contains) }
    }

    /// A relative path inside a repository ending in `.gguf`: no `..`, no absolute path, no backslash.
    static func isModelFilePath(_ text: String) -> Bool {
        guard text.lowercased().hasSuffix(".gguf"), !hasControl(text), !text.contains("\\"), !text.contains(".."),
            !text.hasPrefix("/"), !text.hasPrefix("~")
        else { return false }
        return text.split(separator: "/", omittingEmptySubsequences: false).allSatisfy { !$0.isEmpty && $0 != "." }
    }

    /// A registry id: lower-case letters, digits, `.`, `-` and `_` (the core's `ModelSpec` rule).
    static func isModelID(_ text: String) -> Bool {
        !text.isEmpty && !text.contains("..") && text.unicodeScalars.allSatisfy(idCharacters.contains)
    }

    /// A branch, tag or commit: no spaces, control characters or `..`.
    static func isRevision(_ text: String) -> Bool {
        !text.isEmpty && !hasControl(text) && !text.contains("..") && !text.contains(" ") && !text.contains("\\")
    }

    static func isHex(_ text: String, length: Int) -> Bool {
        text.count == length && text.unicodeScalars.allSatisfy(hexCharacters.contains)
    }

    /// A parameter count as model cards write it: `135M`, `7B`, `1.5B`.
    static func isParameterCount(_ text: String) -> Bool {
        parameterCount(text) != nil
    }

    /// `"1.5B"` is 1_500_000_000.
    static func parameterCount(_ text: String) -> UInt64? {
        guard let suffix = text.last, let scale = parameterScales[Character(suffix.uppercased())] else { return nil }
        let number = text.dropLast()
        guard !number.isEmpty, number.allSatisfy({ $0.isASCIIDigit || $0 == "." }),
            number.first?.isASCIIDigit == true, number.last?.isASCIIDigit == true,
            let value = Double(number), value > 0
        else { return nil }
        return UInt64((value * scale).rounded())
    }

    /// A quantization name such as `Q4_K_M`, `IQ2_XS`, `F16` or `BF16`.
    static func isQuantization(_ text: String) -> Bool {
        !text.isEmpty && text.unicodeScalars.allSatisfy(quantizationCharacters.contains)
    }

    /// A host name or address: no spaces, control characters or slashes.
    static func isHost(_ text: String) -> Bool {
        !text.isEmpty && !hasControl(text) && !text.contains(" ") && !text.contains("/")
    }

    private static let repositoryCharacters = Set(
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.".unicodeScalars)
    private static let idCharacters = Set("abcdefghijklmnopqrstuvwxyz0123456789.-_".unicodeScalars)
    private static let hexCharacters = Set("0123456789abcdefABCDEF".unicodeScalars)
    private static let quantizationCharacters = Set(
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_".unicodeScalars)
    private static let parameterScales: [Character: Double] = ["K": 1e3, "M": 1e6, "B": 1e9, "T": 1e12]
}
