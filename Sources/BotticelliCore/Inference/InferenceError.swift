/// A failure of the inference engine that callers map to a status (the server: 503 for busy, 400 for a prompt that
/// does not fit). The message says what to do.
public struct InferenceError: Error, Hashable, Sendable, CustomStringConvertible {
    public enum Kind: String, Hashable, Sendable {
        /// The queue is full; try again shortly.
        case busy
        /// The prompt does not fit in the context.
        case contextExceeded
        /// A request field is out of range or unsupported.
        case invalidRequest
        /// The model could not render the chat, or the engine failed.
        case engineFailure
        /// The engine was shut down.
        case shutDown
    }

    public let kind: Kind
    public let message: String

    public init(_ kind: Kind, _ message: String) {
        self.kind = kind
        self.message = message
    }

    public var description: String { message }
}
