/// An expression of the template language; `offset` is the byte offset of its first token, for errors.
indirect enum Expression: Sendable {
    case integer(Int)
    case double(Double)
    case string(String)
    case identifier(String)
    case array([Node<Expression>])
    case tuple([Node<Expression>])
    case object([(key: Node<Expression>, value: Node<Expression>)])
    case member(object: Node<Expression>, property: Node<Expression>, computed: Bool)
    case slice(start: Node<Expression>?, stop: Node<Expression>?, step: Node<Expression>?)
    case call(callee: Node<Expression>, arguments: [Node<Expression>])
    case keywordArgument(name: String, value: Node<Expression>)
    case spread(Node<Expression>)
    case binary(operator: String, left: Node<Expression>, right: Node<Expression>)
    case unary(operator: String, operand: Node<Expression>)
    case filter(operand: Node<Expression>, filter: Node<Expression>)
    case test(operand: Node<Expression>, negated: Bool, test: Node<Expression>)
    case ternary(condition: Node<Expression>, then: Node<Expression>, otherwise: Node<Expression>)
    /// `value if condition` without `else`: undefined when the condition is false, a filter in `for`.
    case select(value: Node<Expression>, condition: Node<Expression>)
    /// `a[]`.
    case blank
}

/// A statement of the template language.
indirect enum Statement: Sendable {
    case text(String)
    case output(Node<Expression>)
    case ifBlock(condition: Node<Expression>, body: [Node<Statement>], otherwise: [Node<Statement>])
    case forLoop(
        target: Node<Expression>, iterable: Node<Expression>, body: [Node<Statement>], otherwise: [Node<Statement>])
    case set(target: Node<Expression>, value: Node<Expression>?, body: [Node<Statement>])
    case macro(name: String, parameters: [Node<Expression>], body: [Node<Statement>])
    case callBlock(
        callee: Node<Expression>, arguments: [Node<Expression>], callerParameters: [Node<Expression>],
        body: [Node<Statement>])
    case filterBlock(filter: Node<Expression>, body: [Node<Statement>])
    case breakLoop
    case continueLoop
    case nothing
}

/// A syntax tree node with the source offset it came from.
struct Node<Kind: Sendable>: Sendable {
    let kind: Kind
    let offset: Int

    init(_ kind: Kind, at offset: Int) {
        self.kind = kind
        self.offset = offset
    }
}
