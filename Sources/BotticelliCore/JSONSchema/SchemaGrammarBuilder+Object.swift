extension SchemaGrammarBuilder {
    /// One declared property: the rule for its `"key": value` pair, and whether it must appear.
    private struct PropertyRule {
        let keyValueRule: String
        let isRequired: Bool
    }

    /// Objects list their declared properties in declaration order; optional ones may be left out. Without
    /// `additionalProperties` (or with `false`) no other keys are generated, as llama.cpp does; with `true` or a
    /// schema, extra keys may follow the declared ones.
    mutating func objectBody(for schema: SchemaJSONValue, name: String, path: String) throws(JSONSchemaError) -> String
    {
        let declared = schema["properties"]
        guard declared == nil || declared?.objectMembers != nil else {
            throw .invalid("'properties' must be an object", at: path)
        }
        var properties = declared?.objectMembers ?? []
        let required = try Self.requiredKeys(of: schema, path: path)
        for key in required where !properties.contains(where: { $0.key == key }) {
            properties.append(SchemaJSONMember(key: key, value: .bool(true)))
        }
        let additional = schema["additionalProperties"]
        if declared == nil, required.isEmpty, additional == nil || additional?.boolValue == true {
            return usePrimitive("object")
        }
        _ = usePrimitive("space")
        var propertyRules: [PropertyRule] = []
        for property in properties {
            let propertyName = "\(name)-\(Self.ruleNameFragment(property.key))"
            let value = try reference(
                for: property.value,
                name: propertyName,
                path: "\(path)/properties/\(property.key)"
            )
            let key = GBNFLiteral.quoted(SchemaJSONValue.quotedJSONString(property.key))
            let keyValueRule = addRule("\(propertyName)-kv", #"\#(key) space ":" space \#(value)"#)
            propertyRules.append(PropertyRule(keyValueRule: keyValueRule, isRequired: required.contains(property.key)))
        }
        let extraRule = try additionalPropertyRule(
            additional,
            declaredKeys: properties.map(\.key),
            name: name,
            path: path
        )
        return composeObject(propertyRules, extraRule: extraRule, name: name)
    }

    private static func requiredKeys(of schema: SchemaJSONValue, path: String) throws(JSONSchemaError) -> [String] {
        guard let value = schema["required"] else { return [] }
        guard let elements = value.arrayElements else { throw .invalid("'required' must be an array", at: path) }
        let keys = elements.compactMap(\.stringValue)
        guard keys.count == elements.count else { throw .invalid("'required' must list strings", at: path) }
        return keys
    }

    private mutating func additionalPropertyRule(
        _ additional: SchemaJSONValue?,
        declaredKeys: [String],
        name: String,
        path: String
    ) throws(JSONSchemaError) -> String? {
        switch additional {
        case nil, .bool(false):
            return nil
        case .some(let schema) where schema.boolValue == true || schema.objectMembers != nil:
            let value = try reference(
                for: schema,
                name: "\(name)-additional-value",
                path: "\(path)/additionalProperties"
            )
            let key = otherKeyRule(excluding: declaredKeys, name: "\(name)-additional-key")
            return addRule("\(name)-additional-kv", #"\#(key) space ":" space \#(value)"#)
        default:
            throw .invalid("'additionalProperties' must be a boolean or a schema", at: path)
        }
    }

    /// `{`, then one alternative per property that can come first (those up to the first required one), each
    /// followed by the rest in order, then `}`. Every alternative starts with a different key, so the grammar
    /// stays deterministic.
    private mutating func composeObject(_ properties: [PropertyRule], extraRule: String?, name: String) -> String {
        func piece(_ index: Int) -> String {
            let rule = properties[index].keyValueRule
            return properties[index].isRequired ? #""," space \#(rule)"# : #"("," space \#(rule))?"#
        }
        let extraPiece = extraRule.map { #"("," space \#($0))*"# }
        let firstRequired = properties.firstIndex(where: \.isRequired)
        let leaders = properties.isEmpty ? [] : Array(0...(firstRequired ?? properties.count - 1))

        // With several possible first properties, the tails are shared rules instead of copies.
        var tails: [String?] = Array(repeating: nil, count: properties.count + 1)
        tails[properties.count] = extraPiece
        for index in stride(from: properties.count - 1, through: 1, by: -1) {
            let sequence = [piece(index)] + (tails[index + 1].map { [$0] } ?? [])
            let joined = sequence.joined(separator: " ")
            tails[index] = leaders.count > 1 ? addRule("\(name)-rest-\(index)", joined) : joined
        }
        var alternatives = leaders.map { index in
            ([properties[index].keyValueRule] + (tails[index + 1].map { [$0] } ?? [])).joined(separator: " ")
        }
        if firstRequired == nil, let extraRule, let extraPiece {
            alternatives.append("\(extraRule) \(extraPiece)")
        }
        let open = #""{" space "#
        let close = #" space "}""#
        guard !alternatives.isEmpty else { return #""{" space "}""# }
        if firstRequired != nil, alternatives.count == 1 {
            return open + alternatives[0] + close
        }
        let choice = "(" + alternatives.joined(separator: " | ") + ")"
        return open + choice + (firstRequired == nil ? "?" : "") + close
    }
}
