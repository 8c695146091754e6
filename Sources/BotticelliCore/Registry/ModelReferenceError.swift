/// Why a model reference could not be parsed, validated or resolved to a file.
public struct ModelReferenceError: Error, Sendable, Equatable, CustomStringConvertible {
    public enum Kind: String, Sendable, Equatable {
        /// Nothing was given.
        case empty
        /// The reference contains a control character.
        case controlCharacter
        /// A repository or file name contains `..`, a backslash, or is absolute.
        case unsafeName
        /// The repository is not `owner/name`.
        case invalidRepository
        /// A registry id is not in the registry.
        case unknownModel
        /// An `hf://` reference is malformed or does not name a `.gguf` file.
        case invalidHubPath
        /// No `.gguf` file in the repository has the requested quantization.
        case noMatchingFile
    }

    public let kind: Kind
    /// What the user gave.
    public let input: String
    /// What is wrong and what to do.
    public let detail: String

    public init(kind: Kind, input: String, detail: String) {
        self.kind = kind
        self.input = input
        self.detail = detail
    }

    public var description: String { "invalid model reference \"\(input)\": \(detail)" }
}
