import Foundation

extension JSONSchemaValidator {
    /// `$ref` chains deeper than this are reported instead of recursing forever on a schema like `{"$ref": "#"}`.
    private static let maximumDepth = 128

    func check(
        _ instance: SchemaJSONValue,
        against schema: SchemaJSONValue,
        at path: String,
        depth: Int,
        into violations: inout [String]
    ) {
        guard depth < Self.maximumDepth else {
            violations.append("\(path): the schema nests more than \(Self.maximumDepth) levels of $ref here")
            return
        }
        switch schema {
        case .bool(false):
            violations.append("\(path): no value is allowed here")
            return
        case .object:
            break
        default:
            return
        }
        if let reference = schema["$ref"]?.stringValue, let target = try? document.resolve(reference, at: path) {
            check(instance, against: target, at: path, depth: depth + 1, into: &violations)
        }
        if case .null = instance, schema["nullable"]?.boolValue == true {
            return
        }
        checkType(instance, schema, at: path, into: &violations)
        if let options = schema["enum"]?.arrayElements, !options.contains(where: { $0.isEqual(to: instance) }) {
            violations.append(
                "\(path): \(instance.compactJSON) is not one of \(SchemaJSONValue.array(options).compactJSON)")
        }
        if let constant = schema["const"], !constant.isEqual(to: instance) {
            violations.append("\(path): expected \(constant.compactJSON), found \(instance.compactJSON)")
        }
        switch instance {
        case .number(let value, _): checkNumber(value, schema, at: path, into: &violations)
        case .string(let text): checkString(text, schema, at: path, into: &violations)
        case .array(let elements): checkArray(elements, schema, at: path, depth: depth, into: &violations)
        case .object(let members): checkObject(members, schema, at: path, depth: depth, into: &violations)
        default: break
        }
        checkCombinators(instance, schema, at: path, depth: depth, into: &violations)
    }

    private func checkType(
        _ instance: SchemaJSONValue, _ schema: SchemaJSONValue, at path: String, into violations: inout [String]
    ) {
        let types: [String]
        switch schema["type"] {
        case .string(let type): types = [type]
        case .array(let elements): types = elements.compactMap(\.stringValue)
        default: return
        }
        let actual = instance.typeName
        let matches = types.contains { $0 == actual || ($0 == "number" && actual == "integer") }
        if !matches {
            violations.append("\(path): expected \(types.joined(separator: " or ")), found \(actual)")
        }
    }

    private func checkNumber(
        _ value: Double, _ schema: SchemaJSONValue, at path: String, into violations: inout [String]
    ) {
        guard let bounds = try? SchemaGrammarBuilder.numericBounds(of: schema, path: path) else { return }
        if let lower = bounds.lower, lower.exclusive ? value <= lower.value : value < lower.value {
            let relation = lower.exclusive ? "greater than" : "at least"
            violations.append("\(path): \(Self.format(value)) is not \(relation) \(Self.format(lower.value))")
        }
        if let upper = bounds.upper, upper.exclusive ? value >= upper.value : value > upper.value {
            let relation = upper.exclusive ? "less than" : "at most"
            violations.append("\(path): \(Self.format(value)) is not \(relation) \(Self.format(upper.value))")
        }
        if let divisor = schema["multipleOf"]?.numberValue, divisor > 0 {
            let quotient = value / divisor
            if abs(quotient - quotient.rounded()) > 1e-9 * max(1, abs(quotient)) {
                violations.append("\(path): \(Self.format(value)) is not a multiple of \(Self.format(divisor))")
            }
        }
    }

    private static func format(_ value: Double) -> String {
        value.rounded() == value && abs(value) < 1e15 ? String(Int(value)) : String(value)
    }

    private func checkString(
        _ text: String, _ schema: SchemaJSONValue, at path: String, into violations: inout [String]
    ) {
        // JSON Schema counts characters as code points.
        let length = text.unicodeScalars.count
        if let minimum = schema["minLength"]?.countValue, length < minimum {
            violations.append("\(path): string has \(length) characters, fewer than minLength \(minimum)")
        }
        if let maximum = schema["maxLength"]?.countValue, length > maximum {
            violations.append("\(path): string has \(length) characters, more than maxLength \(maximum)")
        }
        if let pattern = schema["pattern"]?.stringValue, !Self.search(pattern, in: text) {
            violations.append("\(path): string does not match pattern \(pattern)")
        }
        if let format = schema["format"]?.stringValue, let expression = Self.formatExpressions[format],
            !Self.search(expression, in: text)
        {
            violations.append("\(path): \(SchemaJSONValue.quotedJSONString(text)) is not a valid \(format)")
        }
    }

    /// Anchored expressions for the formats that are checked; other formats are annotations only.
    private static let formatExpressions: [String: String] = {
        let date = #"[0-9]{4}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])"#
        let time = #"([01][0-9]|2[0-3]):[0-5][0-9]:([0-5][0-9]|60)(\.[0-9]+)?([Zz]|[+-]([01][0-9]|2[0-3]):[0-5][0-9])"#
        return [
            "date": "^\(date)$",
            "time": "^\(time)$",
            "date-time": "^\(date)[Tt]\(time)$",
            "uuid": "^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$",
        ]
    }()

    /// JSON Schema patterns are unanchored: they match when found anywhere in the string.
    static func search(_ pattern: String, in text: String) -> Bool {
        guard let expression = try? NSRegularExpression(pattern: pattern) else { return false }
        let range = NSRange(text.startIndex..<text.endIndex, in: text)
        return expression.firstMatch(in: text, range: range) != nil
    }
}
