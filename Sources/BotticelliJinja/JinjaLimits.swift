/// Guards that keep any template, however hostile, from hanging or exhausting the stack.
public struct JinjaLimits: Sendable {
    /// Nested macro and `caller()` calls.
    public var callDepth: Int
    /// Loop iterations over the whole render, counting every `for` body run.
    public var loopIterations: Int
    /// Bytes of output and of any single string built by `~` or `*`.
    public var outputLength: Int
    /// Nested sub-expressions being evaluated at once, such as a long chain `a + b + c + …`.
    public var expressionDepth: Int

    public init(
        callDepth: Int = 40, loopIterations: Int = 1_000_000, outputLength: Int = 64 << 20, expressionDepth: Int = 400
    ) {
        self.callDepth = callDepth
        self.loopIterations = loopIterations
        self.outputLength = outputLength
        self.expressionDepth = expressionDepth
    }
}
