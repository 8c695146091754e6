extension Builtins {
    static func numberMethod(named name: String) -> Builtin? {
        switch name {
        case "default": return defaultValue
        case "abs":
            return { arguments in
                switch try arguments.positional(0) {
                case .int(let value): return .int(value == Int.min ? value : abs(value))
                case .double(let value): return .double(abs(value))
                default: throw arguments.failure("expected a number")
                }
            }
        case "int":
            return { arguments in
                switch try arguments.positional(0) {
                case .int(let value): return .int(value)
                case .double(let value): return .int(Value.double(value).integerValue ?? 0)
                default: throw arguments.failure("expected a number")
                }
            }
        case "float":
            return { arguments in .double(try arguments.positional(0).doubleValue ?? 0) }
        case "round":
            return { arguments in
                let value = try arguments.positional(0).doubleValue ?? 0
                let precision = arguments.argument("precision", at: 1).integerValue ?? 0
                let method = (try? arguments.argument("method", at: 2).text()) ?? "common"
                let scale = Double.pow10(precision)
                let rule: FloatingPointRoundingRule =
                    method == "ceil" ? .up : method == "floor" ? .down : .toNearestOrAwayFromZero
                return .double((value * scale).rounded(rule) / scale)
            }
        case "safe", "string", "tojson": return toJSON
        default: return nil
        }
    }

    static func booleanMethod(named name: String) -> Builtin? {
        switch name {
        case "default": return defaultValue
        case "int": return { arguments in .int(try arguments.positional(0).integerValue ?? 0) }
        case "float": return { arguments in .double(try arguments.positional(0).doubleValue ?? 0) }
        case "safe", "string": return { arguments in .string(try arguments.positional(0).text()) }
        case "tojson": return toJSON
        default: return nil
        }
    }

    static func noneMethod(named name: String) -> Builtin? {
        switch name {
        case "default": return defaultValue
        case "tojson": return toJSON
        case "string", "safe": return { _ in .string("None") }
        case "items", "map", "reject", "rejectattr", "select", "selectattr", "unique": return { _ in .newArray() }
        default: return nil
        }
    }

    /// Undefined values answer the common filters with empty results, so optional fields render as nothing.
    static func undefinedMethod(named name: String) -> Builtin? {
        switch name {
        case "default": return defaultValue
        case "capitalize", "join", "lower", "replace", "safe", "string", "strip", "title", "truncate", "upper":
            return { _ in .string("") }
        case "first", "last", "max", "min": return { _ in .undefined }
        case "items", "list", "map", "reject", "rejectattr", "reverse", "select", "selectattr", "sort", "unique":
            return { _ in .newArray() }
        case "length", "sum", "wordcount": return { _ in .int(0) }
        default: return nil
        }
    }
}

extension Double {
    static func pow10(_ exponent: Int) -> Double {
        var result = 1.0
        for _ in 0..<min(abs(exponent), 400) { result *= 10 }
        return exponent < 0 ? 1 / result : result
    }
}
