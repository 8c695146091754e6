import BotticelliCore
import Testing

@Suite("JSON Schema validator")
struct JSONSchemaValidatorTests {
    private static let person = #"""
        {"type": "object",
         "properties": {
            "name": {"type": "string", "minLength": 1, "maxLength": 10},
            "age": {"type": "integer", "minimum": 0, "maximum": 150},
            "email": {"type": ["string", "null"], "format": "email"},
            "tags": {"type": "array", "items": {"enum": ["a", "b"]}, "maxItems": 2, "uniqueItems": true},
            "born": {"type": "string", "format": "date"}
         },
         "required": ["name", "age"],
         "additionalProperties": false}
        """#

    @Test(
        "valid instances have no violations",
        arguments: [
            #"{"name": "Ada", "age": 36}"#,
            #"{"age": 1.0, "name": "Ada", "email": null, "tags": ["a", "b"], "born": "1815-12-10"}"#,
            #" {"name": "Ada", "age": 0, "email": "ada@example.com"} "#,
        ]
    )
    func valid(instance: String) throws {
        let validator = try JSONSchemaValidator(schemaJSON: Self.person)
        #expect(validator.validate(instance) == [])
    }

    @Test(
        "invalid instances name the path and the rule",
        arguments: [
            (#"{"name": "Ada"}"#, #"$: missing required property "age""#),
            (#"{"name": "", "age": 3}"#, "$.name: string has 0 characters, fewer than minLength 1"),
            (#"{"name": "Ada", "age": 151}"#, "$.age: 151 is not at most 150"),
            (#"{"name": "Ada", "age": 2.5}"#, "$.age: expected integer, found number"),
            (#"{"name": "Ada", "age": 3, "x y": 1}"#, #"$["x y"]: property is not allowed"#),
            (#"{"name": "Ada", "age": 3, "tags": ["c"]}"#, #"$.tags[0]: "c" is not one of ["a","b"]"#),
            (#"{"name": "Ada", "age": 3, "tags": ["a", "a"]}"#, "$.tags[1]: duplicate item"),
            (#"{"name": "Ada", "age": 3, "born": "1815-13-10"}"#, #"$.born: "1815-13-10" is not a valid date"#),
            (#"{"name": "Ada", "age": 3, "email": 5}"#, "$.email: expected string or null, found integer"),
            (#"{"name": "Ada", "age": 3"#, "$: not valid JSON"),
            ("[]", "$: expected object, found array"),
        ]
    )
    func invalid(instance: String, expected: String) throws {
        let violations = try JSONSchemaValidator(schemaJSON: Self.person).validate(instance)
        #expect(violations.contains { $0.hasPrefix(expected) }, "\(violations)")
    }

    @Test("broken instance JSON is reported as such, and broken schema JSON as a schema error")
    func brokenJSON() throws {
        let validator = try JSONSchemaValidator(schemaJSON: "{}")
        #expect(
            validator.validate(#"{"a": "unterminated"#) == ["$: not valid JSON: unterminated string at byte offset 19"])
        #expect {
            try JSONSchemaValidator(schemaJSON: #"{"type": }"#)
        } throws: { error in
            (error as? JSONSchemaError)?.message == "schema is not valid JSON: unexpected character at byte offset 9"
        }
    }

    @Test("$ref, anyOf and oneOf are followed")
    func combinators() throws {
        let validator = try JSONSchemaValidator(
            schemaJSON: #"""
                {"$defs": {"leaf": {"type": "integer"},
                           "tree": {"anyOf": [{"$ref": "#/$defs/leaf"},
                                              {"type": "array", "items": {"$ref": "#/$defs/tree"}}]}},
                 "type": "object",
                 "properties": {"tree": {"$ref": "#/$defs/tree"},
                                "pick": {"oneOf": [{"type": "number"}, {"type": "integer"}]}}}
                """#
        )
        #expect(validator.validate(#"{"tree": [1, [2, [3]]], "pick": 1.5}"#) == [])
        #expect(validator.validate(#"{"tree": [1, ["x"]]}"#) == [#"$.tree: matches none of the 2 'anyOf' schemas"#])
        #expect(validator.validate(#"{"pick": 2}"#) == ["$.pick: matches 2 of the 'oneOf' schemas, not exactly one"])
    }

    @Test("additionalProperties absent allows extra keys, as JSON Schema says")
    func absentAdditionalProperties() throws {
        let validator = try JSONSchemaValidator(schemaJSON: #"{"properties": {"a": {"type": "string"}}}"#)
        #expect(validator.validate(#"{"a": "x", "b": 2}"#) == [])
        #expect(validator.validate(#"{"a": 1}"#) == ["$.a: expected string, found integer"])
    }

    @Test("const, nullable and patterns")
    func scalars() throws {
        let validator = try JSONSchemaValidator(
            schemaJSON: #"""
                {"type": "array", "prefixItems": [{"const": {"k": [1, null]}}, {"type": "string", "nullable": true,
                 "pattern": "^[a-z]+$"}], "items": false}
                """#
        )
        #expect(validator.validate(#"[{"k": [1.0, null]}, null]"#) == [])
        #expect(validator.validate(#"[{"k": [1, null]}, "abc"]"#) == [])
        #expect(validator.validate(#"[{"k": [2, null]}, "ABC"]"#).count == 2)
        #expect(validator.validate(#"[{"k": [1, null]}, "abc", 3]"#) == ["$[2]: no value is allowed here"])
    }

    @Test(
        "schemas with broken references or patterns are refused",
        arguments: [##"{"$ref": "#/nowhere"}"##, #"{"pattern": "("}"#, "{"])
    func brokenSchemas(schema: String) {
        #expect(throws: JSONSchemaError.self) {
            try JSONSchemaValidator(schemaJSON: schema)
        }
    }
}
