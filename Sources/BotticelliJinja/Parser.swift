/// Builds the syntax tree from tokens with the precedence of llama.cpp's engine: `if`-expressions, `or`, `and`,
/// `not`, comparisons and `in`, `+ - ~`, `* / %`, `is` tests, `|` filters, unary `-`/`+`, member access and calls.
struct Parser {
    let tokens: [Token]
    let locator: SourceLocator
    var current = 0
    static let nestingLimit = 300
    var depth = 0

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

    func peek(_ distance: Int = 0) -> Token {
        let index = current + distance
        return index < tokens.count ? tokens[index] : Token(kind: .endOfInput, value: "", offset: endOffset)
    }

    var endOffset: Int { tokens.last?.offset ?? 0 }

    func failure(_ message: String, at offset: Int? = nil) -> JinjaError {
        let location = locator.location(of: offset ?? peek().offset)
        return JinjaError(kind: .parse, message: message, line: location.line, column: location.column)
    }

    mutating func next() throws -> Token {
        guard current < tokens.count else { throw failure("unexpected end of template", at: endOffset) }
        defer { current += 1 }
        return tokens[current]
    }

    mutating func expect(_ kind: Token.Kind, _ description: String) throws {
        let token = peek()
        guard token.kind == kind else {
            let got = token.kind == .endOfInput ? "end of template" : "'\(token.value)'"
            throw failure("expected \(description), got \(got)", at: token.offset)
        }
        current += 1
    }

    mutating func expectIdentifier(_ name: String) throws {
        let token = peek()
        guard token.kind == .identifier && token.value == name else {
            throw failure("expected '\(name)', got '\(token.value)'", at: token.offset)
        }
        current += 1
    }

    func check(_ kind: Token.Kind) -> Bool { peek().kind == kind }

    func checkIdentifier(_ name: String) -> Bool { peek().kind == .identifier && peek().value == name }

    func checkStatement(_ names: Set<String>) -> Bool {
        peek().kind == .openStatement && peek(1).kind == .identifier && names.contains(peek(1).value)
    }

    mutating func nest() throws {
        depth += 1
        if depth > Self.nestingLimit { throw failure("template nests deeper than \(Self.nestingLimit) levels") }
    }

    // MARK: - Statements

    mutating func parseAny() throws -> Node<Statement> {
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

    mutating func parseBody(until names: Set<String>, in statement: String) throws -> [Node<Statement>] {
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

    mutating func parseStatement() throws -> Node<Statement> {
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

    mutating func closeBlock(_ name: String) throws {
        try expect(.openStatement, "'{% \(name) %}'")
        try expectIdentifier(name)
        try expect(.closeStatement, "'%}'")
    }

    mutating func parseSet(at offset: Int) throws -> Node<Statement> {
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

    mutating func parseIf(at offset: Int) throws -> Node<Statement> {
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

    mutating func parseMacro(at offset: Int) throws -> Node<Statement> {
        let name = try parsePrimary()
        guard case .identifier(let macroName) = name.kind else {
            throw failure("macro name must be an identifier", at: name.offset)
        }
        let parameters = try parseArguments()
        try expect(.closeStatement, "'%}'")
        let body = try parseBody(until: ["endmacro"], in: "macro")
        return Node(.macro(name: macroName, parameters: parameters, body: body), at: offset)
    }

    mutating func parseFor(at offset: Int) throws -> Node<Statement> {
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

    mutating func parseCall(at offset: Int) throws -> Node<Statement> {
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
}
