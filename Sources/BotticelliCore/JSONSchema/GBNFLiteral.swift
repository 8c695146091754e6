/// Escaping of text into GBNF terminals.
///
/// The output is plain ASCII: quotes and backslashes are escaped, control characters become `\xXX`, and
/// non-ASCII characters become `\uXXXX` or `\UXXXXXXXX`, which llama.cpp's grammar parser decodes to the same
/// code points. This keeps grammars safe to pass through any transport.
enum GBNFLiteral {
    /// A quoted GBNF string terminal that matches `text` exactly, e.g. `"\"name\""` for the JSON key `"name"`.
    static func quoted(_ text: String) -> String {
        var result = "\""
        for scalar in text.unicodeScalars {
            result += escaped(scalar)
        }
        return result + "\""
    }

    private static func escaped(_ scalar: Unicode.Scalar) -> String {
        switch scalar {
        case "\"": return "\\\""
        case "\\": return "\\\\"
        case "\n": return "\\n"
        case "\r": return "\\r"
        case "\t": return "\\t"
        case " "..."~": return String(scalar)
        default:
            let value = scalar.value
            if value < 0x80 { return "\\x" + hex(value, width: 2) }
            if value <= 0xFFFF { return "\\u" + hex(value, width: 4) }
            return "\\U" + hex(value, width: 8)
        }
    }

    static func hex(_ value: UInt32, width: Int) -> String {
        let digits = String(value, radix: 16, uppercase: true)
        return String(repeating: "0", count: max(0, width - digits.count)) + digits
    }
}

extension GBNFLiteral {
    /// One character inside a GBNF `[…]` class: letters and digits as they are, everything else as a hex escape,
    /// so `]`, `-`, `^` and `\` never need special cases.
    static func classMember(_ value: UInt32) -> String {
        if let scalar = Unicode.Scalar(value), scalar.isASCII,
            ("a"..."z").contains(scalar) || ("A"..."Z").contains(scalar) || ("0"..."9").contains(scalar)
        {
            return String(scalar)
        }
        if value < 0x80 { return "\\x" + hex(value, width: 2) }
        if value <= 0xFFFF { return "\\u" + hex(value, width: 4) }
        return "\\U" + hex(value, width: 8)
    }
}
