extension Value {
    /// Converts context data into interpreter values; each array and object becomes a fresh shared container.
    init(_ value: JinjaValue) {
        switch value {
        case .undefined: self = .undefined
        case .none: self = .none
        case .bool(let flag): self = .bool(flag)
        case .int(let integer): self = .int(integer)
        case .double(let number): self = .double(number)
        case .string(let string): self = .string(string)
        case .array(let items): self = .newArray(items.map(Value.init))
        case .object(let object):
            let storage = ObjectStorage()
            for (key, item) in object.pairs { storage.set(key, Value(item)) }
            self = .object(storage)
        case .callable(let callable):
            self = .function(
                FunctionValue(name: callable.name) { arguments in
                    var positional: [JinjaValue] = []
                    var keywords = JinjaObject()
                    for argument in arguments.values {
                        if case .keyword(let key, let item) = argument {
                            keywords[key] = item.exported()
                        } else {
                            positional.append(argument.exported())
                        }
                    }
                    do {
                        return Value(try callable.body(positional, keywords))
                    } catch let error as JinjaError {
                        throw EvaluationFailure(error.message, kind: error.kind)
                    } catch {
                        throw EvaluationFailure("\(callable.name): \(error)")
                    }
                })
        }
    }

    /// A snapshot as a public value; containers are copied, functions become opaque callables.
    func exported(depth: Int = 0) -> JinjaValue {
        guard depth < 100 else { return .none }
        switch self {
        case .undefined: return .undefined
        case .none: return .none
        case .bool(let flag): return .bool(flag)
        case .int(let integer): return .int(integer)
        case .double(let number): return .double(number)
        case .string(let string): return .string(string)
        case .array(let array): return .array(array.items.map { $0.exported(depth: depth + 1) })
        case .object(let storage):
            var object = JinjaObject()
            for (key, item) in storage.pairs { object[(try? key.text()) ?? ""] = item.exported(depth: depth + 1) }
            return .object(object)
        case .function(let function):
            return .callable(JinjaCallable(name: function.name) { _, _ in .none })
        case .keyword(_, let item): return item.exported(depth: depth + 1)
        }
    }
}
