extension Builtins {
    static func array(_ arguments: Arguments, _ position: Int = 0) throws -> ArrayStorage {
        guard case .array(let array) = try arguments.positional(position) else {
            throw arguments.failure("argument \(position + 1) must be a list")
        }
        try arguments.interpreter.spend(array.items.count)
        return array
    }

    /// A list of the same kind (list or tuple) as `original`.
    private static func like(_ original: ArrayStorage, _ items: [Value]) -> Value {
        .newArray(items, tuple: original.isTuple)
    }

    static func arrayMethod(named name: String) -> Builtin? {
        switch name {
        case "default": return defaultValue
        case "list": return { arguments in .newArray(try array(arguments).items) }
        case "first": return { arguments in try array(arguments).items.first ?? .undefined }
        case "last": return { arguments in try array(arguments).items.last ?? .undefined }
        case "length": return { arguments in .int(try array(arguments).items.count) }
        case "slice":
            return { arguments in
                let list = try array(arguments)
                return like(list, try sliceIndices(count: list.items.count, arguments).map { list.items[$0] })
            }
        case "selectattr", "select": return select(rejecting: false)
        case "rejectattr", "reject": return select(rejecting: true)
        case "join": return join
        case "string":
            return { arguments in
                arguments.interpreter.recorder?.markUsed(try arguments.positional(0), deep: true)
                return .string(try arguments.positional(0).text())
            }
        case "tojson": return toJSON
        case "map": return map
        case "append":
            return { arguments in
                try arguments.requireCount(2)
                let list = try array(arguments)
                list.items.append(try arguments.positional(1))
                arguments.interpreter.noteGrowth(of: list)
                return try arguments.positional(0)
            }
        case "pop":
            return { arguments in
                try arguments.requireCount(1, 2)
                let list = try array(arguments)
                var index = arguments.count == 2 ? try arguments.positional(1).integerValue ?? -1 : -1
                if index < 0 { index += list.items.count }
                guard index >= 0 && index < list.items.count else {
                    throw arguments.failure("index \(index) out of bounds for a list of \(list.items.count) items")
                }
                return list.items.remove(at: index)
            }
        case "sort": return sort
        case "reverse":
            return { arguments in
                let list = try array(arguments); return like(list, list.items.reversed())
            }
        case "min", "max": return extreme(name == "max" ? .greater : .less)
        case "unique":
            return { arguments in
                var unique: [Value] = []
                for item in try array(arguments).items where !unique.contains(where: { $0.isEquivalent(to: item) }) {
                    unique.append(item)
                }
                return .newArray(unique)
            }
        default: return nil
        }
    }

    /// `select`/`selectattr` and their negations, with llama.cpp's argument shapes: one argument is an attribute
    /// tested for truth, two are a test and its argument, three an attribute, a test and its argument.
    private static func select(rejecting: Bool) -> Builtin {
        { arguments in
            try arguments.requireCount(2, 4)
            let list = try array(arguments)
            guard case .string = try arguments.positional(1) else { throw arguments.failure("expected a name") }
            let attributeName = try arguments.positional(1)
            var selected: [Value] = []
            for item in list.items {
                var keep: Bool
                switch arguments.count {
                case 2:
                    keep = try attribute(of: item, attributeName, default: .undefined).truthy()
                case 3:
                    let testName = try text(arguments, 1)
                    guard let test = test(named: testName) else {
                        throw arguments.failure("unknown test '\(testName)'")
                    }
                    var testArguments = Arguments(
                        [item, try arguments.positional(2)], scope: arguments.scope, interpreter: arguments.interpreter)
                    keep = try test(&testArguments).truthy()
                default:
                    let testName = try text(arguments, 2)
                    guard let test = test(named: testName) else {
                        throw arguments.failure("unknown test '\(testName)'")
                    }
                    let value = try attribute(of: item, attributeName, default: .undefined)
                    var testArguments = Arguments(
                        [value, try arguments.positional(3)], scope: arguments.scope, interpreter: arguments.interpreter
                    )
                    keep = try test(&testArguments).truthy()
                }
                if rejecting { keep.toggle() }
                if keep { selected.append(item) }
            }
            return .newArray(selected)
        }
    }

    private static func join(_ arguments: inout Arguments) throws -> Value {
        try arguments.requireCount(1, 3)
        let list = try array(arguments)
        let delimiterValue = arguments.argument("d", at: 1)
        let delimiter = delimiterValue.isUndefined ? "" : try delimiterValue.text()
        let attributeName = arguments.argument("attribute", at: 2)
        var parts: [String] = []
        for var item in list.items {
            if !attributeName.isUndefined { item = try attribute(of: item, attributeName, default: .undefined) }
            switch item {
            case .string, .int, .double: parts.append(try item.text())
            default: throw arguments.failure("can only join strings or numbers, got \(item.typeName)")
            }
        }
        return .string(parts.joined(separator: delimiter))
    }

    private static func map(_ arguments: inout Arguments) throws -> Value {
        try arguments.requireCount(2)
        let list = try array(arguments)
        guard arguments.values[1].isKeyword else { throw arguments.failure("only map(attribute=...) is supported") }
        let attributeName = arguments.argument("attribute", at: 1)
        let fallback = arguments.keyword("default") ?? .undefined
        return like(list, try list.items.map { try attribute(of: $0, attributeName, default: fallback) })
    }

    private static func sort(_ arguments: inout Arguments) throws -> Value {
        try arguments.requireCount(1, 4)
        let list = try array(arguments)
        let reverse = try arguments.argument("reverse", at: 1).truthy()
        let attributeName = arguments.argument("attribute", at: 3)
        let keyed = try list.items.map { item in
            (item, attributeName.isUndefined ? item : try attribute(of: item, attributeName, default: .undefined))
        }
        var failure: Error?
        let sorted = keyed.sorted { left, right in
            do {
                return try left.1.compare(right.1, reverse ? .greater : .less)
            } catch {
                failure = error
                return false
            }
        }
        if let failure { throw failure }
        return like(list, sorted.map(\.0))
    }

    private static func extreme(_ comparison: Value.Comparison) -> Builtin {
        { arguments in
            try arguments.requireCount(1, 4)
            let list = try array(arguments)
            let attributeName = arguments.argument("attribute", at: 2)
            guard var result = list.items.first else { return .undefined }
            for item in list.items {
                let candidate = try attribute(of: item, attributeName, default: item)
                let current = try attribute(of: result, attributeName, default: result)
                let better =
                    attributeName.isUndefined
                    ? try item.compare(result, comparison)
                    : try candidate.compare(current, comparison)
                if better { result = item }
            }
            return result
        }
    }

    static func objectMethod(named name: String) -> Builtin? {
        func object(_ arguments: Arguments) throws -> ObjectStorage {
            guard case .object(let object) = try arguments.positional(0) else {
                throw arguments.failure("argument 1 must be a mapping")
            }
            return object
        }
        switch name {
        case "get":
            return { arguments in
                try arguments.requireCount(2, 3)
                let key = try arguments.positional(1)
                guard key.isString else { throw arguments.failure("key must be a string") }
                return try object(arguments).get(key) ?? arguments.positional(2, default: .none)
            }
        case "keys": return { arguments in .newArray(try object(arguments).keys) }
        case "values": return { arguments in .newArray(try object(arguments).values) }
        case "items":
            return { arguments in
                .newArray(try object(arguments).pairs.map { .newArray([$0, $1], tuple: true) })
            }
        case "tojson": return toJSON
        case "string":
            return { arguments in
                arguments.interpreter.recorder?.markUsed(try arguments.positional(0), deep: true)
                return .string(try arguments.positional(0).text())
            }
        case "length": return { arguments in .int(try object(arguments).count) }
        case "dictsort":
            return { arguments in
                let source = try object(arguments)
                let byValue = (try? arguments.argument("by", at: 2).text()) == "value"
                let reverse = try arguments.argument("reverse", at: 3).truthy()
                let entries = Array(source.pairs)
                let order = try (0..<entries.count).sorted { left, right in
                    let a = byValue ? entries[left].1 : entries[left].0
                    let b = byValue ? entries[right].1 : entries[right].0
                    return try a.compare(b, reverse ? .greater : .less)
                }
                let sorted = source.copy()
                sorted.reorder(order)
                return .object(sorted)
            }
        case "join": return { arguments in throw arguments.failure("join is not supported on mappings") }
        default: return nil
        }
    }
}
