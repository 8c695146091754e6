/// A model that cannot be named, found, fetched or removed, with what to do about it.
public struct ModelStoreError: Error, Sendable, Equatable, CustomStringConvertible {
    public enum Kind: String, Sendable, Equatable {
        case unknownModel
        case fileNotFound
        case notCached
        case checksumMismatch
        case notRemovable
    }

    public let kind: Kind
    public let message: String

    public init(_ kind: Kind, _ message: String) {
        self.kind = kind
        self.message = message
    }

    public var description: String { message }
}
