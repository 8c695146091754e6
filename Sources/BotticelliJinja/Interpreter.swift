import Foundation

/// Signals `{% break %}` and `{% continue %}` to the enclosing loop.
enum LoopSignal: Error {
    case breakLoop
    case continueLoop
}

/// Executes a parsed template. One instance serves one render, on one thread.
final class Interpreter {
    let limits: JinjaLimits
    let now: Date
    let locator: SourceLocator
    var recorder: UsageRecorder?
    private var callDepth = 0
    private var work = 0
    private let deadline: ContinuousClock.Instant
    /// Statements and expressions being run inside one another, through macro calls; see ``JinjaLimits/nestingDepth``.
    var nestingDepth = 0
    /// Lists and objects that gained an element during the render; see ``breakCycles()``.
    var grownContainers: [GrownContainer] = []

    init(bytes: [UInt8], limits: JinjaLimits, now: Date, recorder: UsageRecorder? = nil) {
        self.locator = SourceLocator(bytes: bytes)
        self.limits = limits
        self.now = now
        self.recorder = recorder
        self.deadline = ContinuousClock.now.advanced(by: limits.duration)
    }

    /// Charges `steps` against the render's work and time limits.
    func spend(_ steps: Int = 1) throws {
        work += max(1, steps)
        guard work <= limits.loopIterations else {
            throw EvaluationFailure(
                "the template did more than \(limits.loopIterations) steps of work (loop iterations, calls, items)")
        }
        guard ContinuousClock.now < deadline else {
            throw EvaluationFailure("rendering took longer than \(limits.duration)")
        }
    }

    func checkNesting() throws {
        guard nestingDepth <= limits.nestingDepth else {
            throw EvaluationFailure(
                "the template nests deeper than \(limits.nestingDepth) levels while rendering (blocks and expressions "
                    + "inside one another, counted through macro calls)")
        }
    }

    func run(_ body: [Node<Statement>], scope: inout Scope) throws -> String {
        defer { breakCycles() }
        var output = ""
        do {
            try execute(body, scope: &scope, into: &output)
        } catch let signal as LoopSignal {
            throw JinjaError(kind: .runtime, message: "'\(signal == .breakLoop ? "break" : "continue")' outside a loop")
        }
        return output
    }

    func error(_ failure: EvaluationFailure, at offset: Int) -> JinjaError {
        let location = locator.location(of: offset)
        return JinjaError(kind: failure.kind, message: failure.message, line: location.line, column: location.column)
    }

    func execute(_ statements: [Node<Statement>], scope: inout Scope, into output: inout String) throws {
        for statement in statements {
            try execute(statement, scope: &scope, into: &output)
            if output.utf8.count > limits.outputLength {
                throw error(EvaluationFailure("output exceeds \(limits.outputLength) bytes"), at: statement.offset)
            }
        }
    }

    private func execute(_ node: Node<Statement>, scope: inout Scope, into output: inout String) throws {
        nestingDepth += 1
        defer { nestingDepth -= 1 }
        do {
            try checkNesting()
            switch node.kind {
            case .text(let text):
                output += text
            case .output(let expression):
                try evaluate(expression, in: scope).render(into: &output)
            case .ifBlock(let condition, let body, let otherwise):
                // A branch's output is kept only when the whole branch ran, as in llama.cpp.
                var branch = ""
                try execute(
                    try evaluate(condition, in: scope).truthy() ? body : otherwise, scope: &scope, into: &branch)
                output += branch
            case .forLoop(let target, let iterable, let body, let otherwise):
                try executeLoop(target: target, iterable: iterable, body: body, otherwise: otherwise, scope: &scope)
                    .render(into: &output)
            case .set(let target, let value, let body):
                try executeSet(target: target, value: value, body: body, scope: &scope)
            case .macro(let name, let parameters, let body):
                scope[name] = .function(makeMacro(name: name, parameters: parameters, body: body))
            case .callBlock(let callee, let arguments, let callerParameters, let body):
                try executeCall(
                    callee: callee, arguments: arguments, callerParameters: callerParameters, body: body, scope: scope
                ).render(into: &output)
            case .filterBlock(let filter, let body):
                var text = ""
                try execute(body, scope: &scope, into: &text)
                try applyFilter(filter, to: .string(text), in: scope).render(into: &output)
            case .breakLoop:
                throw LoopSignal.breakLoop
            case .continueLoop:
                throw LoopSignal.continueLoop
            case .nothing:
                break
            }
        } catch let failure as EvaluationFailure {
            throw error(failure, at: node.offset)
        }
    }

    private func executeLoop(
        target: Node<Expression>, iterable: Node<Expression>, body: [Node<Statement>], otherwise: [Node<Statement>],
        scope outer: inout Scope
    ) throws -> Value {
        var scope = outer
        var source = iterable
        var filter: Node<Expression>?
        if case .select(let value, let condition) = iterable.kind {
            source = value
            filter = condition
        }
        var collection = try evaluate(source, in: scope)
        recorder?.markUsed(collection)
        recorder?.record("array_access", on: collection)
        if collection.isUndefined { collection = .newArray() }
        // Each entry is what the loop variables bind to, and what `loop.previtem`/`nextitem` show.
        var entries: [(binding: Value, item: Value)]
        let iteratesObject: Bool
        switch collection {
        case .array(let array):
            entries = array.items.map { ($0, $0) }
            iteratesObject = false
        case .object(let object):
            let keysOnly: Bool
            if case .identifier = target.kind { keysOnly = true } else { keysOnly = false }
            entries = object.pairs.map { key, value in
                let pair = Value.newArray([key, value], tuple: true)
                return (pair, keysOnly ? key : pair)
            }
            iteratesObject = true
        default:
            throw EvaluationFailure("expected an iterable or an object in 'for' loop, got \(collection.typeName)")
        }
        func bind(_ item: Value, into scope: inout Scope) throws {
            switch target.kind {
            case .identifier(let name):
                if iteratesObject, case .array(let pair) = item {
                    scope[name] = pair.items[0]
                } else {
                    scope[name] = item
                }
            case .tuple(let names):
                guard case .array(let values) = item else {
                    throw EvaluationFailure("cannot unpack non-iterable type \(item.typeName)")
                }
                guard values.items.count == names.count else {
                    throw EvaluationFailure("too \(names.count > values.items.count ? "few" : "many") items to unpack")
                }
                for (nameNode, value) in zip(names, values.items) {
                    guard case .identifier(let name) = nameNode.kind else {
                        throw EvaluationFailure("cannot unpack into a non-identifier")
                    }
                    scope[name] = value
                }
            default:
                throw EvaluationFailure("invalid loop variable")
            }
        }
        if let filter {
            entries = try entries.filter { entry in
                var itemScope = scope
                try bind(entry.binding, into: &itemScope)
                return try evaluate(filter, in: itemScope).truthy()
            }
        }
        var result = ""
        var ranBody = false
        for (position, entry) in entries.enumerated() {
            try spend()
            let loop = ObjectStorage(hasBuiltins: false)
            loop.set("index", .int(position + 1))
            loop.set("index0", .int(position))
            loop.set("revindex", .int(entries.count - position))
            loop.set("revindex0", .int(entries.count - position - 1))
            loop.set("first", .bool(position == 0))
            loop.set("last", .bool(position == entries.count - 1))
            loop.set("length", .int(entries.count))
            loop.set("previtem", position > 0 ? entries[position - 1].item : .undefined)
            loop.set("nextitem", position < entries.count - 1 ? entries[position + 1].item : .undefined)
            scope["loop"] = .object(loop)
            try bind(entry.binding, into: &scope)
            do {
                try execute(body, scope: &scope, into: &result)
            } catch LoopSignal.continueLoop {
                continue
            } catch LoopSignal.breakLoop {
                break
            }
            // llama.cpp runs the else block when no iteration completed without break or continue.
            ranBody = true
        }
        if !ranBody { try execute(otherwise, scope: &outer, into: &result) }
        return .string(result)
    }

    private func executeSet(
        target: Node<Expression>, value: Node<Expression>?, body: [Node<Statement>], scope: inout Scope
    ) throws {
        let assigned: Value
        if let value {
            assigned = try evaluate(value, in: scope)
        } else {
            var text = ""
            try execute(body, scope: &scope, into: &text)
            assigned = .string(text)
        }
        switch target.kind {
        case .identifier(let name):
            scope[name] = assigned
        case .tuple(let names):
            guard case .array(let values) = assigned else {
                throw EvaluationFailure("cannot unpack non-iterable type \(assigned.typeName) in 'set'")
            }
            guard values.items.count == names.count else {
                throw EvaluationFailure(
                    "too \(names.count > values.items.count ? "few" : "many") items to unpack in 'set'")
            }
            for (nameNode, item) in zip(names, values.items) {
                guard case .identifier(let name) = nameNode.kind else {
                    throw EvaluationFailure("cannot unpack into a non-identifier in 'set'")
                }
                scope[name] = item
            }
        case .member(let objectNode, let property, let computed):
            guard !computed, case .identifier(let name) = property.kind else {
                throw EvaluationFailure("'set' can only assign to an attribute like 'ns.name'")
            }
            guard case .object(let object) = try evaluate(objectNode, in: scope) else {
                throw EvaluationFailure("cannot assign attribute '\(name)' of a value that is not an object")
            }
            object.set(name, assigned)
            noteGrowth(of: object)
        default:
            throw EvaluationFailure("invalid target of 'set'")
        }
    }

    func enterCall() throws {
        try spend()
        callDepth += 1
        if callDepth > limits.callDepth {
            callDepth -= 1
            throw EvaluationFailure("macro calls nest deeper than \(limits.callDepth) levels")
        }
    }

    func leaveCall() { callDepth -= 1 }
}
