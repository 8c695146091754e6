extension JSONSchemaValidator {
    func checkArray(
        _ elements: [SchemaJSONValue],
        _ schema: SchemaJSONValue,
        at path: String,
        depth: Int,
        into violations: inout [String]
    ) {
        if let minimum = schema["minItems"]?.countValue, elements.count < minimum {
            violations.append("\(path): array has \(elements.count) items, fewer than minItems \(minimum)")
        }
        if let maximum = schema["maxItems"]?.countValue, elements.count > maximum {
            violations.append("\(path): array has \(elements.count) items, more than maxItems \(maximum)")
        }
        // `prefixItems` (or draft-4 `items` as an array) constrains the first items; `items` then covers the rest.
        var prefix = schema["prefixItems"]?.arrayElements ?? []
        var rest = schema["items"]
        if let tuple = schema["items"]?.arrayElements {
            prefix = tuple
            rest = schema["additionalItems"]
        }
        for (index, element) in elements.enumerated() {
            let itemSchema = index < prefix.count ? prefix[index] : rest
            guard let itemSchema else { continue }
            check(
                element, against: itemSchema, at: Self.childPath(path, index: index), depth: depth + 1,
                into: &violations)
        }
        if schema["uniqueItems"]?.boolValue == true {
            for index in elements.indices.dropFirst()
            where elements[..<index].contains(where: { $0.isEqual(to: elements[index]) }) {
                violations.append("\(Self.childPath(path, index: index)): duplicate item, but uniqueItems is true")
            }
        }
        if let contained = schema["contains"], !elements.contains(where: { matches($0, contained, depth: depth + 1) }) {
            violations.append("\(path): no item matches 'contains'")
        }
    }

    func checkObject(
        _ members: [SchemaJSONMember],
        _ schema: SchemaJSONValue,
        at path: String,
        depth: Int,
        into violations: inout [String]
    ) {
        let keys = members.map(\.key)
        for key in schema["required"]?.arrayElements?.compactMap(\.stringValue) ?? [] where !keys.contains(key) {
            violations.append("\(path): missing required property \(SchemaJSONValue.quotedJSONString(key))")
        }
        if let minimum = schema["minProperties"]?.countValue, members.count < minimum {
            violations.append("\(path): object has \(members.count) properties, fewer than minProperties \(minimum)")
        }
        if let maximum = schema["maxProperties"]?.countValue, members.count > maximum {
            violations.append("\(path): object has \(members.count) properties, more than maxProperties \(maximum)")
        }
        let properties = schema["properties"]
        let patternProperties = schema["patternProperties"]?.objectMembers ?? []
        for member in members {
            let memberPath = Self.childPath(path, key: member.key)
            var isDeclared = false
            if let propertySchema = properties?[member.key] {
                isDeclared = true
                check(member.value, against: propertySchema, at: memberPath, depth: depth + 1, into: &violations)
            }
            for pattern in patternProperties where Self.search(pattern.key, in: member.key) {
                isDeclared = true
                check(member.value, against: pattern.value, at: memberPath, depth: depth + 1, into: &violations)
            }
            guard !isDeclared, let additional = schema["additionalProperties"] else { continue }
            if additional.boolValue == false {
                violations.append("\(memberPath): property is not allowed (additionalProperties is false)")
            } else {
                check(member.value, against: additional, at: memberPath, depth: depth + 1, into: &violations)
            }
        }
    }

    func checkCombinators(
        _ instance: SchemaJSONValue,
        _ schema: SchemaJSONValue,
        at path: String,
        depth: Int,
        into violations: inout [String]
    ) {
        if let options = schema["anyOf"]?.arrayElements,
            !options.contains(where: { matches(instance, $0, depth: depth + 1) })
        {
            violations.append("\(path): matches none of the \(options.count) 'anyOf' schemas")
        }
        if let options = schema["oneOf"]?.arrayElements {
            let matching = options.filter { matches(instance, $0, depth: depth + 1) }.count
            if matching != 1 {
                violations.append("\(path): matches \(matching) of the 'oneOf' schemas, not exactly one")
            }
        }
        for part in schema["allOf"]?.arrayElements ?? [] {
            check(instance, against: part, at: path, depth: depth + 1, into: &violations)
        }
        if let excluded = schema["not"], matches(instance, excluded, depth: depth + 1) {
            violations.append("\(path): matches the schema under 'not'")
        }
    }
}
