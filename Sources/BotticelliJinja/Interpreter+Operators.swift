extension Interpreter {
    /// Binary operators with llama.cpp's rules: `and`/`or` return an operand, `+`/`~` treat none and undefined
    /// as empty next to a string, `/` always gives a float, and strings compare only for equality.
    func evaluateBinary(
        _ op: String, left leftNode: Node<Expression>, right rightNode: Node<Expression>, in scope: Scope
    )
        throws -> Value
    {
        let left = try evaluate(leftNode, in: scope)
        if op == "and" { return try left.truthy() ? try evaluate(rightNode, in: scope) : left }
        if op == "or" { return try left.truthy() ? left : try evaluate(rightNode, in: scope) }
        let right = try evaluate(rightNode, in: scope)
        if op == "==" { return .bool(left.isEquivalent(to: right)) }
        if op == "!=" { return .bool(!left.isEquivalent(to: right)) }
        let isMembership = op == "in" || op == "not in"

        func concatenatingMissing() throws -> Value? {
            guard op == "+" || op == "~" else { return nil }
            let leftMissing = left.isNone || left.isUndefined
            let rightMissing = right.isNone || right.isUndefined
            guard (leftMissing && right.isString) || (rightMissing && left.isString) else { return nil }
            return .string((leftMissing ? "" : try left.text()) + (rightMissing ? "" : try right.text()))
        }
        func membership() throws -> Value {
            let found = try Builtins.contains(right, left)
            return .bool(op == "in" ? found : !found)
        }

        if left.isUndefined || right.isUndefined {
            if right.isUndefined && isMembership { return .bool(op == "not in") }
            if let joined = try concatenatingMissing() { return joined }
            throw EvaluationFailure("cannot apply '\(op)' to an undefined value")
        }
        if left.isNone || right.isNone {
            if !right.isNone && isMembership { return try membership() }
            if let joined = try concatenatingMissing() { return joined }
            throw EvaluationFailure("cannot apply '\(op)' to none")
        }
        if left.isNumber && right.isNumber, let result = try arithmetic(op, left, right) { return result }
        if case .array(let leftArray) = left, case .array(let rightArray) = right {
            if op == "+" {
                try spend(leftArray.items.count + rightArray.items.count)
                return .newArray(leftArray.items + rightArray.items)
            }
        } else if right.isArray, isMembership {
            return try membership()
        }
        if (left.isString || right.isString) && (op == "~" || op == "+") {
            let text = try left.text() + right.text()
            try checkLength(text.utf8.count)
            return .string(text)
        }
        if op == "*" {
            switch (left, right) {
            case (.string(let text), .int(let count)), (.int(let count), .string(let text)):
                guard count > 0 else { return .string("") }
                try checkLength(text.utf8.count.multipliedReportingOverflow(by: count))
                return .string(String(repeating: text, count: count))
            default: break
            }
        }
        if left.isString && right.isString && isMembership { return try membership() }
        if right.isObject && isMembership { return try membership() }
        throw EvaluationFailure("unknown operator '\(op)' between \(left.typeName) and \(right.typeName)")
    }

    private func checkLength(_ length: Int) throws {
        guard length <= limits.outputLength else {
            throw EvaluationFailure("string of \(length) bytes exceeds the limit of \(limits.outputLength)")
        }
    }

    private func checkLength(_ result: (partialValue: Int, overflow: Bool)) throws {
        try checkLength(result.overflow ? Int.max : result.partialValue)
    }

    private func arithmetic(_ op: String, _ left: Value, _ right: Value) throws -> Value? {
        guard let a = left.doubleValue, let b = right.doubleValue else { return nil }
        let isFloat: Bool
        if case .double = left {
            isFloat = true
        } else if case .double = right {
            isFloat = true
        } else {
            isFloat = false
        }
        func number(_ result: Double) -> Value {
            if isFloat { return .double(result) }
            guard result.isFinite, let integer = Int(exactly: result.rounded(.towardZero)) else {
                return .int(result < 0 ? Int.min : Int.max)
            }
            return .int(integer)
        }
        switch op {
        case "+": return number(a + b)
        case "-": return number(a - b)
        case "*": return number(a * b)
        case "/": return .double(a / b)
        case "%":
            if !isFloat && b == 0 { throw EvaluationFailure("integer modulo by zero") }
            return number(a.truncatingRemainder(dividingBy: b))
        case "<": return .bool(a < b)
        case ">": return .bool(a > b)
        case "<=": return .bool(a <= b)
        case ">=": return .bool(a >= b)
        default: return nil
        }
    }
}
