/// One lexical token of a template; `offset` is the byte offset in the normalized source.
struct Token: Equatable {
    enum Kind: Equatable {
        case text
        case numericLiteral
        case stringLiteral
        case identifier
        case equals
        case openParen
        case closeParen
        case openStatement
        case closeStatement
        case openExpression
        case closeExpression
        case openSquareBracket
        case closeSquareBracket
        case openCurlyBracket
        case closeCurlyBracket
        case comma
        case dot
        case colon
        case pipe
        case additiveOperator
        case multiplicativeOperator
        case comparisonOperator
        case unaryOperator
        case comment
        case endOfInput
    }

    let kind: Kind
    let value: String
    let offset: Int
}
