/// Converts JSON Schema to a GBNF grammar for llama.cpp's grammar sampler, so that generated text is JSON that
/// matches the schema.
///
/// Supported: `type` (one or a list, and `nullable`), objects with `properties` (generated in declaration order),
/// `required` (optional properties may be left out), `additionalProperties` (absent or `false`: no other keys, as
/// llama.cpp does; `true` or a schema: extra keys after the declared ones, never repeating one); arrays with `items`,
/// `minItems`, `maxItems`; `enum`, `const`; strings with `minLength`, `maxLength`, `format` date, time, date-time,
/// uuid, and simple `^…$` `pattern`s; integers with `minimum`/`maximum` (inclusive and exclusive); numbers (a
/// non-negative `minimum` forbids the sign; other bounds are left to ``JSONSchemaValidator``); `anyOf`, `oneOf`,
/// single-schema `allOf`; local `$ref` to `#/$defs/…`, `#/definitions/…` or `#`; and `{}` or `true` for any value.
/// Annotations (`title`, `description`, `default`, `examples`, other `format`s) are ignored. Anything else that
/// constrains values (`not`, `uniqueItems`, `patternProperties`, unanchored patterns, …) throws ``JSONSchemaError``.
///
/// Whitespace between tokens is at most one space, or one newline and 20 spaces or tabs of indentation, so a small
/// model cannot loop on whitespace; string and key literals are escaped into plain-ASCII GBNF.
public enum JSONSchemaGrammar {
    /// The grammar for the schema given as JSON text.
    /// - Throws: ``JSONSchemaError`` when the text is not JSON, or the schema uses a keyword that is not supported.
    public static func grammar(forSchema schemaJSON: String) throws -> String {
        var builder = SchemaGrammarBuilder(document: try SchemaDocument(text: schemaJSON))
        return try builder.build()
    }

    /// A grammar for any JSON object, for requests that ask for JSON without a schema
    /// (`response_format: {"type": "json_object"}`, Ollama's `format: "json"`).
    public static let anyJSONObject: String = {
        let schema = SchemaJSONValue.object([SchemaJSONMember(key: "type", value: .string("object"))])
        var builder = SchemaGrammarBuilder(document: SchemaDocument(root: schema))
        // This fixed schema uses only supported keywords, so building cannot fail; a test checks the result.
        return (try? builder.build()) ?? ""
    }()
}
