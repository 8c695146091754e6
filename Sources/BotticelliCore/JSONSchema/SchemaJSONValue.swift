/// A parsed JSON value that keeps object members in document order, which `JSONSerialization` does not:
/// the grammar must emit properties in the order the schema declares them.
enum SchemaJSONValue: Sendable {
    case null
    case bool(Bool)
    /// The number's value, and its text as written, so that `enum` and `const` reproduce it exactly.
    case number(Double, literal: String)
    case string(String)
    case array([SchemaJSONValue])
    case object([SchemaJSONMember])
}

/// One `"key": value` pair of a JSON object.
struct SchemaJSONMember: Sendable {
    let key: String
    let value: SchemaJSONValue
}

extension SchemaJSONValue {
    /// The value of `key` when this is an object; the last one wins when a key repeats, as in most parsers.
    subscript(key: String) -> SchemaJSONValue? {
        guard case .object(let members) = self else { return nil }
        return members.last { $0.key == key }?.value
    }

    var objectMembers: [SchemaJSONMember]? {
        if case .object(let members) = self { return members }
        return nil
    }

    var arrayElements: [SchemaJSONValue]? {
        if case .array(let elements) = self { return elements }
        return nil
    }

    var stringValue: String? {
        if case .string(let text) = self { return text }
        return nil
    }

    var numberValue: Double? {
        if case .number(let value, _) = self { return value }
        return nil
    }

    var boolValue: Bool? {
        if case .bool(let value) = self { return value }
        return nil
    }

    /// A non-negative whole number, as used by `minItems`, `maxLength` and similar keywords.
    var countValue: Int? {
        guard case .number(let value, _) = self, value >= 0, value.rounded() == value, value < 1e15 else {
            return nil
        }
        return Int(value)
    }

    /// True for numbers without a fractional part (JSON Schema counts `1.0` as an integer).
    var isInteger: Bool {
        guard case .number(let value, _) = self else { return false }
        return value.isFinite && value.rounded() == value
    }

    /// The JSON Schema type name of this value (`integer` for whole numbers).
    var typeName: String {
        switch self {
        case .null: "null"
        case .bool: "boolean"
        case .number: isInteger ? "integer" : "number"
        case .string: "string"
        case .array: "array"
        case .object: "object"
        }
    }

    /// JSON equality: numbers compare by value and objects ignore member order.
    func isEqual(to other: SchemaJSONValue) -> Bool {
        switch (self, other) {
        case (.null, .null):
            return true
        case (.bool(let left), .bool(let right)):
            return left == right
        case (.number(let left, _), .number(let right, _)):
            return left == right
        case (.string(let left), .string(let right)):
            return left == right
        case (.array(let left), .array(let right)):
            return left.count == right.count && zip(left, right).allSatisfy { $0.isEqual(to: $1) }
        case (.object(let left), .object(let right)):
            let leftKeys = Set(left.map(\.key))
            guard leftKeys == Set(right.map(\.key)) else { return false }
            return leftKeys.allSatisfy { key in
                guard let leftValue = self[key], let rightValue = other[key] else { return false }
                return leftValue.isEqual(to: rightValue)
            }
        default:
            return false
        }
    }
}
