/// Splits a template into tokens the way llama.cpp's engine does, including its whitespace rules.
///
/// llama.cpp configures its engine like Hugging Face's chat template rendering: `trim_blocks` and
/// `lstrip_blocks` are on, a single trailing newline of the template is dropped, and `-` markers strip all
/// whitespace on their side. `lstrip_blocks` applies to `{%` and `{#` only, never to `{{`.
struct Lexer {
    private static let escapes: [UInt8: UInt8] = [
        ascii("n"): ascii("\n"), ascii("t"): ascii("\t"), ascii("r"): ascii("\r"), ascii("b"): 0x08,
        ascii("f"): 0x0C, ascii("v"): 0x0B, ascii("\\"): ascii("\\"), ascii("'"): ascii("'"),
        ascii("\""): ascii("\""),
    ]

    private static let singleCharacterSymbols: [UInt8: Token.Kind] = [
        ascii("("): .openParen, ascii(")"): .closeParen, ascii("{"): .openCurlyBracket, ascii("}"): .closeCurlyBracket,
        ascii("["): .openSquareBracket, ascii("]"): .closeSquareBracket, ascii(","): .comma, ascii("."): .dot,
        ascii(":"): .colon, ascii("|"): .pipe, ascii("<"): .comparisonOperator, ascii(">"): .comparisonOperator,
        ascii("+"): .additiveOperator, ascii("-"): .additiveOperator, ascii("~"): .additiveOperator,
        ascii("*"): .multiplicativeOperator, ascii("/"): .multiplicativeOperator, ascii("%"): .multiplicativeOperator,
        ascii("="): .equals,
    ]

    /// The source after newline normalization; token offsets point into it.
    let bytes: [UInt8]
    private var position = 0
    private var tokens: [Token] = []

    init(source: String) {
        var normalized: [UInt8] = []
        let raw = Array(source.utf8)
        normalized.reserveCapacity(raw.count)
        var index = 0
        while index < raw.count {
            let byte = raw[index]
            if byte == ascii("\r") {
                normalized.append(ascii("\n"))
                if index + 1 < raw.count, raw[index + 1] == ascii("\n") { index += 1 }
            } else {
                normalized.append(byte)
            }
            index += 1
        }
        if raw.last == ascii("\n") { normalized.removeLast() }
        bytes = normalized
    }

    static func tokenize(_ source: String) throws -> (tokens: [Token], bytes: [UInt8]) {
        var lexer = Lexer(source: source)
        try lexer.run()
        return (lexer.tokens, lexer.bytes)
    }

    private func byte(at index: Int) -> UInt8 { index < bytes.count ? bytes[index] : 0 }

    private func next(is candidates: [Character], distance: Int = 1) -> Bool {
        guard position + distance < bytes.count else { return false }
        let byte = bytes[position + distance]
        return candidates.contains { $0.asciiValue == byte }
    }

    private func failure(_ message: String, at offset: Int) -> JinjaError {
        let location = SourceLocator(bytes: bytes).location(of: min(offset, bytes.count))
        return JinjaError(kind: .syntax, message: message, line: location.line, column: location.column)
    }

    private mutating func run() throws {
        var curlyDepth = 0
        while position < bytes.count {
            let lastKind = tokens.last?.kind ?? .closeStatement
            if lastKind == .closeStatement || lastKind == .closeExpression || lastKind == .comment {
                if let text = consumeText() {
                    tokens.append(text)
                    continue
                }
            }
            if byte(at: position) == ascii("{") && next(is: ["#"]) {
                try consumeComment()
                continue
            }
            if byte(at: position) == ascii("-") && (lastKind == .openExpression || lastKind == .openStatement) {
                position += 1
                if position >= bytes.count { break }
            }
            _ = try consume { isSpace($0) }
            if position >= bytes.count { break }
            let character = bytes[position]
            let closesBlock = character == ascii("-") && next(is: ["%", "}"])
            if !closesBlock && (character == ascii("-") || character == ascii("+")) {
                let start = position
                let previous = tokens.last?.kind ?? .endOfInput
                if previous == .text || previous == .endOfInput {
                    throw failure("unexpected character '\(Character(UnicodeScalar(character)))'", at: position)
                }
                switch previous {
                case .identifier, .numericLiteral, .stringLiteral, .closeParen, .closeSquareBracket:
                    break
                default:
                    position += 1
                    let number = try consumeNumber()
                    let sign = String(UnicodeScalar(character))
                    tokens.append(
                        Token(
                            kind: number.isEmpty ? .unaryOperator : .numericLiteral, value: sign + number, offset: start
                        ))
                    continue
                }
            }
            if matchSymbol(curlyDepth: &curlyDepth) { continue }
            if character == ascii("'") || character == ascii("\"") {
                let start = position
                position += 1
                let value = try consume { $0 != character }
                position += 1
                tokens.append(Token(kind: .stringLiteral, value: value, offset: start))
                continue
            }
            if isDigit(character) {
                let start = position
                tokens.append(Token(kind: .numericLiteral, value: try consumeNumber(), offset: start))
                continue
            }
            if isWord(character) {
                let start = position
                tokens.append(Token(kind: .identifier, value: try consume { isWord($0) }, offset: start))
                continue
            }
            throw failure("unexpected character '\(Character(UnicodeScalar(character)))'", at: position)
        }
    }

    /// Consumes the text up to the next tag, applying trim_blocks, lstrip_blocks and `-` markers.
    private mutating func consumeText() -> Token? {
        let start = position
        var removesNewline = false
        var stripsLeading = false
        if position > 3 {
            let before = (bytes[position - 3], bytes[position - 2], bytes[position - 1])
            stripsLeading =
                before.0 == ascii("-") && [ascii("%"), ascii("}"), ascii("#")].contains(before.1)
                && before.2 == ascii("}")
            removesNewline = [ascii("#"), ascii("%"), ascii("-")].contains(before.1) && before.2 == ascii("}")
        }
        var end = start
        while position < bytes.count && !(bytes[position] == ascii("{") && next(is: ["%", "{", "#"])) {
            position += 1
            end = position
        }
        if byte(at: position) == ascii("{") && next(is: ["%", "#", "-"]) {
            var current = end
            while current > start {
                let character = bytes[current - 1]
                if current == 1 {
                    end = 0
                    break
                }
                if character == ascii("\n") {
                    end = current
                    break
                }
                if !isSpace(character) { break }
                current -= 1
            }
        }
        var text = Array(bytes[start..<max(start, end)])
        if removesNewline && text.first == ascii("\n") { text.removeFirst() }
        let whitespace: Set<UInt8> = [ascii(" "), ascii("\t"), ascii("\r"), ascii("\n")]
        if stripsLeading {
            let first = text.firstIndex { !whitespace.contains($0) } ?? text.count
            text.removeFirst(first)
        }
        if byte(at: position) == ascii("{") && next(is: ["{", "%", "#"]) && next(is: ["-"], distance: 2) {
            while let last = text.last, whitespace.contains(last) { text.removeLast() }
        }
        guard !text.isEmpty else { return nil }
        return Token(kind: .text, value: String(decoding: text, as: UTF8.self), offset: start)
    }

    private mutating func consumeComment() throws {
        let start = position
        position += 2
        var comment: [UInt8] = []
        while !(byte(at: position) == ascii("#") && next(is: ["}"])) {
            if position + 2 >= bytes.count { throw failure("missing end of comment tag", at: start) }
            comment.append(bytes[position])
            position += 1
        }
        tokens.append(Token(kind: .comment, value: String(decoding: comment, as: UTF8.self), offset: start))
        position += 2
    }

    /// Matches the longest operator or delimiter at the cursor, in the priority order of llama.cpp's table.
    private mutating func matchSymbol(curlyDepth: inout Int) -> Bool {
        let first = byte(at: position)
        let second = byte(at: position + 1)
        let third = byte(at: position + 2)
        var match: (length: Int, kind: Token.Kind)?
        switch (first, second, third) {
        case (ascii("{"), ascii("%"), ascii("-")): match = (3, .openStatement)
        case (ascii("-"), ascii("%"), ascii("}")): match = (3, .closeStatement)
        case (ascii("{"), ascii("{"), ascii("-")): match = (3, .openExpression)
        case (ascii("-"), ascii("}"), ascii("}")): match = (3, .closeExpression)
        case (ascii("{"), ascii("%"), _): match = (2, .openStatement)
        case (ascii("%"), ascii("}"), _): match = (2, .closeStatement)
        case (ascii("{"), ascii("{"), _): match = (2, .openExpression)
        case (ascii("}"), ascii("}"), _) where curlyDepth == 0: match = (2, .closeExpression)
        case (ascii("<"), ascii("="), _), (ascii(">"), ascii("="), _), (ascii("="), ascii("="), _),
            (ascii("!"), ascii("="), _):
            match = (2, .comparisonOperator)
        default:
            if let kind = Self.singleCharacterSymbols[first] { match = (1, kind) }
        }
        guard let match, position + match.length <= bytes.count else { return false }
        let value = String(decoding: bytes[position..<position + match.length], as: UTF8.self)
        tokens.append(Token(kind: match.kind, value: value, offset: position))
        switch match.kind {
        case .openExpression: curlyDepth = 0
        case .openCurlyBracket: curlyDepth += 1
        case .closeCurlyBracket: curlyDepth -= 1
        default: break
        }
        position += match.length
        return true
    }

    private mutating func consumeNumber() throws -> String {
        var number = try consume { isDigit($0) }
        if position + 1 < bytes.count && bytes[position] == ascii(".") && isDigit(bytes[position + 1]) {
            position += 1
            number += "." + (try consume { isDigit($0) })
        }
        return number
    }

    /// Consumes bytes while `predicate` holds, decoding backslash escapes.
    private mutating func consume(while predicate: (UInt8) -> Bool) throws -> String {
        var result: [UInt8] = []
        while predicate(byte(at: position)) {
            if position >= bytes.count { throw failure("unexpected end of input", at: position) }
            if bytes[position] == ascii("\\") {
                position += 1
                guard position < bytes.count else {
                    throw failure("unexpected end of input after escape character", at: position)
                }
                let escaped = bytes[position]
                position += 1
                guard let unescaped = Self.escapes[escaped] else {
                    throw failure("unknown escape character \\\(Character(UnicodeScalar(escaped)))", at: position)
                }
                result.append(unescaped)
                continue
            }
            result.append(bytes[position])
            position += 1
        }
        return String(decoding: result, as: UTF8.self)
    }
}

@inline(__always) func ascii(_ character: Unicode.Scalar) -> UInt8 { UInt8(character.value) }

@inline(__always) func isSpace(_ byte: UInt8) -> Bool { byte == 0x20 || (byte >= 0x09 && byte <= 0x0D) }

@inline(__always) func isDigit(_ byte: UInt8) -> Bool { byte >= 0x30 && byte <= 0x39 }

@inline(__always) func isWord(_ byte: UInt8) -> Bool {
    isDigit(byte) || (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A) || byte == 0x5F
}
