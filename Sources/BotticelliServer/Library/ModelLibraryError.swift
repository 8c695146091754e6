import Hummingbird

/// A pull or delete that cannot be done, with what to do about it; each kind has its HTTP status.
public struct ModelLibraryError: Error, Sendable, Equatable, CustomStringConvertible {
    public enum Kind: String, Sendable, Equatable {
        /// The name cannot be parsed (400).
        case invalidName
        /// Neither the registry, the cache nor the Hub has it (404).
        case notFound
        /// Gated or private on the Hub: a token is needed (403).
        case forbidden
        /// It needs more memory than this machine has (400).
        case doesNotFitMemory
        /// Its download needs more disk than is free (507).
        case doesNotFitDisk
        /// A file the user named by its path, or the model being served: not ours to delete (400).
        case notRemovable
        /// The Hub cannot be reached, is failing, or sent bad bytes (502).
        case hubUnavailable
        /// Anything else (500).
        case failed
    }

    public let kind: Kind
    public let message: String

    public init(_ kind: Kind, _ message: String) {
        self.kind = kind
        self.message = message
    }

    public var description: String { message }

    /// The status a route answers this error with.
    public var status: HTTPResponse.Status {
        switch kind {
        case .invalidName, .doesNotFitMemory, .notRemovable: .badRequest
        case .notFound: .notFound
        case .forbidden: .forbidden
        case .doesNotFitDisk: .init(code: 507, reasonPhrase: "Insufficient Storage")
        case .hubUnavailable: .badGateway
        case .failed: .internalServerError
        }
    }
}
