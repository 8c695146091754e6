extension SchemaJSONValue {
    /// Compact JSON text (no whitespace), the form the grammar emits for `enum` and `const` values.
    /// Numbers keep the text they were written with; non-ASCII characters are written as themselves.
    var compactJSON: String {
        switch self {
        case .null: "null"
        case .bool(let value): value ? "true" : "false"
        case .number(_, let literal): literal
        case .string(let text): Self.quotedJSONString(text)
        case .array(let elements): "[" + elements.map(\.compactJSON).joined(separator: ",") + "]"
        case .object(let members):
            "{" + members.map { Self.quotedJSONString($0.key) + ":" + $0.value.compactJSON }.joined(separator: ",")
                + "}"
        }
    }

    /// `text` as a JSON string literal, escaping only what JSON requires.
    static func quotedJSONString(_ text: String) -> String {
        var result = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": result += "\\\""
            case "\\": result += "\\\\"
            case "\n": result += "\\n"
            case "\r": result += "\\r"
            case "\t": result += "\\t"
            case "\u{08}": result += "\\b"
            case "\u{0C}": result += "\\f"
            case "\u{00}"..."\u{1F}":
                let hex = String(scalar.value, radix: 16)
                result += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default: result.unicodeScalars.append(scalar)
            }
        }
        return result + "\""
    }
}
