/// A JSON Schema that cannot be read, or that uses a feature the grammar converter or validator does not support.
///
/// The message names the offending keyword and the schema path (for example `#/properties/name`), so a caller can
/// report it to the client as a bad request.
public struct JSONSchemaError: Error, Sendable, Equatable, CustomStringConvertible {
    /// A sentence that says what is wrong and where.
    public let message: String

    public init(message: String) {
        self.message = message
    }

    public var description: String { message }

    static func invalidJSON(_ detail: String) -> JSONSchemaError {
        JSONSchemaError(message: "schema is not valid JSON: \(detail)")
    }

    static func unsupported(_ keyword: String, at path: String, hint: String = "") -> JSONSchemaError {
        let suffix = hint.isEmpty ? "" : "; \(hint)"
        return JSONSchemaError(message: "unsupported JSON Schema keyword '\(keyword)' at \(path)\(suffix)")
    }

    static func invalid(_ detail: String, at path: String) -> JSONSchemaError {
        JSONSchemaError(message: "invalid JSON Schema at \(path): \(detail)")
    }
}
