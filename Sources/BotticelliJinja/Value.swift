/// The interpreter's value: like ``JinjaValue`` but arrays and objects are shared, mutable references, as in
/// Jinja, so `ns.x = …` and `list.append(…)` are seen through every name that holds them.
///
/// Not `Sendable`: values live only inside one `render` call on one thread.
indirect enum Value {
    case undefined
    case none
    case bool(Bool)
    case int(Int)
    case double(Double)
    case string(String)
    case array(ArrayStorage)
    case object(ObjectStorage)
    case function(FunctionValue)
    case keyword(String, Value)

    static func newArray(_ items: [Value] = [], tuple: Bool = false) -> Value {
        .array(ArrayStorage(items, isTuple: tuple))
    }

    /// The type name used in error messages, after llama.cpp's.
    var typeName: String {
        switch self {
        case .undefined: "Undefined"
        case .none: "None"
        case .bool: "Boolean"
        case .int: "Integer"
        case .double: "Float"
        case .string: "String"
        case .array(let array): array.isTuple ? "Tuple" : "Array"
        case .object: "Object"
        case .function: "Function"
        case .keyword: "KwArg"
        }
    }

    var isUndefined: Bool { if case .undefined = self { true } else { false } }
    var isNone: Bool { if case .none = self { true } else { false } }
    var isString: Bool { if case .string = self { true } else { false } }
    var isArray: Bool { if case .array = self { true } else { false } }
    var isObject: Bool { if case .object = self { true } else { false } }
    var isKeyword: Bool { if case .keyword = self { true } else { false } }
    var isNumber: Bool {
        switch self {
        case .int, .double: true
        default: false
        }
    }

    /// Truthiness; functions have none, as in llama.cpp.
    func truthy() throws -> Bool {
        switch self {
        case .undefined, .none: return false
        case .bool(let value): return value
        case .int(let value): return value != 0
        case .double(let value): return value != 0
        case .string(let value): return !value.isEmpty
        case .array(let array): return !array.items.isEmpty
        case .object(let object): return object.count > 0
        case .function, .keyword: throw EvaluationFailure("\(typeName) is not a bool value")
        }
    }

    /// Integer view of numbers and booleans.
    var integerValue: Int? {
        switch self {
        case .int(let value): value
        case .bool(let value): value ? 1 : 0
        case .double(let value): value.isFinite ? Int(exactly: value.rounded(.towardZero)) ?? 0 : 0
        default: nil
        }
    }

    var doubleValue: Double? {
        switch self {
        case .int(let value): Double(value)
        case .bool(let value): value ? 1 : 0
        case .double(let value): value
        default: nil
        }
    }

    /// Values that cannot change after creation; only they may be object keys or make a container hashable.
    var isImmutable: Bool {
        switch self {
        case .array(let array): array.isTuple
        case .object: false
        default: true
        }
    }

    var isHashable: Bool {
        switch self {
        case .undefined, .function: false
        case .array(let array): array.items.allSatisfy { $0.isImmutable && $0.isHashable }
        case .object(let object): object.values.allSatisfy { $0.isImmutable && $0.isHashable }
        default: true
        }
    }
}

/// A shared array or tuple.
final class ArrayStorage {
    var items: [Value]
    let isTuple: Bool
    /// Whether the interpreter already holds this list among the containers that grew during the render.
    var isNotedAsGrown = false

    init(_ items: [Value], isTuple: Bool = false) {
        self.items = items
        self.isTuple = isTuple
    }

    deinit {
        Value.releaseWithoutRecursion(&items)
    }
}
