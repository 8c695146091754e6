/// The arguments of a call: positional values, with keyword arguments kept in place as `.keyword` values.
struct Arguments {
    var values: [Value]
    let scope: Scope
    unowned let interpreter: Interpreter
    var functionName = ""

    init(_ values: [Value], scope: Scope, interpreter: Interpreter) {
        self.values = values
        self.scope = scope
        self.interpreter = interpreter
    }

    var count: Int { values.count }

    func failure(_ message: String) -> EvaluationFailure {
        EvaluationFailure("\(functionName): \(message)")
    }

    /// The argument at `position`, keyword or not, as llama.cpp reads it.
    func positional(_ position: Int) throws -> Value {
        guard position < values.count else {
            throw failure("expected at least \(position + 1) arguments, got \(values.count)")
        }
        return values[position]
    }

    func positional(_ position: Int, default value: Value) -> Value {
        position < values.count ? values[position] : value
    }

    func keyword(_ name: String) -> Value? {
        for case .keyword(let key, let value) in values where key == name { return value }
        return nil
    }

    /// The keyword argument `name`, else the positional argument at `position`, else undefined.
    func argument(_ name: String, at position: Int) -> Value {
        if let value = keyword(name), !value.isUndefined { return value }
        if position < values.count, !values[position].isKeyword { return values[position] }
        return keyword(name) ?? .undefined
    }

    func requireCount(_ minimum: Int, _ maximum: Int = 999) throws {
        guard values.count >= minimum && values.count <= maximum else {
            throw failure("expected between \(minimum) and \(maximum) arguments, got \(values.count)")
        }
    }
}

/// A callable: a macro, a builtin bound to its receiver, or a Swift function from the context.
final class FunctionValue {
    let name: String
    /// The value a method is bound to, as in `messages.append`; variable only so that freeing it can take it.
    var receiver: Value?
    let body: (inout Arguments) throws -> Value

    init(name: String, receiver: Value? = nil, body: @escaping (inout Arguments) throws -> Value) {
        self.name = name
        self.receiver = receiver
        self.body = body
    }

    func invoke(_ arguments: Arguments) throws -> Value {
        var arguments = arguments
        arguments.functionName = name
        if let receiver { arguments.values.insert(receiver, at: 0) }
        return try body(&arguments)
    }
}
