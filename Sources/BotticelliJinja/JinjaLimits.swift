/// Guards that keep any template, however hostile, from hanging, exhausting memory or the stack.
public struct JinjaLimits: Sendable {
    /// Nested macro and `caller()` calls.
    public var callDepth: Int
    /// Work over the whole render: one step per loop iteration and macro call, plus one per item that a builtin
    /// such as `range`, `sort` or `join` goes through.
    public var loopIterations: Int
    /// Bytes of output and of any single string built by `~` or `*`.
    public var outputLength: Int
    /// Statements and sub-expressions being run inside one another at once, counted through macro calls: blocks
    /// within blocks, a long chain `a + b + c + …`, a macro calling itself from inside nested blocks. Bounds the
    /// stack a render needs, which the parser's limit on one template's nesting does not when macros recurse.
    public var nestingDepth: Int
    /// Wall-clock time for one render.
    public var duration: Duration

    public init(
        callDepth: Int = 40, loopIterations: Int = 1_000_000, outputLength: Int = 64 << 20, nestingDepth: Int = 400,
        duration: Duration = .seconds(10)
    ) {
        self.callDepth = callDepth
        self.loopIterations = loopIterations
        self.outputLength = outputLength
        self.nestingDepth = nestingDepth
        self.duration = duration
    }
}
