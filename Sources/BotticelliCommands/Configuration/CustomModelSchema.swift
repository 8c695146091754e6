/// The rules for the keys of a `[[models]]` entry.
enum CustomModelSchema {
    static let id = setting(
        "id",
        .text("a registry id of lower-case letters, digits, '.', '-' and '_'", isValid: ConfigurationNames.isModelID))
    static let name = setting("name", .nonEmpty)
    static let hfRepo = setting("hf_repo", ConfigurationSchema.repositoryRule)
    static let filename = setting("filename", ConfigurationSchema.filenameRule)
    static let quantization = setting(
        "quantization",
        .text("a quantization name such as Q4_K_M, IQ2_XS or F16", isValid: ConfigurationNames.isQuantization))
    static let sizeBytes = setting("size_bytes", .integer(1...Int.max, "a positive integer (bytes)"))
    static let minimumRAMGigabytes = setting("min_ram_gb", .positiveNumber)
    static let contextLength = setting("context_length", .integer(1...Int.max, "a positive integer (tokens)"))
    static let tokenizerRepo = setting("tokenizer_repo", ConfigurationSchema.repositoryRule)
    static let description = setting("description", .text("a string") { _ in true })
    static let useCases = setting("use_cases", .strings)
    static let family = setting("family", .nonEmpty)
    static let parameters = setting(
        "parameters",
        .text("a parameter count such as \"135M\", \"7B\" or \"1.5B\"", isValid: ConfigurationNames.isParameterCount))
    static let license = setting("license", .nonEmpty)
    static let revision = setting(
        "revision", .text("a 40-character hexadecimal commit") { ConfigurationNames.isHex($0, length: 40) })
    static let sha256 = setting(
        "sha256", .text("64 hexadecimal characters (the file's SHA-256)") { ConfigurationNames.isHex($0, length: 64) })

    private static func setting<Value>(_ name: String, _ rule: ConfigurationRule<Value>) -> ConfigurationSetting<Value>
    {
        ConfigurationSetting("models", name, rule: rule)
    }
}
