/// A failure to parse or render a template, naming the construct and where in the source it is.
///
/// Messages read like "unknown filter 'foo' at line 3, column 12" or "raise_exception: System role not
/// supported". A template's own `raise_exception` call has the kind ``Kind/raised``.
public struct JinjaError: Error, Sendable, Equatable, CustomStringConvertible {
    public enum Kind: Sendable, Equatable {
        /// The source could not be tokenized.
        case syntax
        /// The tokens do not form a valid template.
        case parse
        /// Evaluation failed (unknown filter, wrong operand types, limits exceeded).
        case runtime
        /// The template called `raise_exception(message)`.
        case raised
    }

    public let kind: Kind
    /// What went wrong, without the position.
    public let message: String
    /// 1-based line of the construct that failed, when known.
    public let line: Int?
    /// 1-based column of the construct that failed, when known.
    public let column: Int?

    public init(kind: Kind, message: String, line: Int? = nil, column: Int? = nil) {
        self.kind = kind
        self.message = message
        self.line = line
        self.column = column
    }

    public var description: String {
        let text = kind == .raised ? "raise_exception: \(message)" : message
        guard let line, let column else { return text }
        return "\(text) at line \(line), column \(column)"
    }
}

/// An error thrown while evaluating, before the interpreter attaches the position of the failing node.
struct EvaluationFailure: Error {
    let kind: JinjaError.Kind
    let message: String

    init(_ message: String, kind: JinjaError.Kind = .runtime) {
        self.kind = kind
        self.message = message
    }
}
