extension SchemaGrammarBuilder {
    /// A non-negative count keyword such as `minLength`, or nil when absent.
    static func count(_ keyword: String, in schema: SchemaJSONValue, path: String) throws(JSONSchemaError) -> Int? {
        guard let value = schema[keyword] else { return nil }
        guard let count = value.countValue else {
            throw .invalid("'\(keyword)' must be a non-negative integer", at: path)
        }
        return count
    }

    /// `item` repeated between `minimum` and `maximum` times (unbounded when `maximum` is nil).
    static func repeated(_ item: String, minimum: Int, maximum: Int?) -> String {
        switch (minimum, maximum) {
        case (0, nil): "\(item)*"
        case (1, nil): "\(item)+"
        case (_, nil): "\(item){\(minimum),}"
        case (0, 1): "\(item)?"
        case (_, let maximum?) where maximum == minimum: "\(item){\(minimum)}"
        case (_, let maximum?): "\(item){\(minimum),\(maximum)}"
        }
    }

    mutating func stringBody(for schema: SchemaJSONValue, path: String) throws(JSONSchemaError) -> String {
        if let pattern = schema["pattern"] {
            guard let pattern = pattern.stringValue else { throw .invalid("'pattern' must be a string", at: path) }
            if let length = ["minLength", "maxLength"].first(where: { schema[$0] != nil }) {
                throw .unsupported(
                    length, at: path, hint: "it cannot be combined with 'pattern'; put the length in the pattern")
            }
            return try SchemaPatternGrammar.stringBody(for: pattern, path: path)
        }
        if let format = schema["format"]?.stringValue, let rule = SchemaGrammarPrimitives.stringFormats[format] {
            return usePrimitive(rule)
        }
        let minimum = try Self.count("minLength", in: schema, path: path) ?? 0
        let maximum = try Self.count("maxLength", in: schema, path: path)
        if let maximum, maximum < minimum {
            throw .invalid("'maxLength' \(maximum) is less than 'minLength' \(minimum)", at: path)
        }
        if minimum == 0, maximum == nil { return usePrimitive("string") }
        let character = usePrimitive("char")
        return #""\"" "# + Self.repeated(character, minimum: minimum, maximum: maximum) + #" "\"""#
    }

    mutating func integerBody(for schema: SchemaJSONValue, path: String) throws(JSONSchemaError) -> String {
        let bounds = try Self.numericBounds(of: schema, path: path)
        // Bounds beyond 16 digits are outside what the grammar's integers can reach anyway.
        let limit = 1e15
        let lower = bounds.lower.flatMap { bound -> Int? in
            let value = bound.exclusive ? bound.value.rounded(.down) + 1 : bound.value.rounded(.up)
            return abs(value) < limit ? Int(value) : nil
        }
        let upper = bounds.upper.flatMap { bound -> Int? in
            let value = bound.exclusive ? bound.value.rounded(.up) - 1 : bound.value.rounded(.down)
            return abs(value) < limit ? Int(value) : nil
        }
        if lower == nil, upper == nil { return usePrimitive("integer") }
        if let lower, let upper, lower > upper {
            throw .invalid("no integer lies between the lower bound \(lower) and the upper bound \(upper)", at: path)
        }
        return IntegerRangeGrammar.alternatives(from: lower, to: upper).joined(separator: " | ")
    }

    /// Numbers only get their sign constrained: a non-negative lower bound forbids the minus sign. Other bounds
    /// are left to `JSONSchemaValidator`, because a decimal range has no compact grammar.
    mutating func numberBody(for schema: SchemaJSONValue, path: String) throws(JSONSchemaError) -> String {
        let bounds = try Self.numericBounds(of: schema, path: path)
        if let lower = bounds.lower, lower.value >= 0 {
            return usePrimitive("unsigned-number")
        }
        return usePrimitive("number")
    }

    struct NumericBound {
        let value: Double
        let exclusive: Bool
    }

    /// The lower and upper bound from `minimum`/`exclusiveMinimum` and `maximum`/`exclusiveMaximum`, in both the
    /// current form (numbers) and the draft-4 form (booleans next to `minimum`/`maximum`).
    static func numericBounds(
        of schema: SchemaJSONValue,
        path: String
    ) throws(JSONSchemaError) -> (lower: NumericBound?, upper: NumericBound?) {
        func bound(_ inclusiveKey: String, _ exclusiveKey: String, tighter: (Double, Double) -> Bool)
            throws(JSONSchemaError) -> NumericBound?
        {
            var result: NumericBound?
            if let value = schema[inclusiveKey] {
                guard let number = value.numberValue else {
                    throw .invalid("'\(inclusiveKey)' must be a number", at: path)
                }
                result = NumericBound(value: number, exclusive: schema[exclusiveKey]?.boolValue == true)
            }
            if let value = schema[exclusiveKey], value.boolValue == nil {
                guard let number = value.numberValue else {
                    throw .invalid("'\(exclusiveKey)' must be a number", at: path)
                }
                let inclusiveIsTighter = result.map { !tighter(number, $0.value) && number != $0.value } ?? false
                if !inclusiveIsTighter {
                    result = NumericBound(value: number, exclusive: true)
                }
            }
            return result
        }
        let lower = try bound("minimum", "exclusiveMinimum", tighter: >)
        let upper = try bound("maximum", "exclusiveMaximum", tighter: <)
        return (lower, upper)
    }

    mutating func arrayBody(for schema: SchemaJSONValue, name: String, path: String) throws(JSONSchemaError) -> String {
        let minimum = try Self.count("minItems", in: schema, path: path) ?? 0
        let maximum = try Self.count("maxItems", in: schema, path: path)
        if let maximum, maximum < minimum {
            throw .invalid("'maxItems' \(maximum) is less than 'minItems' \(minimum)", at: path)
        }
        let itemSchema = schema["items"] ?? .bool(true)
        if case .array = itemSchema {
            throw .unsupported(
                "items", at: path, hint: "'items' as an array (a tuple) is not supported; give one schema")
        }
        if maximum == 0 { return #""[" space "]""# }
        _ = usePrimitive("space")
        let item = try reference(for: itemSchema, name: "\(name)-item", path: "\(path)/items")
        let more = Self.repeated(
            #"("," space \#(item))"#, minimum: max(minimum, 1) - 1, maximum: maximum.map { $0 - 1 })
        let elements = "\(item) \(more)"
        return #""[" space "# + (minimum == 0 ? "(\(elements))?" : elements) + #" space "]""#
    }
}
