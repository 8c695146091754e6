/// Translates a simple anchored regular expression (`pattern`) into GBNF for the JSON string it matches.
///
/// Supported: `^…$` anchors around the whole pattern, literal characters, `.`, character classes (`[a-z_]`,
/// `[^,]`), `\d \w \s \D \W \S`, escaped punctuation, groups `(…)` and `(?:…)`, alternation `|`, and the
/// quantifiers `? * + {n} {n,} {n,m}` (a trailing lazy `?` is ignored). Anything else (backreferences, lookaround,
/// `\b`, unanchored patterns) throws. Quotes and backslashes are generated in their JSON-escaped form (`\"`,
/// `\\`); control characters are never generated, even by `.` or a negated class, which only narrows what the
/// model may write.
struct SchemaPatternGrammar {
    private let scalars: [Unicode.Scalar]
    private var index = 0
    private let path: String

    /// The characters JSON does not allow unescaped inside a string.
    private static let jsonSpecial: [ClosedRange<UInt32>] = [0x00...0x1F, 0x22...0x22, 0x5C...0x5C, 0x7F...0x7F]

    private init(pattern: String, path: String) {
        scalars = Array(pattern.unicodeScalars)
        self.path = path
    }

    /// The GBNF sequence for a JSON string (with its quotes) whose content matches `pattern`.
    static func stringBody(for pattern: String, path: String) throws(JSONSchemaError) -> String {
        guard pattern.hasPrefix("^"), pattern.hasSuffix("$"), !pattern.hasSuffix("\\$") else {
            throw .unsupported("pattern", at: path, hint: "only patterns anchored with ^ and $ are supported")
        }
        var translator = SchemaPatternGrammar(pattern: String(pattern.dropFirst().dropLast()), path: path)
        let options = try translator.alternatives()
        guard translator.index == translator.scalars.count else { throw translator.failure("unbalanced ')'") }
        let body = options.count == 1 ? options[0] : "(" + Self.joined(options) + ")"
        return body.isEmpty ? #""\"\"""# : #""\"" "# + body + #" "\"""#
    }

    private func failure(_ detail: String) -> JSONSchemaError {
        .unsupported("pattern", at: path, hint: "\(detail) at character \(index) of the pattern")
    }

    private var current: Unicode.Scalar? { index < scalars.count ? scalars[index] : nil }

    private mutating func alternatives() throws(JSONSchemaError) -> [String] {
        var options = [try sequence()]
        while current == "|" {
            index += 1
            options.append(try sequence())
        }
        return options
    }

    /// Alternatives for GBNF; an empty one (as in `(a|)`) becomes the empty literal.
    private static func joined(_ options: [String]) -> String {
        options.map { $0.isEmpty ? #""""# : $0 }.joined(separator: " | ")
    }

    private mutating func sequence() throws(JSONSchemaError) -> String {
        var items: [String] = []
        var lastIsLiteral = false
        while let scalar = current, scalar != "|", scalar != ")" {
            // Every atom is one literal, one class or a parenthesized group, so a quantifier can follow it directly.
            let atom = try self.atom()
            let item = try quantified(atom)
            // Runs of plain characters become one literal: "abc" rather than "a" "b" "c".
            let isLiteral = item == atom && atom.hasPrefix("\"") && atom.hasSuffix("\"")
            if isLiteral, lastIsLiteral, let previous = items.popLast() {
                items.append(String(previous.dropLast()) + String(atom.dropFirst()))
            } else {
                items.append(item)
            }
            lastIsLiteral = isLiteral
        }
        return items.joined(separator: " ")
    }

    private mutating func atom() throws(JSONSchemaError) -> String {
        guard let scalar = current else { throw failure("unexpected end") }
        index += 1
        switch scalar {
        case "(":
            if current == "?" {
                guard index + 1 < scalars.count, scalars[index + 1] == ":" else {
                    throw failure("lookaround and named groups are not supported")
                }
                index += 2
            }
            let inner = try alternatives()
            guard current == ")" else { throw failure("missing ')'") }
            index += 1
            return "(\(Self.joined(inner)))"
        case "[": return try characterClass()
        case ".": return Self.classText([0...0x10FFFF])
        case "\\": return try escape(inClass: false).map { Self.classText($0) } ?? literal(scalars[index - 1])
        case "^", "$": throw failure("anchors inside the pattern are not supported")
        case "*", "+", "?", "{": throw failure("quantifier without something to repeat")
        default: return literal(scalar)
        }
    }

    /// A literal character, written the way it appears inside a JSON string.
    private func literal(_ scalar: Unicode.Scalar) -> String {
        GBNFLiteral.quoted(String(SchemaJSONValue.quotedJSONString(String(scalar)).dropFirst().dropLast()))
    }

    /// The ranges for `\d`, `\w`, `\s` and their negations, or nil for an escaped literal (which stays at
    /// `index - 1`, the escaped character).
    private mutating func escape(inClass: Bool) throws(JSONSchemaError) -> [ClosedRange<UInt32>]? {
        guard let scalar = current else { throw failure("pattern ends with '\\'") }
        index += 1
        let digits: [ClosedRange<UInt32>] = [0x30...0x39]
        let word: [ClosedRange<UInt32>] = [0x30...0x39, 0x41...0x5A, 0x5F...0x5F, 0x61...0x7A]
        let space: [ClosedRange<UInt32>] = [0x20...0x20]
        switch scalar {
        case "d": return digits
        case "w": return word
        case "s": return space
        case "D": return Self.complement(digits)
        case "W": return Self.complement(word)
        case "S": return Self.complement(space)
        case "n", "t", "r", "f", "v", "b", "B", "0"..."9", "p", "P", "k", "u", "x", "c":
            throw failure("the escape '\\\(scalar)' is not supported")
        default:
            guard !("a"..."z").contains(scalar), !("A"..."Z").contains(scalar) else {
                throw failure("the escape '\\\(scalar)' is not supported")
            }
            return nil
        }
    }

    private mutating func characterClass() throws(JSONSchemaError) -> String {
        let negated = current == "^"
        if negated { index += 1 }
        var ranges: [ClosedRange<UInt32>] = []
        var first = true
        while let scalar = current, scalar != "]" || first {
            first = false
            index += 1
            var low = scalar
            if scalar == "\\" {
                if let escaped = try escape(inClass: true) {
                    ranges += escaped
                    continue
                }
                low = scalars[index - 1]
            } else if scalar == "[" {
                throw failure("nested classes are not supported")
            }
            if current == "-", index + 1 < scalars.count, scalars[index + 1] != "]" {
                index += 1
                var high = scalars[index]
                index += 1
                if high == "\\" {
                    guard try escape(inClass: true) == nil else { throw failure("a class range cannot end in a class") }
                    high = scalars[index - 1]
                }
                guard low.value <= high.value else { throw failure("reversed range in a class") }
                ranges.append(low.value...high.value)
            } else {
                ranges.append(low.value...low.value)
            }
        }
        guard current == "]" else { throw failure("missing ']'") }
        index += 1
        return Self.classText(negated ? Self.complement(ranges) : ranges)
    }

    /// Every code point that is not in `ranges`.
    private static func complement(_ ranges: [ClosedRange<UInt32>]) -> [ClosedRange<UInt32>] {
        var result: [ClosedRange<UInt32>] = []
        var next: UInt32 = 0
        for range in ranges.sorted(by: { $0.lowerBound < $1.lowerBound }) {
            if range.lowerBound > next { result.append(next...(range.lowerBound - 1)) }
            next = max(next, range.upperBound &+ 1)
        }
        if next <= 0x10FFFF { result.append(next...0x10FFFF) }
        return result
    }

    /// GBNF for one character from `ranges`: characters JSON must escape are left out of the class and offered
    /// as their escaped forms (`\"`, `\\`) when the class includes them; other control characters are dropped.
    private static func classText(_ ranges: [ClosedRange<UInt32>]) -> String {
        let plain = complement(complement(ranges) + jsonSpecial)
        var options: [String] = []
        if !plain.isEmpty {
            let members = plain.map { range in
                range.count == 1
                    ? GBNFLiteral.classMember(range.lowerBound)
                    : GBNFLiteral.classMember(range.lowerBound) + "-" + GBNFLiteral.classMember(range.upperBound)
            }
            options.append("[" + members.joined() + "]")
        }
        for (value, escaped) in [(UInt32(0x22), #""\\\"""#), (0x5C, #""\\\\""#)]
        where ranges.contains(where: { $0.contains(value) }) {
            options.append(escaped)
        }
        guard options.count != 1 else { return options[0] }
        return "(" + (options.isEmpty ? #""""# : options.joined(separator: " | ")) + ")"
    }

    private mutating func quantified(_ atom: String) throws(JSONSchemaError) -> String {
        let bounds: (Int, Int?)
        switch current {
        case "*": bounds = (0, nil)
        case "+": bounds = (1, nil)
        case "?": bounds = (0, 1)
        case "{":
            guard let closing = scalars[index...].firstIndex(of: "}") else { throw failure("missing '}'") }
            let parts = String(String.UnicodeScalarView(scalars[(index + 1)..<closing])).split(
                separator: ",",
                omittingEmptySubsequences: false
            )
            guard (1...2).contains(parts.count), let minimum = Int(parts[0]) else { throw failure("invalid {m,n}") }
            let maximum = parts.count == 1 ? minimum : parts[1].isEmpty ? nil : Int(parts[1])
            guard parts.count == 1 || parts[1].isEmpty || maximum.map({ $0 >= minimum }) == true else {
                throw failure("invalid {m,n}")
            }
            index = closing
            bounds = (minimum, maximum)
        default:
            return atom
        }
        index += 1
        if current == "?" { index += 1 }  // lazy: same language
        return SchemaGrammarBuilder.repeated(atom, minimum: bounds.0, maximum: bounds.1)
    }
}
