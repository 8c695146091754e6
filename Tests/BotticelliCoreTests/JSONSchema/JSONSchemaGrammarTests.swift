import BotticelliCore
import Testing

@Suite("JSON Schema to GBNF")
struct JSONSchemaGrammarTests {
    /// The rule with `name`, or nil: tests look at the rules that matter instead of whole grammars.
    private func rule(_ name: String, in grammar: String) -> String? {
        grammar.split(separator: "\n").first { $0.hasPrefix("\(name) ::= ") }.map {
            String($0.dropFirst(name.count + 5))
        }
    }

    @Test("required properties come in declaration order, with bounded whitespace")
    func requiredPropertiesInOrder() throws {
        let grammar = try JSONSchemaGrammar.grammar(
            forSchema: #"""
                {"type": "object", "properties": {"zeta": {"type": "string"}, "alpha": {"type": "boolean"}},
                 "required": ["zeta", "alpha"], "additionalProperties": false}
                """#
        )
        #expect(
            grammar == #"""
                root ::= "{" space root-zeta-kv "," space root-alpha-kv space "}"
                boolean ::= "true" | "false"
                char ::= [^"\\\x7F\x00-\x1F] | "\\" (["\\/bfnrt] | "u" [0-9a-fA-F]{4})
                root-alpha-kv ::= "\"alpha\"" space ":" space boolean
                root-zeta-kv ::= "\"zeta\"" space ":" space string
                space ::= | " " | "\n" [ \t]{0,20}
                string ::= "\"" char* "\""

                """#
        )
    }

    @Test("optional properties may be left out, and the first one present needs no comma")
    func optionalProperties() throws {
        let grammar = try JSONSchemaGrammar.grammar(
            forSchema: #"""
                {"type": "object", "properties": {"a": {"type": "null"}, "b": {"type": "null"}, "c": {"type": "null"}},
                 "required": ["b"]}
                """#
        )
        #expect(rule("root", in: grammar) == #""{" space (root-a-kv root-rest-1 | root-b-kv root-rest-2) space "}""#)
        #expect(rule("root-rest-1", in: grammar) == #""," space root-b-kv root-rest-2"#)
        #expect(rule("root-rest-2", in: grammar) == #"("," space root-c-kv)?"#)
    }

    @Test("an object with only optional properties may be empty")
    func allOptional() throws {
        let grammar = try JSONSchemaGrammar.grammar(
            forSchema: #"{"properties": {"x": {"type": "integer"}}}"#
        )
        #expect(rule("root", in: grammar) == #""{" space (root-x-kv)? space "}""#)
    }

    @Test("additionalProperties with a schema allows extra keys after the declared ones")
    func additionalProperties() throws {
        let grammar = try JSONSchemaGrammar.grammar(
            forSchema: #"{"type": "object", "properties": {"id": {"type": "integer"}}, "required": ["id"],"#
                + #" "additionalProperties": {"type": "number"}}"#
        )
        #expect(rule("root", in: grammar) == #""{" space root-id-kv ("," space root-additional-kv)* space "}""#)
        #expect(rule("root-additional-kv", in: grammar) == #"root-additional-key space ":" space number"#)
        // The extra key may be anything but "id": it may stop after "i", continue differently, or be longer.
        let other = #"([^"\\\x7F\x00-\x1F] | "\\" (["\\/bfnrt] | "u" [0-9a-fA-F]{4}))"#
        let otherAfterI = other.replacingOccurrences(of: "[^", with: "[^d")
        let otherAtStart = other.replacingOccurrences(of: "[^", with: "[^i")
        let expectedKey =
            #""\"" ("i" ("d" ("# + other + " char*) | " + otherAfterI + " char*)? | " + otherAtStart + #" char*)? "\"""#
        #expect(rule("root-additional-key", in: grammar) == expectedKey)
    }

    @Test("arrays repeat their item with minItems and maxItems")
    func arrays() throws {
        let grammar = try JSONSchemaGrammar.grammar(
            forSchema: #"{"type": "array", "items": {"type": "string", "maxLength": 3}, "minItems": 2, "maxItems": 4}"#
        )
        #expect(rule("root", in: grammar) == #""[" space root-item ("," space root-item){1,3} space "]""#)
        #expect(rule("root-item", in: grammar) == #""\"" char{0,3} "\"""#)
    }

    @Test("enum and const values are exact JSON literals, escaped for GBNF")
    func enumEscaping() throws {
        let grammar = try JSONSchemaGrammar.grammar(
            forSchema: #"{"enum": ["say \"hi\"", "back\\slash", "caf\u00e9 ☃ 😀", "tab\there", 1.50, true, null]}"#
        )
        let expected = [
            #""\"say \\\"hi\\\"\"""#,
            #""\"back\\\\slash\"""#,
            #""\"caf\u00E9 \u2603 \U0001F600\"""#,
            #""\"tab\\there\"""#,
            #""1.50""#, #""true""#, #""null""#,
        ]
        #expect(rule("root", in: grammar) == expected.joined(separator: " | "))
        #expect(grammar.unicodeScalars.allSatisfy { $0.isASCII })
    }

    @Test("type lists and nullable add alternatives")
    func typeListsAndNullable() throws {
        let list = try JSONSchemaGrammar.grammar(forSchema: #"{"type": ["string", "null"]}"#)
        #expect(rule("root", in: list) == "string | null")
        let nullable = try JSONSchemaGrammar.grammar(forSchema: #"{"type": "integer", "nullable": true}"#)
        #expect(rule("root", in: nullable) == "integer | null")
    }

    @Test("anyOf and oneOf become alternatives")
    func alternatives() throws {
        let grammar = try JSONSchemaGrammar.grammar(
            forSchema: #"{"anyOf": [{"type": "boolean"}, {"type": "array", "items": {"const": 1}}]}"#
        )
        #expect(rule("root", in: grammar) == "boolean | root-1")
        #expect(rule("root-1", in: grammar) == #""[" space (root-1-item ("," space root-1-item)*)? space "]""#)
    }

    @Test("$ref to $defs, definitions and the root, including recursion")
    func references() throws {
        let grammar = try JSONSchemaGrammar.grammar(
            forSchema: #"""
                {"$defs": {"Node": {"type": "object", "properties": {"next": {"$ref": "#/$defs/Node"}}}},
                 "definitions": {"Tag": {"type": "boolean"}},
                 "type": "object",
                 "properties": {"node": {"$ref": "#/$defs/Node"}, "tag": {"$ref": "#/definitions/Tag"},
                                "again": {"$ref": "#"}},
                 "required": ["node", "tag"]}
                """#
        )
        #expect(rule("ref-node", in: grammar) == #""{" space (ref-node-next-kv)? space "}""#)
        #expect(rule("ref-node-next-kv", in: grammar) == #""\"next\"" space ":" space ref-node"#)
        #expect(rule("ref-tag", in: grammar) == "boolean")
        #expect(rule("root-again-kv", in: grammar) == #""\"again\"" space ":" space root"#)
    }

    @Test("integer bounds become digit ranges")
    func integerRanges() throws {
        let grammar = try JSONSchemaGrammar.grammar(forSchema: #"{"type": "integer", "minimum": -5, "maximum": 150}"#)
        #expect(rule("root", in: grammar) == #""-" [1-5] | [0-9] | [1-9] [0-9] | [1] [0-4] [0-9] | [1] [5] [0]"#)
        let positive = try JSONSchemaGrammar.grammar(forSchema: #"{"type": "integer", "exclusiveMinimum": 0}"#)
        #expect(rule("root", in: positive) == #"[1-9] | [1-9] [0-9]{1,15}"#)
    }

    @Test("string formats use fixed shapes")
    func formats() throws {
        let grammar = try JSONSchemaGrammar.grammar(forSchema: #"{"type": "string", "format": "date-time"}"#)
        #expect(rule("root", in: grammar) == "date-time-string")
        #expect(rule("date", in: grammar) != nil)
        let email = try JSONSchemaGrammar.grammar(forSchema: #"{"type": "string", "format": "email"}"#)
        #expect(rule("root", in: email) == "string")
    }

    @Test("simple anchored patterns become grammar, with JSON escapes for quotes and backslashes")
    func patterns() throws {
        let code = try JSONSchemaGrammar.grammar(forSchema: #"{"type": "string", "pattern": "^[A-Z]{2}-\\d+(x|y)?$"}"#)
        #expect(rule("root", in: code) == #""\"" [A-Z]{2} "-" [0-9]+ ("x" | "y")? "\"""#)
        let words = try JSONSchemaGrammar.grammar(forSchema: #"{"pattern": "^(?:yes|no)\\.$"}"#)
        #expect(rule("root", in: words) == #""\"" ("yes" | "no") "." "\"""#)
        let quote = try JSONSchemaGrammar.grammar(forSchema: #"{"pattern": "^[\"a]$"}"#)
        #expect(rule("root", in: quote) == #""\"" ([a] | "\\\"") "\"""#)
        let negated = try JSONSchemaGrammar.grammar(forSchema: #"{"pattern": "^[^,]$"}"#)
        let notComma = #"[\x20-\x21\x23-\x2B\x2D-\x5B\x5D-\x7E\u0080-\U0010FFFF] | "\\\"" | "\\\\""#
        #expect(rule("root", in: negated) == #""\"" ("# + notComma + #") "\"""#)
    }

    @Test("an empty schema and true allow any JSON value")
    func anyValue() throws {
        for schema in ["{}", "true", #"{"description": "anything"}"#] {
            let grammar = try JSONSchemaGrammar.grammar(forSchema: schema)
            #expect(rule("root", in: grammar) == "value")
        }
    }

    @Test("anyJSONObject is an object of any values")
    func anyJSONObject() {
        #expect(rule("root", in: JSONSchemaGrammar.anyJSONObject) == "object")
        #expect(rule("value", in: JSONSchemaGrammar.anyJSONObject) != nil)
    }

    @Test(
        "unsupported keywords are named with their path",
        arguments: [
            (#"{"properties": {"code": {"type": "string", "pattern": "[A-Z]+"}}}"#, "'pattern' at #/properties/code"),
            (#"{"type": "string", "pattern": "^(a)\\1$"}"#, "'pattern' at #"),
            (#"{"type": "string", "pattern": "^a+$", "maxLength": 3}"#, "'maxLength' at #"),
            (#"{"type": "array", "uniqueItems": true}"#, "'uniqueItems' at #"),
            (#"{"not": {"type": "null"}}"#, "'not' at #"),
            (#"{"allOf": [{"type": "string"}, {"maxLength": 2}]}"#, "'allOf' at #"),
            (#"{"$ref": "other.json#/x"}"#, "'$ref' at #"),
            (#"{"anyOf": [{"type": "string"}], "maxLength": 3}"#, "'maxLength' at #"),
        ]
    )
    func unsupported(schema: String, expected: String) {
        #expect {
            try JSONSchemaGrammar.grammar(forSchema: schema)
        } throws: { error in
            (error as? JSONSchemaError)?.message.contains(expected) == true
        }
    }

    @Test(
        "a $ref cycle that never starts a value is refused, instead of a left-recursive grammar",
        arguments: [
            ##"{"$ref": "#"}"##,
            ##"{"anyOf": [{"type": "null"}, {"$ref": "#/$defs/b"}], "$defs": {"b": {"allOf": [{"$ref": "#"}]}}}"##,
        ]
    )
    func leftRecursion(schema: String) {
        #expect {
            try JSONSchemaGrammar.grammar(forSchema: schema)
        } throws: { error in
            (error as? JSONSchemaError)?.message.contains("refers back to itself") == true
        }
    }

    @Test(
        "invalid schemas are reported", arguments: [#"{"type": "#, ##"{"$ref": "#/$defs/missing"}"##, "false", "[1]"])
    func invalidSchemas(schema: String) {
        #expect(throws: JSONSchemaError.self) {
            try JSONSchemaGrammar.grammar(forSchema: schema)
        }
    }
}
