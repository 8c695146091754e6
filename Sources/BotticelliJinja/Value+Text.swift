import Foundation

extension Value {
    /// The string form used by `~`, `join` and `string`, after llama.cpp: `True`, `1.5`, `['a', 1]`.
    func text(depth: Int = 0) throws -> String {
        guard depth < Self.nestingLimit else { throw Self.nestingFailure }
        switch self {
        case .string(let string): return string
        case .int(let integer): return String(integer)
        case .double(let number): return Self.decimalText(number)
        case .bool(let flag): return flag ? "True" : "False"
        case .none: return "None"
        case .array(let array):
            let items = try array.items.map { try $0.representation(depth: depth + 1) }.joined(separator: ", ")
            if array.isTuple { return "(" + items + (array.items.count == 1 ? ",)" : ")") }
            return "[" + items + "]"
        case .object(let object):
            let items = try object.pairs.map {
                try $0.representation(depth: depth + 1) + ": " + $1.representation(depth: depth + 1)
            }
            return "{" + items.joined(separator: ", ") + "}"
        case .undefined, .function, .keyword:
            throw EvaluationFailure("\(typeName) is not a string value")
        }
    }

    /// The form of an item inside a printed list or dict: strings quoted, `None`, `Undefined`.
    func representation(depth: Int = 0) throws -> String {
        switch self {
        case .string(let string):
            return string.contains("'") ? try JSONWriter.write(self) : "'" + string + "'"
        case .undefined: return "Undefined"
        case .function(let function): return "Function<\(function.name)>"
        case .keyword: return "KwArg"
        default: return try text(depth: depth)
        }
    }

    /// How deep lists and mappings may nest when printed; deeper usually means one contains itself.
    static let nestingLimit = 100

    static var nestingFailure: EvaluationFailure {
        EvaluationFailure("value nests deeper than \(nestingLimit) levels (does a list or mapping contain itself?)")
    }

    /// `std::to_string(double)` with trailing zeros removed, keeping one decimal: `1.0`, `0.25`.
    static func decimalText(_ number: Double) -> String {
        guard number.isFinite else { return number.isNaN ? "nan" : (number < 0 ? "-inf" : "inf") }
        var text = String(format: "%f", number)
        while text.hasSuffix("0") { text.removeLast() }
        if text.hasSuffix(".") { text += "0" }
        return text
    }

    /// Appends what `{{ value }}` prints: strings, numbers and booleans; lists item by item; nothing else.
    func render(into output: inout String, depth: Int = 0) throws {
        guard depth < Self.nestingLimit else { throw Self.nestingFailure }
        switch self {
        case .string(let string): output += string
        case .int, .double, .bool: output += try text()
        case .array(let array): for item in array.items { try item.render(into: &output, depth: depth + 1) }
        default: break
        }
    }
}

extension Value {
    /// `==` in templates: numbers by value across int, float and bool; containers only when hashable.
    func isEquivalent(to other: Value) -> Bool {
        switch self {
        case .int, .double, .bool:
            guard let left = doubleValue, let right = other.doubleValue, other.isNumericOrBool else { return false }
            return left == right && integerValue == other.integerValue
        case .string(let left):
            if case .string(let right) = other { return left == right }
            return false
        case .array(let left):
            guard case .array(let right) = other, left.isTuple == right.isTuple, isHashable, other.isHashable,
                left.items.count == right.items.count
            else { return false }
            return zip(left.items, right.items).allSatisfy { $0.isEquivalent(to: $1) }
        case .object(let left):
            guard case .object(let right) = other, isHashable, other.isHashable, left.count == right.count else {
                return false
            }
            return zip(left.pairs, right.pairs).allSatisfy {
                $0.0.isEquivalent(to: $1.0) && $0.1.isEquivalent(to: $1.1)
            }
        case .none: return other.isNone
        case .undefined: return other.isUndefined
        case .function: if case .function = other { return true } else { return false }
        case .keyword: return false
        }
    }

    var isNumericOrBool: Bool {
        switch self {
        case .int, .double, .bool: true
        default: false
        }
    }

    enum Comparison { case equal, greaterOrEqual, greater, less, notEqual }

    /// The comparison used by tests (`eq`, `gt`…), `sort`, `min` and `max`: numbers as floats, strings (and a
    /// string against a number) as text, booleans for equality; anything else compares false.
    func compare(_ other: Value, _ comparison: Comparison) throws -> Bool {
        if isNumber && other.isNumber, let left = doubleValue, let right = other.doubleValue {
            switch comparison {
            case .equal: return left == right
            case .greaterOrEqual: return left >= right
            case .greater: return left > right
            case .less: return left < right
            case .notEqual: return left != right
            }
        }
        if (other.isString && (isNumber || isString)) || (isString && other.isNumber) {
            let left = Array(try text().utf8)
            let right = Array(try other.text().utf8)
            switch comparison {
            case .equal: return left == right
            case .greaterOrEqual: return !left.lexicographicallyPrecedes(right)
            case .greater: return right.lexicographicallyPrecedes(left)
            case .less: return left.lexicographicallyPrecedes(right)
            case .notEqual: return left != right
            }
        }
        if case .bool(let left) = self, case .bool(let right) = other {
            switch comparison {
            case .equal: return left == right
            case .notEqual: return left != right
            default: throw EvaluationFailure("unsupported comparison for booleans")
            }
        }
        return false
    }
}
