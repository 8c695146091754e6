extension Interpreter {
    /// A macro runs in a copy of the caller's scope, as in llama.cpp, with its parameters bound on top.
    func makeMacro(name: String, parameters: [Node<Expression>], body: [Node<Statement>]) -> FunctionValue {
        FunctionValue(name: name) { [unowned self] arguments in
            var scope = arguments.scope
            try bind(parameters, of: name, from: arguments, into: &scope)
            try enterCall()
            defer { leaveCall() }
            var output = ""
            try execute(body, scope: &scope, into: &output)
            return .string(output)
        }
    }

    /// Binds parameters by keyword or position; a parameter past the given arguments takes its default.
    func bind(_ parameters: [Node<Expression>], of name: String, from arguments: Arguments, into scope: inout Scope)
        throws
    {
        for (position, parameter) in parameters.enumerated() {
            let parameterName: String
            var defaultValue: Node<Expression>?
            switch parameter.kind {
            case .identifier(let identifier):
                parameterName = identifier
            case .keywordArgument(let identifier, let value):
                parameterName = identifier
                defaultValue = value
            default:
                throw EvaluationFailure("invalid parameter in '\(name)'")
            }
            if position < arguments.count {
                scope[parameterName] = arguments.argument(parameterName, at: position)
            } else if let defaultValue {
                scope[parameterName] = try evaluate(defaultValue, in: arguments.scope)
            } else {
                throw EvaluationFailure("not enough arguments for '\(name)': missing '\(parameterName)'")
            }
        }
    }

    /// `{% call(args) macro(…) %}body{% endcall %}`: the body becomes `caller()` inside the macro.
    func executeCall(
        callee: Node<Expression>, arguments: [Node<Expression>], callerParameters: [Node<Expression>],
        body: [Node<Statement>], scope: Scope
    ) throws -> Value {
        guard case .function(let function) = try evaluate(callee, in: scope) else {
            throw EvaluationFailure("'call' needs a macro")
        }
        let definitionScope = scope
        let caller = FunctionValue(name: "caller") { [unowned self] callerArguments in
            var blockScope = definitionScope
            try bind(callerParameters, of: "caller", from: callerArguments, into: &blockScope)
            try enterCall()
            defer { leaveCall() }
            var output = ""
            try execute(body, scope: &blockScope, into: &output)
            return .string(output)
        }
        var callScope = scope
        callScope["caller"] = .function(caller)
        let values = try evaluateArguments(arguments, in: scope)
        return try function.invoke(Arguments(values, scope: callScope, interpreter: self))
    }
}
