import Foundation

/// A compiled Jinja template, rendered with the semantics of llama.cpp's engine (the one `llama-server --jinja`
/// uses), including its whitespace handling: `trim_blocks` and `lstrip_blocks` on, the final newline dropped.
///
/// Parsing happens once in `init`; `render` may then be called any number of times, from any thread.
public struct JinjaTemplate: Sendable {
    /// The source as given.
    public let source: String
    let program: Program
    /// Safety limits applied to every render.
    public var limits = JinjaLimits()

    /// Parses `source`; throws ``JinjaError`` with the line and column of the first syntax error.
    public init(source: String) throws {
        self.source = source
        let (body, bytes) = try Parser.parse(source)
        self.program = Program(body: body, bytes: bytes)
    }

    /// Renders with `context` as the global variables.
    ///
    /// - Parameter now: the time `strftime_now` formats (in the local time zone); tests pass a fixed date.
    public func render(context: [String: JinjaValue], now: Date = Date()) throws -> String {
        var variables: [String: Value] = [:]
        for (name, value) in context { variables[name] = Value(value) }
        return try render(variables: variables, now: now)
    }

    func render(variables: [String: Value], now: Date, recorder: UsageRecorder? = nil) throws -> String {
        var scope = Scope(variables: [:])
        for (name, value) in variables { scope[name] = value }
        let interpreter = Interpreter(bytes: program.bytes, limits: limits, now: now, recorder: recorder)
        return try interpreter.run(program.body, scope: &scope)
    }
}

/// The parsed form of a template: immutable value types only, so it is shared freely across threads.
struct Program: Sendable {
    let body: [Node<Statement>]
    let bytes: [UInt8]
}
