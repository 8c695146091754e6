/// An error from llama.cpp or from the checks the wrapper runs before calling it.
///
/// Each error says what happened and what to do next. The set of cases is private so that new ones can be added
/// without breaking callers; compare with the static members (`error.kind == .fileNotFound`).
public struct LlamaError: Error, Hashable, Sendable, CustomStringConvertible {
    /// What kind of failure this is, for callers that react differently to each.
    public enum Kind: String, Hashable, Sendable {
        case fileNotFound
        case notGGUF
        case modelLoadFailed
        case contextCreationFailed
        case tokenizationFailed
        case decodeFailed
        /// The abort check said stop while `llama_decode` ran; the micro-batches it finished stay in the cache.
        case aborted
        case contextFull
        case samplerCreationFailed
        case invalidArgument
    }

    public let kind: Kind
    public let message: String

    init(_ kind: Kind, _ message: String) {
        self.kind = kind
        self.message = message
    }

    public var description: String { message }

    static func fileNotFound(_ path: String) -> LlamaError {
        LlamaError(.fileNotFound, "model file not found: \(path); check the path, or download a model first")
    }

    static func notGGUF(_ path: String, found: String) -> LlamaError {
        LlamaError(
            .notGGUF,
            "\(path) is not a GGUF model file (it starts with \(found), a GGUF file starts with \"GGUF\"); "
                + "point to a .gguf file"
        )
    }

    static func modelLoadFailed(_ path: String) -> LlamaError {
        LlamaError(
            .modelLoadFailed,
            "llama.cpp could not load \(path): the file may be truncated, corrupt, or of an architecture this "
                + "llama.cpp does not support; download it again, or run with --verbose to see llama.cpp's reason"
        )
    }

    static func contextCreationFailed(contextSize: Int) -> LlamaError {
        LlamaError(
            .contextCreationFailed,
            "llama.cpp could not create a context of \(contextSize) tokens (out of memory?); "
                + "try a smaller --ctx-size"
        )
    }
}
