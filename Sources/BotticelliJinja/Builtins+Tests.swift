extension Builtins {
    /// The test behind `value is name`; also reachable as the function `test_is_name`.
    static func test(named name: String) -> Builtin? {
        switch name {
        case "boolean": return typeTest { if case .bool = $0 { true } else { false } }
        case "callable": return typeTest { if case .function = $0 { true } else { false } }
        case "string": return typeTest { $0.isString }
        case "integer": return typeTest { if case .int = $0 { true } else { false } }
        case "float": return typeTest { if case .double = $0 { true } else { false } }
        case "number": return typeTest { $0.isNumber }
        case "iterable", "sequence": return typeTest { $0.isObject || $0.isArray || $0.isString || $0.isUndefined }
        case "mapping": return typeTest { $0.isObject }
        case "none": return typeTest { $0.isNone }
        case "undefined": return typeTest { $0.isUndefined }
        case "defined": return typeTest { !$0.isUndefined }
        case "true": return typeTest { if case .bool(true) = $0 { true } else { false } }
        case "false": return typeTest { if case .bool(false) = $0 { true } else { false } }
        case "odd", "even":
            return { arguments in
                guard case .int(let value) = try arguments.positional(0) else {
                    throw arguments.failure("expected an integer")
                }
                return .bool((value % 2 != 0) == (name == "odd"))
            }
        case "divisibleby":
            return { arguments in
                guard case .int(let value) = try arguments.positional(0),
                    case .int(let divisor) = try arguments.positional(1)
                else { throw arguments.failure("expected integers") }
                guard divisor != 0 else { throw arguments.failure("division by zero") }
                return .bool(value.remainderReportingOverflow(dividingBy: divisor).partialValue == 0)
            }
        case "lower", "upper":
            return { arguments in
                guard case .string(let text) = try arguments.positional(0) else {
                    throw arguments.failure("expected a string")
                }
                let forbidden: ClosedRange<UInt8> = name == "lower" ? 0x41...0x5A : 0x61...0x7A
                return .bool(!text.utf8.contains { forbidden.contains($0) })
            }
        case "eq", "equalto": return comparisonTest(.equal)
        case "ne": return comparisonTest(.notEqual)
        case "ge": return comparisonTest(.greaterOrEqual)
        case "gt", "greaterthan": return comparisonTest(.greater)
        case "lt", "lessthan": return comparisonTest(.less)
        case "in":
            return { arguments in
                try arguments.requireCount(2)
                return .bool(try contains(try arguments.positional(1), try arguments.positional(0)))
            }
        case "test":
            return { arguments in
                guard case .string(let testName) = try arguments.positional(0) else {
                    throw arguments.failure("expected a test name")
                }
                return .bool(test(named: testName) != nil)
            }
        case "sameas":
            return { arguments in
                try arguments.requireCount(2)
                return .bool(isSame(try arguments.positional(0), try arguments.positional(1)))
            }
        default:
            return nil
        }
    }

    private static func typeTest(_ predicate: @escaping (Value) -> Bool) -> Builtin {
        { arguments in
            try arguments.requireCount(1)
            return .bool(predicate(try arguments.positional(0)))
        }
    }

    private static func comparisonTest(_ comparison: Value.Comparison) -> Builtin {
        { arguments in
            try arguments.requireCount(2, 2)
            return .bool(try arguments.positional(0).compare(try arguments.positional(1), comparison))
        }
    }

    /// Python's `is`: singletons, small integers and the very same container.
    private static func isSame(_ left: Value, _ right: Value) -> Bool {
        switch (left, right) {
        case (.none, .none): return true
        case (.bool(let a), .bool(let b)): return a == b
        case (.int(let a), .int(let b)): return a == b && (-5...256).contains(a)
        case (.array(let a), .array(let b)): return a === b
        case (.object(let a), .object(let b)): return a === b
        default: return false
        }
    }
}
