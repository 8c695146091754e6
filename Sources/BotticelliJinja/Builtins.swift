import Foundation

/// A builtin function or method: the receiver, when bound, is the first argument.
typealias Builtin = (inout Arguments) throws -> Value

/// The functions, tests and per-type methods (which double as filters) that templates can call, with the
/// semantics of llama.cpp's engine.
enum Builtins {
    static func global(named name: String) -> Builtin? {
        switch name {
        case "raise_exception": return raiseException
        case "dict", "namespace": return makeObject
        case "strftime_now": return strftimeNow
        case "range": return range
        case "tojson": return toJSON
        default:
            guard name.hasPrefix("test_is_") else { return nil }
            return test(named: String(name.dropFirst("test_is_".count)))
        }
    }

    /// The methods of `value`'s type; `nil` when it has no method of that name.
    static func method(named name: String, for value: Value) throws -> Builtin? {
        switch value {
        case .string: return stringMethod(named: name)
        case .int, .double: return numberMethod(named: name)
        case .bool: return booleanMethod(named: name)
        case .array: return arrayMethod(named: name)
        case .object(let object): return object.hasBuiltins ? objectMethod(named: name) : nil
        case .none: return noneMethod(named: name)
        case .undefined: return undefinedMethod(named: name)
        case .function, .keyword: throw EvaluationFailure("\(value.typeName) has no methods or filters")
        }
    }

    private static func raiseException(_ arguments: inout Arguments) throws -> Value {
        guard case .string(let message) = try arguments.positional(0) else {
            throw arguments.failure("expected a string message")
        }
        throw EvaluationFailure(message, kind: .raised)
    }

    /// `dict(...)` and `namespace(...)`: keyword arguments, optionally after a mapping or a list of pairs.
    private static func makeObject(_ arguments: inout Arguments) throws -> Value {
        let object = ObjectStorage()
        var first = arguments.positional(0, default: .undefined)
        var skipsFirst = false
        switch first {
        case .array(let pairs):
            skipsFirst = true
            for pair in pairs.items {
                guard case .array(let items) = pair, items.items.count == 2 else {
                    throw arguments.failure("iterable argument must consist of pairs, not \(pair.typeName)")
                }
                try object.set(items.items[0], items.items[1])
            }
        case .object(let source):
            skipsFirst = true
            for (key, value) in source.pairs { try object.set(key, value) }
        default:
            first = .undefined
        }
        for (position, argument) in arguments.values.enumerated() {
            if case .keyword(let key, let value) = argument {
                object.set(key, value)
            } else if !(skipsFirst && position == 0) {
                throw arguments.failure("arguments must be keywords, a mapping or pairs, not \(argument.typeName)")
            }
        }
        return .object(object)
    }

    private static func strftimeNow(_ arguments: inout Arguments) throws -> Value {
        guard case .string(let format) = try arguments.positional(0) else {
            throw arguments.failure("expected a format string")
        }
        var seconds = time_t(arguments.interpreter.now.timeIntervalSince1970.rounded(.down))
        var parts = tm()
        localtime_r(&seconds, &parts)
        var buffer = [CChar](repeating: 0, count: 100)
        let length = strftime(&buffer, buffer.count, format, &parts)
        guard length > 0 else { throw arguments.failure("failed to format time") }
        return .string(String(decoding: buffer[0..<length].map { UInt8(bitPattern: $0) }, as: UTF8.self))
    }

    private static func range(_ arguments: inout Arguments) throws -> Value {
        try arguments.requireCount(1, 3)
        let bounds = try arguments.values.map { value -> Int in
            guard case .int(let integer) = value else { throw arguments.failure("expected integers") }
            return integer
        }
        let (start, stop, step) =
            bounds.count == 1 ? (0, bounds[0], 1) : (bounds[0], bounds[1], bounds.count == 3 ? bounds[2] : 1)
        guard step != 0 else { throw arguments.failure("step argument must not be zero") }
        let (span, overflow) =
            step > 0 ? stop.subtractingReportingOverflow(start) : start.subtractingReportingOverflow(stop)
        let count = overflow ? UInt.max : span <= 0 ? 0 : (UInt(span) - 1) / step.magnitude + 1
        guard count <= UInt(arguments.interpreter.limits.loopIterations) else {
            throw arguments.failure("range of \(count) items exceeds the work limit")
        }
        try arguments.interpreter.spend(Int(count))
        return .newArray(stride(from: start, to: stop, by: step).map { .int($0) })
    }

    static func toJSON(_ arguments: inout Arguments) throws -> Value {
        try arguments.requireCount(1, 5)
        let value = try arguments.positional(0)
        arguments.interpreter.recorder?.markUsed(value, deep: true)
        let ensureASCII = try arguments.argument("ensure_ascii", at: 1).truthy()
        var indent = -1
        if case .int(let width) = arguments.argument("indent", at: 2) { indent = width }
        if try arguments.argument("sort_keys", at: 4).truthy() {
            throw arguments.failure("sort_keys=true is not supported")
        }
        var separators: [Value] = []
        if case .array(let given) = arguments.argument("separators", at: 3) { separators = given.items }
        let itemSeparator = try separators.first.map { try $0.text() }
        let keySeparator = try separators.count > 1 ? separators[1].text() : ": "
        let json = try JSONWriter.write(
            value, indent: indent, itemSeparator: itemSeparator, keySeparator: keySeparator, ensureASCII: ensureASCII)
        try arguments.interpreter.spend(json.utf8.count / 256)
        return .string(json)
    }

    /// `needle in haystack`.
    static func contains(_ haystack: Value, _ needle: Value) throws -> Bool {
        switch haystack {
        case .undefined: return false
        case .array(let array): return array.items.contains { needle.isEquivalent(to: $0) }
        case .string(let text):
            guard case .string(let part) = needle else {
                throw EvaluationFailure("'in' needs a string to look for in a string, got \(needle.typeName)")
            }
            return part.isEmpty || text.utf8.firstRange(of: part.utf8) != nil
        case .object(let object):
            guard needle.isImmutable else {
                throw EvaluationFailure("object key of unhashable type: \(needle.typeName)")
            }
            return try object.contains(needle)
        default:
            throw EvaluationFailure("'in' needs an iterable, got \(haystack.typeName)")
        }
    }

    /// `default(value, fallback, boolean=false)`: none counts as missing, as in llama.cpp.
    static func defaultValue(_ arguments: inout Arguments) throws -> Value {
        try arguments.requireCount(2, 3)
        let value = try arguments.positional(0)
        let missing =
            try arguments.argument("boolean", at: 2).truthy()
            ? !(try value.truthy()) : (value.isUndefined || value.isNone)
        return missing ? try arguments.positional(1) : value
    }

    /// `value[attribute]` for `map`, `selectattr`, `sort` and `join`; digit strings index lists.
    static func attribute(of value: Value, _ attribute: Value, default fallback: Value) throws -> Value {
        if attribute.isUndefined { return fallback }
        switch value {
        case .array(let array):
            var index = attribute.isIntegerLike ? attribute.integerValue : nil
            if case .string(let text) = attribute, !text.isEmpty, text.utf8.allSatisfy(isDigit) { index = Int(text) }
            guard let index else { return fallback }
            let position = index < 0 ? index + array.items.count : index
            return position >= 0 && position < array.items.count ? array.items[position] : fallback
        case .object(let object):
            return try object.get(attribute) ?? fallback
        default:
            return fallback
        }
    }
}
