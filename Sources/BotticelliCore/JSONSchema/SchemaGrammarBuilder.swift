/// Turns one schema document into GBNF rules. Each call of `JSONSchemaGrammar.grammar(forSchema:)` uses a fresh
/// builder; it is a value type with no shared state.
struct SchemaGrammarBuilder {
    let document: SchemaDocument
    /// Rule name to right-hand side; an empty body marks a name reserved while its `$ref` is being resolved.
    private(set) var rules: [String: String] = [:]
    private var referenceRuleNames: [String: String] = ["#": "root"]
    /// The `$ref`s entered since the grammar last matched a character; meeting one again would be left recursion,
    /// which llama.cpp's grammar parser rejects (`{"$ref": "#"}`).
    private var referencesSinceLastTerminal: Set<String> = ["#"]

    /// Keywords the grammar cannot enforce; a schema that uses them is refused rather than silently loosened.
    static let unsupportedKeywords: [String: String] = [
        "patternProperties": "list the keys under 'properties'",
        "propertyNames": "list the keys under 'properties'",
        "not": "", "if": "", "then": "", "else": "",
        "dependentRequired": "", "dependentSchemas": "", "dependencies": "",
        "minProperties": "mark the keys that must be present as 'required'", "maxProperties": "",
        "unevaluatedProperties": "use 'additionalProperties'", "unevaluatedItems": "",
        "contains": "", "minContains": "", "maxContains": "",
        "uniqueItems": "validate the result with JSONSchemaValidator instead",
        "prefixItems": "use 'items' with one schema", "additionalItems": "",
        "multipleOf": "", "$dynamicRef": "", "$recursiveRef": "",
    ]

    init(document: SchemaDocument) {
        self.document = document
    }

    /// The complete grammar, `root` first and the other rules in name order.
    mutating func build() throws(JSONSchemaError) -> String {
        rules["root"] = ""
        rules["root"] = try body(for: document.root, name: "root", path: "#")
        let others = rules.keys.filter { $0 != "root" }.sorted()
        return (["root"] + others).map { "\($0) ::= \(rules[$0, default: ""])" }.joined(separator: "\n") + "\n"
    }

    // MARK: - Rules

    /// Adds a rule under `name`, or under `name-2`, `name-3`… when that name is taken, and returns the name used.
    mutating func addRule(_ name: String, _ body: String) -> String {
        let unique = uniqueName(name)
        rules[unique] = body
        return unique
    }

    private func uniqueName(_ base: String) -> String {
        guard rules[base] != nil || SchemaGrammarPrimitives.rules[base] != nil else { return base }
        var counter = 2
        while rules["\(base)-\(counter)"] != nil { counter += 1 }
        return "\(base)-\(counter)"
    }

    /// Adds a built-in rule (and the built-in rules it uses) and returns its name.
    mutating func usePrimitive(_ name: String) -> String {
        guard rules[name] == nil, let primitive = SchemaGrammarPrimitives.rules[name] else { return name }
        rules[name] = primitive.body
        for dependency in primitive.dependencies { _ = usePrimitive(dependency) }
        return name
    }

    /// A rule name for `schema`: a built-in name or `$ref` rule when possible, otherwise a new rule called `name`.
    mutating func reference(for schema: SchemaJSONValue, name: String, path: String) throws(JSONSchemaError) -> String {
        if let reference = schema["$ref"] {
            return try referenceRule(reference, path: path)
        }
        let schemaBody = try body(for: schema, name: name, path: path)
        return Self.isRuleName(schemaBody) ? schemaBody : addRule(name, schemaBody)
    }

    private mutating func referenceRule(_ reference: SchemaJSONValue, path: String) throws(JSONSchemaError) -> String {
        guard let target = reference.stringValue else { throw .invalid("'$ref' must be a string", at: path) }
        guard !referencesSinceLastTerminal.contains(target) else {
            throw .invalid(
                "'$ref' \(target) refers back to itself before any value starts, so it matches nothing", at: path)
        }
        if let existing = referenceRuleNames[target] { return existing }
        let resolved = try document.resolve(target, at: path)
        // Named after the last pointer segment (`#/$defs/Address` → `ref-address`); clashes get a number.
        let lastSegment = target.split(separator: "/").last.map(String.init) ?? "root"
        let name = uniqueName("ref-" + Self.ruleNameFragment(lastSegment))
        referenceRuleNames[target] = name
        rules[name] = ""  // reserved, so recursive references find the name
        referencesSinceLastTerminal.insert(target)
        defer { referencesSinceLastTerminal.remove(target) }
        rules[name] = try body(for: resolved, name: name, path: target)
        return name
    }

    /// Runs `build` for the parts of an object or array that come after its opening bracket, where a `$ref` back
    /// to an enclosing schema is ordinary recursion.
    mutating func afterTerminal<Result>(
        _ build: (inout SchemaGrammarBuilder) throws(JSONSchemaError) -> Result
    ) throws(JSONSchemaError) -> Result {
        let saved = referencesSinceLastTerminal
        referencesSinceLastTerminal = []
        defer { referencesSinceLastTerminal = saved }
        return try build(&self)
    }

    static func isRuleName(_ text: String) -> Bool {
        !text.isEmpty
            && text.unicodeScalars.allSatisfy { $0 == "-" || ("a"..."z").contains($0) || ("0"..."9").contains($0) }
    }

    /// A piece of a rule name derived from a property name: letters and digits kept, everything else a dash.
    static func ruleNameFragment(_ text: String) -> String {
        var fragment = ""
        for scalar in text.lowercased().unicodeScalars {
            let isAlphanumeric = ("a"..."z").contains(scalar) || ("0"..."9").contains(scalar)
            fragment.unicodeScalars.append(isAlphanumeric ? scalar : "-")
        }
        return fragment.isEmpty ? "empty" : fragment
    }

    /// Wraps a body in parentheses when it is more than one symbol, so it can be repeated or sequenced.
    static func grouped(_ body: String) -> String {
        isRuleName(body) ? body : "(\(body))"
    }

    // MARK: - Schemas

    /// The right-hand side of a rule that matches the JSON text of any instance of `schema`.
    mutating func body(for schema: SchemaJSONValue, name: String, path: String) throws(JSONSchemaError) -> String {
        let members: [SchemaJSONMember]
        switch schema {
        case .bool(true): return usePrimitive("value")
        case .bool(false): throw .invalid("the schema 'false' allows no value, so nothing can be generated", at: path)
        case .object(let objectMembers): members = objectMembers
        default: throw .invalid("a schema must be an object or a boolean, found \(schema.typeName)", at: path)
        }
        for keyword in members.map(\.key) {
            if let hint = Self.unsupportedKeywords[keyword] {
                throw .unsupported(keyword, at: path, hint: hint)
            }
        }
        try Self.rejectConstraintsBesideCombinators(schema, path: path)
        if let reference = schema["$ref"] {
            return try referenceRule(reference, path: path)
        }
        var alternatives = try alternativesBody(for: schema, name: name, path: path)
        if schema["nullable"]?.boolValue == true, !alternatives.contains("null"), !alternatives.contains("value") {
            alternatives.append(usePrimitive("null"))
        }
        return alternatives.joined(separator: " | ")
    }

    private mutating func alternativesBody(
        for schema: SchemaJSONValue,
        name: String,
        path: String
    ) throws(JSONSchemaError) -> [String] {
        if schema["anyOf"] != nil, schema["oneOf"] != nil {
            throw .unsupported("oneOf", at: path, hint: "a schema may have 'anyOf' or 'oneOf', not both")
        }
        for keyword in ["anyOf", "oneOf"] {
            guard let options = schema[keyword] else { continue }
            guard let elements = options.arrayElements, !elements.isEmpty else {
                throw .invalid("'\(keyword)' must be a non-empty array of schemas", at: path)
            }
            var alternatives: [String] = []
            for (position, option) in elements.enumerated() {
                alternatives.append(
                    try reference(for: option, name: "\(name)-\(position)", path: "\(path)/\(keyword)/\(position)")
                )
            }
            return alternatives
        }
        if let allOf = schema["allOf"] {
            guard let elements = allOf.arrayElements, elements.count == 1 else {
                throw .unsupported("allOf", at: path, hint: "only 'allOf' with a single schema is supported")
            }
            return [try reference(for: elements[0], name: name, path: "\(path)/allOf/0")]
        }
        if let constant = schema["const"] {
            return [GBNFLiteral.quoted(constant.compactJSON)]
        }
        if let options = schema["enum"] {
            guard let elements = options.arrayElements, !elements.isEmpty else {
                throw .invalid("'enum' must be a non-empty array", at: path)
            }
            return elements.map { GBNFLiteral.quoted($0.compactJSON) }
        }
        let types = try Self.declaredTypes(of: schema, path: path)
        guard !types.isEmpty else { return [usePrimitive("value")] }
        var alternatives: [String] = []
        for type in types {
            let typeName = types.count > 1 ? "\(name)-\(type)" : name
            let typeBody = try body(forType: type, schema: schema, name: typeName, path: path)
            alternatives.append(types.count > 1 ? Self.grouped(typeBody) : typeBody)
        }
        return alternatives
    }

    /// Keywords that constrain a value, which the grammar would silently drop next to `$ref`, `anyOf`, `oneOf` or
    /// `allOf` (it follows the combinator alone).
    static let constraintKeywords = [
        "properties", "required", "additionalProperties", "items", "minItems", "maxItems", "enum", "const",
        "minLength", "maxLength", "format", "pattern", "minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum",
    ]

    private static func rejectConstraintsBesideCombinators(
        _ schema: SchemaJSONValue,
        path: String
    ) throws(JSONSchemaError) {
        guard let combinator = ["$ref", "anyOf", "oneOf", "allOf"].first(where: { schema[$0] != nil }),
            let sibling = constraintKeywords.first(where: { schema[$0] != nil })
        else { return }
        throw .unsupported(
            sibling,
            at: path,
            hint: "it cannot be combined with '\(combinator)' in the same schema; move it into the referenced schemas"
        )
    }

    /// The `type` keyword as a list; when absent, the type implied by the other keywords, or none for any value.
    static func declaredTypes(of schema: SchemaJSONValue, path: String) throws(JSONSchemaError) -> [String] {
        switch schema["type"] {
        case .string(let type): return [type]
        case .array(let elements):
            let types = elements.compactMap(\.stringValue)
            guard types.count == elements.count, !types.isEmpty else {
                throw .invalid("'type' must be a string or a non-empty array of strings", at: path)
            }
            return types
        case nil:
            if ["properties", "additionalProperties", "required"].contains(where: { schema[$0] != nil }) {
                return ["object"]
            }
            if ["items", "minItems", "maxItems"].contains(where: { schema[$0] != nil }) { return ["array"] }
            if ["minLength", "maxLength", "format", "pattern"].contains(where: { schema[$0] != nil }) {
                return ["string"]
            }
            return []
        default:
            throw .invalid("'type' must be a string or a non-empty array of strings", at: path)
        }
    }

    private mutating func body(
        forType type: String,
        schema: SchemaJSONValue,
        name: String,
        path: String
    ) throws(JSONSchemaError) -> String {
        switch type {
        case "string": return try stringBody(for: schema, path: path)
        case "integer": return try integerBody(for: schema, path: path)
        case "number": return try numberBody(for: schema, path: path)
        case "boolean": return usePrimitive("boolean")
        case "null": return usePrimitive("null")
        case "object":
            return try afterTerminal { builder throws(JSONSchemaError) in
                try builder.objectBody(for: schema, name: name, path: path)
            }
        case "array":
            return try afterTerminal { builder throws(JSONSchemaError) in
                try builder.arrayBody(for: schema, name: name, path: path)
            }
        default: throw .invalid("unknown type '\(type)'", at: path)
        }
    }
}
