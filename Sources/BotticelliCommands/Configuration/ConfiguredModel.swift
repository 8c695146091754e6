/// The model the configuration chooses, in one of the two forms of `[model]`.
public enum ConfiguredModel: Sendable, Hashable {
    /// `spec`: a registry id, `owner/repo:QUANT`, `hf://owner/repo/file.gguf`, or a path to a `.gguf` file.
    case reference(String)
    /// `hf_repo` and `filename`, with an optional tokenizer repository and revision.
    case repository(hfRepo: String, filename: String, tokenizerRepo: String?, revision: String?)
}
