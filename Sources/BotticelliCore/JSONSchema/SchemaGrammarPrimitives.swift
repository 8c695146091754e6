/// The built-in GBNF rules the converter refers to by name.
///
/// Whitespace is the `space` rule: nothing, one space, or one newline with at most 20 spaces or tabs of
/// indentation, so a small model cannot loop on whitespace. Digit runs are capped at 16 for the same reason.
enum SchemaGrammarPrimitives {
    struct Rule: Sendable {
        let body: String
        let dependencies: [String]
    }

    static let rules: [String: Rule] = [
        "space": Rule(body: #"| " " | "\n" [ \t]{0,20}"#, dependencies: []),
        "char": Rule(body: #"[^"\\\x7F\x00-\x1F] | "\\" (["\\/bfnrt] | "u" [0-9a-fA-F]{4})"#, dependencies: []),
        "string": Rule(body: #""\"" char* "\"""#, dependencies: ["char"]),
        "integral-part": Rule(body: #""0" | [1-9] [0-9]{0,15}"#, dependencies: []),
        "integer": Rule(body: #""-"? integral-part"#, dependencies: ["integral-part"]),
        "unsigned-number": Rule(
            body: #"integral-part ("." [0-9]{1,16})? ([eE] [-+]? [0-9]{1,3})?"#,
            dependencies: ["integral-part"]
        ),
        "number": Rule(body: #""-"? unsigned-number"#, dependencies: ["unsigned-number"]),
        "boolean": Rule(body: #""true" | "false""#, dependencies: []),
        "null": Rule(body: #""null""#, dependencies: []),
        "value": Rule(
            body: "object | array | string | number | boolean | null",
            dependencies: ["object", "array", "string", "number", "boolean", "null"]
        ),
        "object": Rule(
            body: #""{" space (string space ":" space value ("," space string space ":" space value)*)? space "}""#,
            dependencies: ["space", "string", "value"]
        ),
        "array": Rule(body: #""[" space (value ("," space value)*)? space "]""#, dependencies: ["space", "value"]),
        "date": Rule(
            body: #"[0-9]{4} "-" ("0" [1-9] | "1" [0-2]) "-" ("0" [1-9] | [1-2] [0-9] | "3" [0-1])"#,
            dependencies: []
        ),
        "time": Rule(
            body: #"([01] [0-9] | "2" [0-3]) ":" [0-5] [0-9] ":" [0-5] [0-9] ("." [0-9]{1,6})? "#
                + #"("Z" | [+-] ([01] [0-9] | "2" [0-3]) ":" [0-5] [0-9])"#,
            dependencies: []
        ),
        "date-string": Rule(body: #""\"" date "\"""#, dependencies: ["date"]),
        "time-string": Rule(body: #""\"" time "\"""#, dependencies: ["time"]),
        "date-time-string": Rule(body: #""\"" date "T" time "\"""#, dependencies: ["date", "time"]),
        "uuid": Rule(
            body: #""\"" [0-9a-fA-F]{8} "-" [0-9a-fA-F]{4} "-" [0-9a-fA-F]{4} "-" [0-9a-fA-F]{4} "#
                + #""-" [0-9a-fA-F]{12} "\"""#,
            dependencies: []
        ),
    ]

    /// String formats the grammar enforces, and the rule for each; other formats are plain strings.
    static let stringFormats: [String: String] = [
        "date": "date-string", "time": "time-string", "date-time": "date-time-string", "uuid": "uuid",
    ]
}
