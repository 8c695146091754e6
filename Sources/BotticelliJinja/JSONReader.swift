/// Parses JSON into a ``JinjaValue``, keeping object keys in document order (Foundation's parser does not),
/// as llama.cpp's ordered JSON does when it turns tool-call arguments into objects.
public enum JSONReader {
    /// Parses one JSON document; throws ``JinjaError`` with the byte offset of the problem.
    public static func parse(_ text: String) throws -> JinjaValue {
        var parser = Cursor(bytes: Array(text.utf8))
        parser.skipSpace()
        let value = try parser.value(depth: 0)
        parser.skipSpace()
        guard parser.index == parser.bytes.count else { throw parser.failure("unexpected trailing characters") }
        return value
    }

    private struct Cursor {
        let bytes: [UInt8]
        var index = 0

        func failure(_ message: String) -> JinjaError {
            JinjaError(kind: .syntax, message: "invalid JSON at byte \(index): \(message)")
        }

        mutating func skipSpace() {
            while index < bytes.count, [0x20, 0x09, 0x0A, 0x0D].contains(bytes[index]) { index += 1 }
        }

        mutating func expect(_ literal: String) throws {
            let expected = Array(literal.utf8)
            guard index + expected.count <= bytes.count, bytes[index..<index + expected.count].elementsEqual(expected)
            else { throw failure("expected '\(literal)'") }
            index += expected.count
        }

        mutating func value(depth: Int) throws -> JinjaValue {
            guard depth < 200 else { throw failure("nesting too deep") }
            guard index < bytes.count else { throw failure("unexpected end") }
            switch bytes[index] {
            case ascii("{"):
                index += 1
                var object = JinjaObject()
                skipSpace()
                if index < bytes.count, bytes[index] == ascii("}") {
                    index += 1
                    return .object(object)
                }
                while true {
                    skipSpace()
                    let key = try string()
                    skipSpace()
                    try expect(":")
                    skipSpace()
                    object[key] = try value(depth: depth + 1)
                    skipSpace()
                    guard index < bytes.count else { throw failure("unterminated object") }
                    index += 1
                    if bytes[index - 1] == ascii("}") { return .object(object) }
                    guard bytes[index - 1] == ascii(",") else { throw failure("expected ',' or '}'") }
                }
            case ascii("["):
                index += 1
                var items: [JinjaValue] = []
                skipSpace()
                if index < bytes.count, bytes[index] == ascii("]") {
                    index += 1
                    return .array(items)
                }
                while true {
                    skipSpace()
                    items.append(try value(depth: depth + 1))
                    skipSpace()
                    guard index < bytes.count else { throw failure("unterminated array") }
                    index += 1
                    if bytes[index - 1] == ascii("]") { return .array(items) }
                    guard bytes[index - 1] == ascii(",") else { throw failure("expected ',' or ']'") }
                }
            case ascii("\""): return .string(try string())
            case ascii("t"):
                try expect("true")
                return .bool(true)
            case ascii("f"):
                try expect("false")
                return .bool(false)
            case ascii("n"):
                try expect("null")
                return .none
            default: return try number()
            }
        }

        mutating func number() throws -> JinjaValue {
            let start = index
            var isInteger = true
            while index < bytes.count,
                isDigit(bytes[index]) || [ascii("-"), ascii("+")].contains(bytes[index])
                    || [ascii("."), ascii("e"), ascii("E")].contains(bytes[index])
            {
                if !isDigit(bytes[index]) && bytes[index] != ascii("-") { isInteger = false }
                index += 1
            }
            let text = String(decoding: bytes[start..<index], as: UTF8.self)
            if isInteger, let integer = Int(text) { return .int(integer) }
            guard let number = Double(text) else { throw failure("invalid number '\(text)'") }
            return .double(number)
        }

        mutating func string() throws -> String {
            try expect("\"")
            var output: [UInt8] = []
            while index < bytes.count {
                let byte = bytes[index]
                index += 1
                switch byte {
                case ascii("\""): return String(decoding: output, as: UTF8.self)
                case ascii("\\"):
                    guard index < bytes.count else { throw failure("unterminated escape") }
                    let escaped = bytes[index]
                    index += 1
                    switch escaped {
                    case ascii("n"): output.append(ascii("\n"))
                    case ascii("t"): output.append(ascii("\t"))
                    case ascii("r"): output.append(ascii("\r"))
                    case ascii("b"): output.append(0x08)
                    case ascii("f"): output.append(0x0C)
                    case ascii("u"):
                        var scalar = try hex4()
                        if (0xD800..<0xDC00).contains(scalar), index + 1 < bytes.count, bytes[index] == ascii("\\"),
                            bytes[index + 1] == ascii("u")
                        {
                            index += 2
                            let low = try hex4()
                            scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                        }
                        output += Array(String(UnicodeScalar(scalar).map(Character.init) ?? "\u{FFFD}").utf8)
                    default: output.append(escaped)
                    }
                default:
                    output.append(byte)
                }
            }
            throw failure("unterminated string")
        }

        mutating func hex4() throws -> UInt32 {
            guard index + 4 <= bytes.count,
                let value = UInt32(String(decoding: bytes[index..<index + 4], as: UTF8.self), radix: 16)
            else { throw failure("invalid \\u escape") }
            index += 4
            return value
        }
    }
}
