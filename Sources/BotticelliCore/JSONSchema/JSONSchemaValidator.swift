import Foundation

/// Checks JSON text against a JSON Schema, for tests and for checking what a model generated.
///
/// Covers the keywords the grammar converter supports and more: `type`, `nullable`, `enum`, `const`, `properties`,
/// `required`, `additionalProperties` (absent means extra keys are allowed, as JSON Schema says), `patternProperties`,
/// `minProperties`, `maxProperties`, `items`, `prefixItems`, `minItems`, `maxItems`, `uniqueItems`, `contains`,
/// `minLength`, `maxLength`, `pattern`, `format` (date, time, date-time, uuid), `minimum`, `maximum`,
/// `exclusiveMinimum`, `exclusiveMaximum`, `multipleOf`, `anyOf`, `oneOf`, `allOf`, `not` and local `$ref`.
/// Other keywords are ignored.
public struct JSONSchemaValidator: Sendable {
    let document: SchemaDocument

    /// Reads the schema.
    /// - Throws: ``JSONSchemaError`` when the text is not JSON, a `$ref` points nowhere, or a `pattern` is not a
    ///   regular expression.
    public init(schemaJSON: String) throws {
        document = try SchemaDocument(text: schemaJSON)
        try Self.checkReferencesAndPatterns(in: document.root, document: document, path: "#")
    }

    /// The ways `instanceJSON` breaks the schema, each starting with the JSON path of the offending value
    /// (`$.items[2].name: expected string, found number`). Empty when the instance is valid.
    public func validate(_ instanceJSON: String) -> [String] {
        let instance: SchemaJSONValue
        do {
            instance = try SchemaJSONParser.parse(instanceJSON)
        } catch {
            return ["$: not valid JSON: \(error.message)"]
        }
        var violations: [String] = []
        check(instance, against: document.root, at: "$", depth: 0, into: &violations)
        return violations
    }

    /// True when `instance` matches `schema`, without collecting messages (for `anyOf`, `oneOf` and `not`).
    func matches(_ instance: SchemaJSONValue, _ schema: SchemaJSONValue, depth: Int) -> Bool {
        var violations: [String] = []
        check(instance, against: schema, at: "$", depth: depth, into: &violations)
        return violations.isEmpty
    }

    static func childPath(_ path: String, key: String) -> String {
        let isIdentifier =
            !key.isEmpty && key.first?.isNumber == false
            && key.unicodeScalars.allSatisfy { $0 == "_" || ($0.isASCII && CharacterSet.alphanumerics.contains($0)) }
        return isIdentifier ? "\(path).\(key)" : "\(path)[\(SchemaJSONValue.quotedJSONString(key))]"
    }

    static func childPath(_ path: String, index: Int) -> String {
        "\(path)[\(index)]"
    }

    /// Finds broken `$ref`s and invalid patterns up front, so `validate` never has to report a schema problem.
    private static func checkReferencesAndPatterns(
        in value: SchemaJSONValue,
        document: SchemaDocument,
        path: String
    ) throws(JSONSchemaError) {
        switch value {
        case .object(let members):
            for member in members {
                let memberPath = "\(path)/\(member.key)"
                if member.key == "$ref", let reference = member.value.stringValue {
                    _ = try document.resolve(reference, at: path)
                } else if member.key == "pattern", let pattern = member.value.stringValue,
                    (try? NSRegularExpression(pattern: pattern)) == nil
                {
                    throw .invalid("'pattern' \(pattern) is not a valid regular expression", at: path)
                }
                try checkReferencesAndPatterns(in: member.value, document: document, path: memberPath)
            }
        case .array(let elements):
            for (index, element) in elements.enumerated() {
                try checkReferencesAndPatterns(in: element, document: document, path: "\(path)/\(index)")
            }
        default:
            break
        }
    }
}
