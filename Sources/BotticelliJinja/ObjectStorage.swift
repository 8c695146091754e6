/// A shared, insertion-ordered mapping. Keys are values: `1`, `1.0` and `true` name the same key.
final class ObjectStorage {
    private(set) var keys: [Value] = []
    private(set) var values: [Value] = []
    private var index: [ObjectKey: Int] = [:]
    /// The template context and `loop` have no methods, so `loop.items` is never a builtin.
    let hasBuiltins: Bool
    /// Whether the interpreter already holds this object among the containers that grew during the render.
    var isNotedAsGrown = false

    init(hasBuiltins: Bool = true) {
        self.hasBuiltins = hasBuiltins
    }

    deinit {
        Value.releaseWithoutRecursion(&keys)
        Value.releaseWithoutRecursion(&values)
    }

    var count: Int { keys.count }

    func set(_ key: Value, _ value: Value) throws {
        let hashKey = try ObjectKey(key)
        if let position = index[hashKey] {
            values[position] = value
        } else {
            index[hashKey] = keys.count
            keys.append(key)
            values.append(value)
        }
    }

    func set(_ key: String, _ value: Value) {
        let hashKey = ObjectKey.string(key)
        if let position = index[hashKey] {
            values[position] = value
        } else {
            index[hashKey] = keys.count
            keys.append(.string(key))
            values.append(value)
        }
    }

    func get(_ key: Value) throws -> Value? {
        guard let position = index[try ObjectKey(key)] else { return nil }
        return values[position]
    }

    func get(_ key: String) -> Value? {
        guard let position = index[.string(key)] else { return nil }
        return values[position]
    }

    func contains(_ key: Value) throws -> Bool { try get(key) != nil }

    var pairs: Zip2Sequence<[Value], [Value]> { zip(keys, values) }

    func copy() -> ObjectStorage {
        let copy = ObjectStorage(hasBuiltins: hasBuiltins)
        copy.keys = keys
        copy.values = values
        copy.index = index
        return copy
    }

    /// Hands the keys and values to `pending` and leaves the object empty; only for an object being freed.
    func moveContents(into pending: inout [Value]) {
        pending.append(contentsOf: keys)
        pending.append(contentsOf: values)
        keys = []
        values = []
        index = [:]
    }

    func reorder(_ order: [Int]) {
        keys = order.map { keys[$0] }
        values = order.map { values[$0] }
        index = [:]
        for (position, key) in keys.enumerated() {
            if let hashKey = try? ObjectKey(key) { index[hashKey] = position }
        }
    }
}

/// The hashable form of an object key.
enum ObjectKey: Hashable {
    case string(String)
    case integer(Int)
    case double(Double)
    case none
    case tuple([ObjectKey])

    init(_ value: Value) throws {
        switch value {
        case .string(let string): self = .string(string)
        case .int(let integer): self = .integer(integer)
        case .bool(let flag): self = .integer(flag ? 1 : 0)
        case .double(let number):
            if number.isFinite, let integer = Int(exactly: number) {
                self = .integer(integer)
            } else {
                self = .double(number)
            }
        case .none: self = .none
        case .array(let array) where array.isTuple:
            self = .tuple(try array.items.map { try ObjectKey($0) })
        default:
            throw EvaluationFailure("object key of unhashable type: \(value.typeName)")
        }
    }
}
