extension Parser {
    mutating func parseExpressionSequence(primaryOnly: Bool = false) throws -> Node<Expression> {
        let offset = peek().offset
        var items = [primaryOnly ? try parsePrimary() : try parseExpression()]
        let isTuple = check(.comma)
        while check(.comma) {
            current += 1
            items.append(primaryOnly ? try parsePrimary() : try parseExpression())
        }
        return isTuple ? Node(.tuple(items), at: offset) : items[0]
    }

    mutating func parseExpression() throws -> Node<Expression> {
        try nest()
        defer { depth -= 1 }
        let value = try parseOr()
        guard checkIdentifier("if") else { return value }
        let offset = peek().offset
        current += 1
        let condition = try parseOr()
        if checkIdentifier("else") {
            current += 1
            let otherwise = try parseExpression()
            return Node(.ternary(condition: condition, then: value, otherwise: otherwise), at: offset)
        }
        return Node(.select(value: value, condition: condition), at: offset)
    }

    mutating func parseOr() throws -> Node<Expression> {
        var left = try parseAnd()
        var added = 0
        defer { depth -= added }
        while checkIdentifier("or") {
            try deepen(&added)
            let offset = try next().offset
            left = Node(.binary(operator: "or", left: left, right: try parseAnd()), at: offset)
        }
        return left
    }

    mutating func parseAnd() throws -> Node<Expression> {
        var left = try parseNot()
        var added = 0
        defer { depth -= added }
        while checkIdentifier("and") {
            try deepen(&added)
            let offset = try next().offset
            left = Node(.binary(operator: "and", left: left, right: try parseNot()), at: offset)
        }
        return left
    }

    mutating func parseNot() throws -> Node<Expression> {
        if checkIdentifier("not") {
            try nest()
            defer { depth -= 1 }
            let offset = try next().offset
            return Node(.unary(operator: "not", operand: try parseNot()), at: offset)
        }
        return try parseComparison()
    }

    mutating func parseComparison() throws -> Node<Expression> {
        var left = try parseAdditive()
        var added = 0
        defer { depth -= added }
        while true {
            let offset = peek().offset
            let op: String
            if checkIdentifier("not") && peek(1).kind == .identifier && peek(1).value == "in" {
                current += 2
                op = "not in"
            } else if checkIdentifier("in") || check(.comparisonOperator) {
                op = try next().value
            } else {
                break
            }
            try deepen(&added)
            left = Node(.binary(operator: op, left: left, right: try parseAdditive()), at: offset)
        }
        return left
    }

    mutating func parseAdditive() throws -> Node<Expression> {
        var left = try parseMultiplicative()
        var added = 0
        defer { depth -= added }
        while check(.additiveOperator) {
            try deepen(&added)
            let token = try next()
            left = Node(.binary(operator: token.value, left: left, right: try parseMultiplicative()), at: token.offset)
        }
        return left
    }

    mutating func parseMultiplicative() throws -> Node<Expression> {
        var left = try parseTest()
        var added = 0
        defer { depth -= added }
        while check(.multiplicativeOperator) {
            try deepen(&added)
            let token = try next()
            left = Node(.binary(operator: token.value, left: left, right: try parseTest()), at: token.offset)
        }
        return left
    }

    mutating func parseTest() throws -> Node<Expression> {
        var operand = try parseFilter()
        var added = 0
        defer { depth -= added }
        while checkIdentifier("is") {
            try deepen(&added)
            let offset = try next().offset
            var negated = false
            if checkIdentifier("not") {
                current += 1
                negated = true
            }
            var test = try parsePrimary()
            if check(.openParen) {
                test = try parseCall(test)
            } else if check(.numericLiteral) || check(.stringLiteral) || check(.openCurlyBracket)
                || check(.openSquareBracket)
                || (check(.identifier) && !checkIdentifier("and") && !checkIdentifier("or")
                    && !checkIdentifier("else"))
            {
                let callOffset = peek().offset
                test = Node(.call(callee: test, arguments: [try parseUnary()]), at: callOffset)
            }
            operand = Node(.test(operand: operand, negated: negated, test: test), at: offset)
        }
        return operand
    }

    mutating func parseFilter() throws -> Node<Expression> {
        var operand = try parseUnary()
        var added = 0
        defer { depth -= added }
        while check(.pipe) {
            try deepen(&added)
            let offset = try next().offset
            var filter = try parsePrimary()
            if check(.openParen) { filter = try parseCall(filter) }
            operand = Node(.filter(operand: operand, filter: filter), at: offset)
        }
        return operand
    }

    mutating func parseUnary() throws -> Node<Expression> {
        if check(.unaryOperator) {
            try nest()
            defer { depth -= 1 }
            let token = try next()
            return Node(.unary(operator: token.value, operand: try parseUnary()), at: token.offset)
        }
        let member = try parseMember(try parsePrimary())
        return check(.openParen) ? try parseCall(member) : member
    }

    mutating func parseCall(_ callee: Node<Expression>) throws -> Node<Expression> {
        try nest()
        defer { depth -= 1 }
        let offset = peek().offset
        let call = Node(Expression.call(callee: callee, arguments: try parseArguments()), at: offset)
        let member = try parseMember(call)
        return check(.openParen) ? try parseCall(member) : member
    }

    mutating func parseArguments() throws -> [Node<Expression>] {
        try expect(.openParen, "'('")
        var arguments: [Node<Expression>] = []
        while !check(.closeParen) {
            guard current < tokens.count else { throw failure("expected ')'", at: endOffset) }
            let offset = peek().offset
            if check(.multiplicativeOperator) && peek().value == "*" {
                current += 1
                arguments.append(Node(.spread(try parseExpression()), at: offset))
            } else {
                let argument = try parseExpression()
                if check(.equals) {
                    let equalsOffset = try next().offset
                    guard case .identifier(let name) = argument.kind else {
                        throw failure("keyword argument name must be an identifier", at: argument.offset)
                    }
                    arguments.append(Node(.keywordArgument(name: name, value: try parseExpression()), at: equalsOffset))
                } else {
                    arguments.append(argument)
                }
            }
            if check(.comma) { current += 1 }
        }
        try expect(.closeParen, "')'")
        return arguments
    }

    mutating func parseMember(_ object: Node<Expression>) throws -> Node<Expression> {
        var object = object
        let offset = peek().offset
        var added = 0
        defer { depth -= added }
        while check(.dot) || check(.openSquareBracket) {
            try deepen(&added)
            let computed = try next().kind == .openSquareBracket
            let property: Node<Expression>
            if computed {
                property = try parseSubscript()
                try expect(.closeSquareBracket, "']'")
            } else {
                property = try parsePrimary()
            }
            object = Node(.member(object: object, property: property, computed: computed), at: offset)
        }
        return object
    }

    mutating func parseSubscript() throws -> Node<Expression> {
        let offset = peek().offset
        var parts: [Node<Expression>?] = []
        var isSlice = false
        while !check(.closeSquareBracket) {
            guard current < tokens.count else { throw failure("expected ']'", at: endOffset) }
            if check(.colon) {
                parts.append(nil)
                current += 1
                isSlice = true
            } else {
                parts.append(try parseExpression())
                if check(.colon) {
                    current += 1
                    isSlice = true
                }
            }
        }
        if isSlice {
            func part(_ index: Int) -> Node<Expression>? { index < parts.count ? parts[index] : nil }
            return Node(.slice(start: part(0), stop: part(1), step: part(2)), at: offset)
        }
        guard let first = parts.first, let expression = first else { return Node(.blank, at: offset) }
        return expression
    }

    mutating func parsePrimary() throws -> Node<Expression> {
        try nest()
        defer { depth -= 1 }
        let token = try next()
        switch token.kind {
        case .numericLiteral:
            if token.value.contains(".") {
                guard let value = Double(token.value) else { throw failure("invalid number", at: token.offset) }
                return Node(.double(value), at: token.offset)
            }
            guard let value = Int(token.value) else {
                throw failure("integer literal '\(token.value)' is out of range", at: token.offset)
            }
            return Node(.integer(value), at: token.offset)
        case .stringLiteral:
            var value = token.value
            while check(.stringLiteral) { value += try next().value }
            return Node(.string(value), at: token.offset)
        case .identifier:
            return Node(.identifier(token.value), at: token.offset)
        case .openParen:
            let expression = try parseExpressionSequence()
            try expect(.closeParen, "')'")
            return expression
        case .openSquareBracket:
            var items: [Node<Expression>] = []
            while !check(.closeSquareBracket) {
                guard current < tokens.count else { throw failure("expected ']'", at: endOffset) }
                items.append(try parseExpression())
                if check(.comma) { current += 1 }
            }
            current += 1
            return Node(.array(items), at: token.offset)
        case .openCurlyBracket:
            var pairs: [(key: Node<Expression>, value: Node<Expression>)] = []
            while !check(.closeCurlyBracket) {
                guard current < tokens.count else { throw failure("expected '}'", at: endOffset) }
                let key = try parseExpression()
                try expect(.colon, "':'")
                pairs.append((key, try parseExpression()))
                if check(.comma) { current += 1 }
            }
            current += 1
            return Node(.object(pairs), at: token.offset)
        default:
            let shown = token.kind == .endOfInput ? "end of template" : "'\(token.value)'"
            throw failure("unexpected \(shown)", at: token.offset)
        }
    }

    /// Counts one more level of a left-nested chain (`a + b + …`, `x|f|g…`), whose tree is as deep as it is long.
    mutating func deepen(_ added: inout Int) throws {
        try nest()
        added += 1
    }
}
