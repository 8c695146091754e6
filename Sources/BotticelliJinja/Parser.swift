/// Builds the syntax tree from tokens with the precedence of llama.cpp's engine: `if`-expressions, `or`, `and`,
/// `not`, comparisons and `in`, `+ - ~`, `* / %`, `is` tests, `|` filters, unary `-`/`+`, member access and calls.
struct Parser {
    private let tokens: [Token]
    private let locator: SourceLocator
    private var current = 0
    private static let nestingLimit = 200
    private var depth = 0

    init(tokens: [Token], bytes: [UInt8]) {
        self.tokens = tokens
        self.locator = SourceLocator(bytes: bytes)
    }

    static func parse(_ source: String) throws -> (body: [Node<Statement>], bytes: [UInt8]) {
        let (tokens, bytes) = try Lexer.tokenize(source)
        var parser = Parser(tokens: tokens, bytes: bytes)
        var body: [Node<Statement>] = []
        while parser.current < tokens.count {
            body.append(try parser.parseAny())
        }
        return (body, bytes)
    }

    // MARK: - Token helpers

    private func peek(_ distance: Int = 0) -> Token {
        let index = current + distance
        return index < tokens.count ? tokens[index] : Token(kind: .endOfInput, value: "", offset: endOffset)
    }

    private var endOffset: Int { tokens.last?.offset ?? 0 }

    private func failure(_ message: String, at offset: Int? = nil) -> JinjaError {
        let location = locator.location(of: offset ?? peek().offset)
        return JinjaError(kind: .parse, message: message, line: location.line, column: location.column)
    }

    private mutating func next() throws -> Token {
        guard current < tokens.count else { throw failure("unexpected end of template", at: endOffset) }
        defer { current += 1 }
        return tokens[current]
    }

    private mutating func expect(_ kind: Token.Kind, _ description: String) throws {
        let token = peek()
        guard token.kind == kind else {
            let got = token.kind == .endOfInput ? "end of template" : "'\(token.value)'"
            throw failure("expected \(description), got \(got)", at: token.offset)
        }
        current += 1
    }

    private mutating func expectIdentifier(_ name: String) throws {
        let token = peek()
        guard token.kind == .identifier && token.value == name else {
            throw failure("expected '\(name)', got '\(token.value)'", at: token.offset)
        }
        current += 1
    }

    private func check(_ kind: Token.Kind) -> Bool { peek().kind == kind }

    private func checkIdentifier(_ name: String) -> Bool { peek().kind == .identifier && peek().value == name }

    private func checkStatement(_ names: Set<String>) -> Bool {
        peek().kind == .openStatement && peek(1).kind == .identifier && names.contains(peek(1).value)
    }

    private mutating func nest() throws {
        depth += 1
        if depth > Self.nestingLimit { throw failure("template nests deeper than \(Self.nestingLimit) levels") }
    }

    // MARK: - Statements

    private mutating func parseAny() throws -> Node<Statement> {
        let token = peek()
        switch token.kind {
        case .comment:
            current += 1
            return Node(.nothing, at: token.offset)
        case .text:
            current += 1
            return Node(.text(token.value), at: token.offset)
        case .openStatement:
            return try parseStatement()
        case .openExpression:
            current += 1
            let expression = try parseExpression()
            try expect(.closeExpression, "'}}'")
            return Node(.output(expression), at: token.offset)
        default:
            throw failure("unexpected '\(token.value)'", at: token.offset)
        }
    }

    private mutating func parseBody(until names: Set<String>, in statement: String) throws -> [Node<Statement>] {
        var body: [Node<Statement>] = []
        while !checkStatement(names) {
            guard current < tokens.count else {
                let expected = names.sorted().map { "'{% \($0) %}'" }.joined(separator: " or ")
                throw failure("'\(statement)' block is never closed: expected \(expected)", at: endOffset)
            }
            body.append(try parseAny())
        }
        return body
    }

    private mutating func parseStatement() throws -> Node<Statement> {
        try nest()
        defer { depth -= 1 }
        try expect(.openStatement, "'{%'")
        let nameToken = peek()
        guard nameToken.kind == .identifier else {
            throw failure("expected a statement name, got '\(nameToken.value)'", at: nameToken.offset)
        }
        current += 1
        let offset = nameToken.offset
        switch nameToken.value {
        case "set":
            return try parseSet(at: offset)
        case "if":
            let statement = try parseIf(at: offset)
            try closeBlock("endif")
            return statement
        case "macro":
            let statement = try parseMacro(at: offset)
            try closeBlock("endmacro")
            return statement
        case "for":
            let statement = try parseFor(at: offset)
            try closeBlock("endfor")
            return statement
        case "break":
            try expect(.closeStatement, "'%}'")
            return Node(.breakLoop, at: offset)
        case "continue":
            try expect(.closeStatement, "'%}'")
            return Node(.continueLoop, at: offset)
        case "call":
            return try parseCall(at: offset)
        case "filter":
            var filter = try parsePrimary()
            if case .identifier = filter.kind, check(.openParen) { filter = try parseCall(filter) }
            try expect(.closeStatement, "'%}'")
            let body = try parseBody(until: ["endfilter"], in: "filter")
            try closeBlock("endfilter")
            return Node(.filterBlock(filter: filter, body: body), at: offset)
        case "generation", "endgeneration":
            // Hugging Face's marker for assistant turns; it renders nothing.
            current += 1
            return Node(.nothing, at: offset)
        default:
            throw failure("unknown statement '\(nameToken.value)'", at: offset)
        }
    }

    private mutating func closeBlock(_ name: String) throws {
        try expect(.openStatement, "'{% \(name) %}'")
        try expectIdentifier(name)
        try expect(.closeStatement, "'%}'")
    }

    private mutating func parseSet(at offset: Int) throws -> Node<Statement> {
        let target = try parseExpressionSequence()
        if check(.equals) {
            current += 1
            let value = try parseExpressionSequence()
            try expect(.closeStatement, "'%}'")
            return Node(.set(target: target, value: value, body: []), at: offset)
        }
        try expect(.closeStatement, "'%}'")
        let body = try parseBody(until: ["endset"], in: "set")
        try closeBlock("endset")
        return Node(.set(target: target, value: nil, body: body), at: offset)
    }

    private mutating func parseIf(at offset: Int) throws -> Node<Statement> {
        let condition = try parseExpression()
        try expect(.closeStatement, "'%}'")
        let body = try parseBody(until: ["elif", "else", "endif"], in: "if")
        var otherwise: [Node<Statement>] = []
        if checkStatement(["elif"]) {
            let elifOffset = peek(1).offset
            current += 2
            otherwise.append(try parseIf(at: elifOffset))
        } else if checkStatement(["else"]) {
            current += 2
            try expect(.closeStatement, "'%}'")
            otherwise = try parseBody(until: ["endif"], in: "if")
        }
        return Node(.ifBlock(condition: condition, body: body, otherwise: otherwise), at: offset)
    }

    private mutating func parseMacro(at offset: Int) throws -> Node<Statement> {
        let name = try parsePrimary()
        guard case .identifier(let macroName) = name.kind else {
            throw failure("macro name must be an identifier", at: name.offset)
        }
        let parameters = try parseArguments()
        try expect(.closeStatement, "'%}'")
        let body = try parseBody(until: ["endmacro"], in: "macro")
        return Node(.macro(name: macroName, parameters: parameters, body: body), at: offset)
    }

    private mutating func parseFor(at offset: Int) throws -> Node<Statement> {
        let target = try parseExpressionSequence(primaryOnly: true)
        guard checkIdentifier("in") else { throw failure("expected 'in' in for loop") }
        current += 1
        let iterable = try parseExpression()
        try expect(.closeStatement, "'%}'")
        let body = try parseBody(until: ["endfor", "else"], in: "for")
        var otherwise: [Node<Statement>] = []
        if checkStatement(["else"]) {
            current += 2
            try expect(.closeStatement, "'%}'")
            otherwise = try parseBody(until: ["endfor"], in: "for")
        }
        return Node(.forLoop(target: target, iterable: iterable, body: body, otherwise: otherwise), at: offset)
    }

    private mutating func parseCall(at offset: Int) throws -> Node<Statement> {
        var callerParameters: [Node<Expression>] = []
        if check(.openParen) { callerParameters = try parseArguments() }
        let callee = try parsePrimary()
        guard case .identifier = callee.kind else { throw failure("expected a macro name after 'call'") }
        let arguments = try parseArguments()
        try expect(.closeStatement, "'%}'")
        let body = try parseBody(until: ["endcall"], in: "call")
        try closeBlock("endcall")
        return Node(
            .callBlock(callee: callee, arguments: arguments, callerParameters: callerParameters, body: body),
            at: offset)
    }

    // MARK: - Expressions

    private mutating func parseExpressionSequence(primaryOnly: Bool = false) throws -> Node<Expression> {
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

    private mutating func parseOr() throws -> Node<Expression> {
        var left = try parseAnd()
        while checkIdentifier("or") {
            let offset = try next().offset
            left = Node(.binary(operator: "or", left: left, right: try parseAnd()), at: offset)
        }
        return left
    }

    private mutating func parseAnd() throws -> Node<Expression> {
        var left = try parseNot()
        while checkIdentifier("and") {
            let offset = try next().offset
            left = Node(.binary(operator: "and", left: left, right: try parseNot()), at: offset)
        }
        return left
    }

    private mutating func parseNot() throws -> Node<Expression> {
        if checkIdentifier("not") {
            try nest()
            defer { depth -= 1 }
            let offset = try next().offset
            return Node(.unary(operator: "not", operand: try parseNot()), at: offset)
        }
        return try parseComparison()
    }

    private mutating func parseComparison() throws -> Node<Expression> {
        var left = try parseAdditive()
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
            left = Node(.binary(operator: op, left: left, right: try parseAdditive()), at: offset)
        }
        return left
    }

    private mutating func parseAdditive() throws -> Node<Expression> {
        var left = try parseMultiplicative()
        while check(.additiveOperator) {
            let token = try next()
            left = Node(.binary(operator: token.value, left: left, right: try parseMultiplicative()), at: token.offset)
        }
        return left
    }

    private mutating func parseMultiplicative() throws -> Node<Expression> {
        var left = try parseTest()
        while check(.multiplicativeOperator) {
            let token = try next()
            left = Node(.binary(operator: token.value, left: left, right: try parseTest()), at: token.offset)
        }
        return left
    }

    private mutating func parseTest() throws -> Node<Expression> {
        var operand = try parseFilter()
        while checkIdentifier("is") {
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

    private mutating func parseFilter() throws -> Node<Expression> {
        var operand = try parseUnary()
        while check(.pipe) {
            let offset = try next().offset
            var filter = try parsePrimary()
            if check(.openParen) { filter = try parseCall(filter) }
            operand = Node(.filter(operand: operand, filter: filter), at: offset)
        }
        return operand
    }

    private mutating func parseUnary() throws -> Node<Expression> {
        if check(.unaryOperator) {
            try nest()
            defer { depth -= 1 }
            let token = try next()
            return Node(.unary(operator: token.value, operand: try parseUnary()), at: token.offset)
        }
        let member = try parseMember(try parsePrimary())
        return check(.openParen) ? try parseCall(member) : member
    }

    private mutating func parseCall(_ callee: Node<Expression>) throws -> Node<Expression> {
        let offset = peek().offset
        let call = Node(Expression.call(callee: callee, arguments: try parseArguments()), at: offset)
        let member = try parseMember(call)
        return check(.openParen) ? try parseCall(member) : member
    }

    private mutating func parseArguments() throws -> [Node<Expression>] {
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

    private mutating func parseMember(_ object: Node<Expression>) throws -> Node<Expression> {
        var object = object
        let offset = peek().offset
        while check(.dot) || check(.openSquareBracket) {
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

    private mutating func parseSubscript() throws -> Node<Expression> {
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

    private mutating func parsePrimary() throws -> Node<Expression> {
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
}
