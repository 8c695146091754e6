import Foundation

/// A parsed schema document, which resolves local `$ref`s (`#`, `#/$defs/Name`, `#/definitions/Name`, or any
/// JSON pointer into the same document).
struct SchemaDocument: Sendable {
    let root: SchemaJSONValue

    init(root: SchemaJSONValue) {
        self.root = root
    }

    init(text: String) throws(JSONSchemaError) {
        let root: SchemaJSONValue
        do {
            root = try SchemaJSONParser.parse(text)
        } catch {
            throw .invalidJSON(error.message)
        }
        switch root {
        case .object, .bool: self.root = root
        default:
            throw JSONSchemaError.invalid("a schema must be an object or a boolean, found \(root.typeName)", at: "#")
        }
    }

    /// The schema that `reference` points to; `path` is where the `$ref` was found, for the error message.
    func resolve(_ reference: String, at path: String) throws(JSONSchemaError) -> SchemaJSONValue {
        guard reference.hasPrefix("#") else {
            throw JSONSchemaError.unsupported(
                "$ref",
                at: path,
                hint: "only references inside the same schema (\"#/$defs/Name\") are supported, not '\(reference)'"
            )
        }
        let pointer = String(reference.dropFirst()).removingPercentEncoding ?? String(reference.dropFirst())
        guard !pointer.isEmpty else { return root }
        guard pointer.hasPrefix("/") else {
            throw JSONSchemaError.unsupported("$ref", at: path, hint: "anchor references like '\(reference)'")
        }
        var current = root
        for token in pointer.dropFirst().split(separator: "/", omittingEmptySubsequences: false) {
            let key = token.replacingOccurrences(of: "~1", with: "/").replacingOccurrences(of: "~0", with: "~")
            if let next = current[key] {
                current = next
            } else if let elements = current.arrayElements, let position = Int(key), elements.indices.contains(position)
            {
                current = elements[position]
            } else {
                throw JSONSchemaError.invalid("$ref '\(reference)' does not point to anything in the schema", at: path)
            }
        }
        return current
    }
}
