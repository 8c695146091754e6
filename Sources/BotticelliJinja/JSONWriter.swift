import Foundation

/// `tojson` as llama.cpp writes it: keys in insertion order, `", "`/`": "` separators (`","` when indenting),
/// non-ASCII text kept as is unless `ensure_ascii`, floats like C++ streams (`1`, `0.5`, `1e+20`).
enum JSONWriter {
    static func write(
        _ value: Value, indent: Int = -1, itemSeparator: String? = nil, keySeparator: String = ": ",
        ensureASCII: Bool = false
    ) throws -> String {
        guard indent <= 1000 else { throw EvaluationFailure("tojson indent \(indent) is too large") }
        var output = ""
        let separator = itemSeparator ?? (indent < 0 ? ", " : ",")
        try append(value, to: &output, level: 0, indent: indent, itemSeparator: separator, keySeparator: keySeparator)
        return ensureASCII ? escapeNonASCII(output) : output
    }

    private static func append(
        _ value: Value, to output: inout String, level: Int, indent: Int, itemSeparator: String, keySeparator: String
    ) throws {
        guard level < Value.nestingLimit else { throw Value.nestingFailure }
        let newline = indent >= 0 ? "\n" : ""
        let padding = indent > 0 ? String(repeating: " ", count: level * indent) : ""
        let step = indent > 0 ? String(repeating: " ", count: indent) : ""
        switch value {
        case .none, .undefined, .function, .keyword: output += "null"
        case .bool(let flag): output += flag ? "true" : "false"
        case .int(let integer): output += String(integer)
        case .double(let number): output += streamText(number)
        case .string(let string): appendString(string, to: &output)
        case .array(let array):
            output += "["
            if !array.items.isEmpty {
                output += newline
                for (position, item) in array.items.enumerated() {
                    output += padding + step
                    try append(
                        item, to: &output, level: level + 1, indent: indent, itemSeparator: itemSeparator,
                        keySeparator: keySeparator)
                    if position < array.items.count - 1 { output += itemSeparator }
                    output += newline
                }
                output += padding
            }
            output += "]"
        case .object(let object):
            output += "{"
            if object.count > 0 {
                output += newline
                for (position, (key, item)) in object.pairs.enumerated() {
                    output += padding + step
                    appendString((try? key.text()) ?? "", to: &output)
                    output += keySeparator
                    try append(
                        item, to: &output, level: level + 1, indent: indent, itemSeparator: itemSeparator,
                        keySeparator: keySeparator)
                    if position < object.count - 1 { output += itemSeparator }
                    output += newline
                }
                output += padding
            }
            output += "}"
        }
    }

    private static func appendString(_ string: String, to output: inout String) {
        output += "\""
        for scalar in string.unicodeScalars {
            switch scalar {
            case "\"": output += "\\\""
            case "\\": output += "\\\\"
            case "\u{08}": output += "\\b"
            case "\u{0C}": output += "\\f"
            case "\n": output += "\\n"
            case "\r": output += "\\r"
            case "\t": output += "\\t"
            default:
                if scalar.value < 0x20 {
                    output += "\\u" + hex4(scalar.value)
                } else {
                    output.unicodeScalars.append(scalar)
                }
            }
        }
        output += "\""
    }

    /// `std::ostream << double` with the default precision of 6 significant digits.
    static func streamText(_ number: Double) -> String {
        guard number.isFinite else { return number.isNaN ? "nan" : (number < 0 ? "-inf" : "inf") }
        return String(format: "%g", number)
    }

    private static func escapeNonASCII(_ json: String) -> String {
        var output = ""
        var inString = false
        var escaped = false
        for scalar in json.unicodeScalars {
            if !inString {
                output.unicodeScalars.append(scalar)
                if scalar == "\"" { inString = true }
            } else if escaped {
                output.unicodeScalars.append(scalar)
                escaped = false
            } else if scalar == "\\" {
                output.unicodeScalars.append(scalar)
                escaped = true
            } else if scalar == "\"" {
                output.unicodeScalars.append(scalar)
                inString = false
            } else if scalar.value < 0x80 {
                output.unicodeScalars.append(scalar)
            } else if scalar.value <= 0xFFFF {
                output += "\\u" + hex4(scalar.value)
            } else {
                let offset = scalar.value - 0x10000
                output += "\\u" + hex4(0xD800 + (offset >> 10)) + "\\u" + hex4(0xDC00 + (offset & 0x3FF))
            }
        }
        return output
    }

    private static func hex4(_ value: UInt32) -> String {
        let digits = String(value, radix: 16)
        return String(repeating: "0", count: max(0, 4 - digits.count)) + digits
    }
}
