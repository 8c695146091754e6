import Foundation

/// Why a file could not be read as GGUF: what was being read, at which byte, what was expected and what was found.
///
/// The reader never traps on a damaged or hostile file; every problem it can detect surfaces as one of these.
public struct GGUFError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The kind of problem, for callers that react differently to each.
    public enum Kind: String, Sendable, Equatable, CaseIterable {
        /// The file could not be opened or read from the file system.
        case unreadable
        /// The file ends before a field that the header says is there.
        case truncated
        /// The first four bytes are not `GGUF`.
        case badMagic
        /// The GGUF version is not 2 or 3.
        case unsupportedVersion
        /// The file is a big-endian GGUF, which this reader does not handle.
        case bigEndian
        /// A tensor or metadata count is larger than the rest of the file could hold.
        case countTooLarge
        /// A string length runs past the end of the file.
        case stringTooLong
        /// An array's element count runs past the end of the file.
        case arrayTooLong
        /// A metadata value type code is not one GGUF defines.
        case unknownValueType
        /// Arrays are nested deeper than any real model uses.
        case nestingTooDeep
        /// The same metadata key appears twice.
        case duplicateKey
        /// `general.alignment` is not a non-zero power of two stored as uint32.
        case invalidAlignment
        /// A tensor has too many dimensions, a dimension too large, or a shape its type cannot hold.
        case invalidTensorShape
        /// The same tensor name appears twice.
        case duplicateTensorName
        /// A tensor's data offset is not a multiple of the file's alignment.
        case misalignedTensorOffset
        /// A tensor's data starts or ends past the end of the file.
        case tensorOutOfBounds
    }

    /// What went wrong.
    public let kind: Kind
    /// What was being read, such as `metadata key #3 ("general.name") value`.
    public let field: String
    /// The byte offset in the file where the offending field starts.
    public let offset: UInt64
    /// What a valid file has there.
    public let expected: String
    /// What this file has there.
    public let found: String
    /// The file, when the error came from reading one.
    public var path: String?

    public init(kind: Kind, field: String, offset: UInt64, expected: String, found: String, path: String? = nil) {
        self.kind = kind
        self.field = field
        self.offset = offset
        self.expected = expected
        self.found = found
        self.path = path
    }

    public var description: String {
        let file = path.map { " \($0)" } ?? ""
        return "cannot read GGUF file\(file): \(field) at byte \(offset): expected \(expected), found \(found); "
            + advice
    }

    /// What the user can do about it.
    public var advice: String {
        switch kind {
        case .unreadable:
            return "check that the path exists and is a readable file"
        case .truncated:
            return "the file is incomplete (an interrupted download?): delete it and download it again"
        case .badMagic:
            return "this is not a GGUF model file; pass a .gguf file (the format llama.cpp loads)"
        case .unsupportedVersion, .bigEndian:
            return "download a current little-endian GGUF (version 2 or 3) of the model, or re-convert it with a "
                + "recent llama.cpp"
        case .countTooLarge, .stringTooLong, .arrayTooLong, .unknownValueType, .nestingTooDeep, .duplicateKey,
            .invalidAlignment, .invalidTensorShape, .duplicateTensorName, .misalignedTensorOffset,
            .tensorOutOfBounds:
            return "the file is damaged or was not written by a GGUF writer: delete it and download it again"
        }
    }
}
