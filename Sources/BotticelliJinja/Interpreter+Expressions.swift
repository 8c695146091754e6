extension Interpreter {
    func evaluate(_ node: Node<Expression>, in scope: Scope) throws -> Value {
        nestingDepth += 1
        defer { nestingDepth -= 1 }
        do {
            try checkNesting()
            return try evaluateUnchecked(node, in: scope)
        } catch let failure as EvaluationFailure {
            throw error(failure, at: node.offset)
        }
    }

    private func evaluateUnchecked(_ node: Node<Expression>, in scope: Scope) throws -> Value {
        switch node.kind {
        case .integer(let value): return .int(value)
        case .double(let value): return .double(value)
        case .string(let value): return .string(value)
        case .identifier(let name): return lookup(name, in: scope)
        case .array(let items): return .newArray(try items.map { try evaluate($0, in: scope) })
        case .tuple(let items): return .newArray(try items.map { try evaluate($0, in: scope) }, tuple: true)
        case .object(let pairs):
            let object = ObjectStorage()
            for (key, value) in pairs {
                try object.set(try evaluate(key, in: scope), try evaluate(value, in: scope))
            }
            return .object(object)
        case .member(let object, let property, let computed):
            return try evaluateMember(object: object, property: property, computed: computed, in: scope)
        case .slice:
            throw EvaluationFailure("a slice can only appear inside '[ ]'")
        case .call(let callee, let arguments):
            let values = try evaluateArguments(arguments, in: scope)
            guard case .function(let function) = try evaluate(callee, in: scope) else {
                throw EvaluationFailure("\(describe(callee)) is not callable")
            }
            return try function.invoke(Arguments(values, scope: scope, interpreter: self))
        case .keywordArgument(let name, let value):
            return .keyword(name, try evaluate(value, in: scope))
        case .spread:
            throw EvaluationFailure("argument unpacking with '*' is not supported")
        case .binary(let op, let left, let right):
            return try evaluateBinary(op, left: left, right: right, in: scope)
        case .unary(let op, let operand):
            let value = try evaluate(operand, in: scope)
            switch (op, value) {
            case ("not", _): return .bool(!(try value.truthy()))
            case ("-", .int(let integer)): return .int(0 &- integer)
            case ("-", .double(let number)): return .double(-number)
            case ("+", .int), ("+", .double): return value
            default: throw EvaluationFailure("unary '\(op)' needs a number, got \(value.typeName)")
            }
        case .filter(let operand, let filter):
            return try applyFilter(filter, to: try evaluate(operand, in: scope), in: scope)
        case .test(let operand, let negated, let test):
            let result = try applyTest(test, to: try evaluate(operand, in: scope), in: scope)
            return negated ? .bool(!(try result.truthy())) : result
        case .ternary(let condition, let then, let otherwise):
            return try evaluate(try evaluate(condition, in: scope).truthy() ? then : otherwise, in: scope)
        case .select(let value, let condition):
            return try evaluate(condition, in: scope).truthy() ? try evaluate(value, in: scope) : .undefined
        case .blank:
            return .undefined
        }
    }

    private func describe(_ node: Node<Expression>) -> String {
        switch node.kind {
        case .identifier(let name): "'\(name)'"
        case .member(_, let property, false):
            if case .identifier(let name) = property.kind { "'\(name)'" } else { "value" }
        default: "value"
        }
    }

    func lookup(_ name: String, in scope: Scope) -> Value {
        if let value = scope[name], !value.isUndefined {
            recorder?.markUsed(value)
            return value
        }
        if let function = Builtins.global(named: name) {
            return .function(FunctionValue(name: name, body: function))
        }
        return .undefined
    }

    func evaluateArguments(_ arguments: [Node<Expression>], in scope: Scope) throws -> [Value] {
        try arguments.map { try evaluate($0, in: scope) }
    }

    /// The builtin `name` bound to `receiver`; with `orUndefined`, undefined when the type has none.
    func builtin(_ name: String, of receiver: Value, orUndefined: Bool = false) throws -> Value {
        recorder?.markUsed(receiver)
        recorder?.record(name, on: receiver)
        if let body = try Builtins.method(named: name, for: receiver) {
            return .function(FunctionValue(name: name, receiver: receiver, body: body))
        }
        if orUndefined { return .undefined }
        throw EvaluationFailure("unknown filter '\(name)' for type \(receiver.typeName)")
    }

    private func evaluateMember(
        object objectNode: Node<Expression>, property propertyNode: Node<Expression>, computed: Bool, in scope: Scope
    ) throws -> Value {
        let object = try evaluate(objectNode, in: scope)
        let property: Value
        if computed {
            if case .slice(let start, let stop, let step) = propertyNode.kind {
                return try slice(object, start: start, stop: stop, step: step, in: scope)
            }
            property = try evaluate(propertyNode, in: scope)
        } else if case .integer(let index) = propertyNode.kind {
            guard index >= 0 else { throw EvaluationFailure("attribute index cannot be negative") }
            property = .int(index)
        } else {
            guard case .identifier(let name) = propertyNode.kind else {
                throw EvaluationFailure("an attribute name must be an identifier")
            }
            property = .string(name)
            // As in Jinja, `obj.items` is the method even when the mapping has an "items" key.
            let method = try builtin(name, of: object, orUndefined: true)
            if !method.isUndefined { return method }
        }
        if property.isUndefined { return .undefined }
        guard property.isHashable else {
            throw EvaluationFailure("type \(property.typeName) cannot be used as a key")
        }
        var result = Value.undefined
        switch object {
        case .undefined:
            return .undefined
        case .object(let storage):
            result = try storage.get(property) ?? .undefined
            if result.isUndefined, case .string(let key) = property {
                result = try builtin(key, of: object, orUndefined: true)
            }
        case .array(let array):
            if property.isIntegerLike, let index = property.integerValue {
                let position = index < 0 ? index + array.items.count : index
                if position >= 0 && position < array.items.count { result = array.items[position] }
            } else if case .string(let key) = property {
                result = try builtin(key, of: object, orUndefined: true)
            }
        case .string(let string):
            if property.isIntegerLike, let index = property.integerValue {
                let bytes = Array(string.utf8)
                if index >= 0 && index < bytes.count {
                    result = .string(String(decoding: [bytes[index]], as: UTF8.self))
                }
            } else if case .string(let key) = property {
                result = try builtin(key, of: object, orUndefined: true)
            }
        default:
            guard case .string(let key) = property else {
                throw EvaluationFailure("cannot access a property of \(object.typeName) with \(property.typeName)")
            }
            result = try builtin(key, of: object, orUndefined: true)
        }
        if let recorder {
            recorder.markUsed(result)
            recorder.markUsed(object)
            switch property {
            case .int, .bool: recorder.record("array_access", on: object)
            default: recorder.record("object_access", on: object)
            }
        }
        return result
    }

    private func slice(
        _ object: Value, start: Node<Expression>?, stop: Node<Expression>?, step: Node<Expression>?, in scope: Scope
    ) throws -> Value {
        let size: Int
        switch object {
        case .array(let array): size = array.items.count
        case .string(let string): size = string.utf8.count
        default: size = 0
        }
        let stepValue = try step.map { try evaluate($0, in: scope) } ?? .int(1)
        let negative = (stepValue.integerValue ?? 1) < 0
        let startValue = try start.map { try evaluate($0, in: scope) } ?? .int(negative ? size - 1 : 0)
        let stopValue = try stop.map { try evaluate($0, in: scope) } ?? .int(negative ? -1 : size)
        guard case .function(let function) = try builtin("slice", of: object) else { return .undefined }
        return try function.invoke(Arguments([startValue, stopValue, stepValue], scope: scope, interpreter: self))
    }

    func applyFilter(_ filter: Node<Expression>, to input: Value, in scope: Scope) throws -> Value {
        var input = input
        let nameNode: Node<Expression>
        var arguments: [Value] = []
        switch filter.kind {
        case .identifier:
            nameNode = filter
        case .call(let callee, let argumentNodes):
            nameNode = callee
            arguments = try evaluateArguments(argumentNodes, in: scope)
        default:
            throw EvaluationFailure("invalid filter")
        }
        guard case .identifier(var name) = nameNode.kind else {
            throw EvaluationFailure("a filter name must be an identifier")
        }
        name = ["count": "length", "d": "default", "e": "escape", "trim": "strip"][name] ?? name
        let textFilters: Set<String> = ["capitalize", "lower", "replace", "strip", "title", "upper", "wordcount"]
        if textFilters.contains(name), !input.isUndefined, !input.isString {
            input = .string(try input.text())
        }
        guard case .function(let function) = try builtin(name, of: input) else { return .undefined }
        return try function.invoke(Arguments(arguments, scope: scope, interpreter: self))
    }

    private func applyTest(_ test: Node<Expression>, to input: Value, in scope: Scope) throws -> Value {
        var arguments = [input]
        let name: String
        switch test.kind {
        case .identifier(let identifier):
            name = identifier
        case .call(let callee, let argumentNodes):
            guard case .identifier(let identifier) = callee.kind else { throw EvaluationFailure("invalid test") }
            name = identifier
            arguments += try evaluateArguments(argumentNodes, in: scope)
        default:
            throw EvaluationFailure("invalid test")
        }
        guard let body = Builtins.test(named: name) else { throw EvaluationFailure("unknown test '\(name)'") }
        recorder?.markUsed(input)
        recorder?.record("test_is_" + name, on: input)
        var callArguments = Arguments(arguments, scope: scope, interpreter: self)
        callArguments.functionName = "test_is_" + name
        return try body(&callArguments)
    }
}

extension Value {
    /// Ints and booleans index arrays and strings; floats do not.
    var isIntegerLike: Bool {
        switch self {
        case .int, .bool: true
        default: false
        }
    }
}
