import Foundation

extension Builtins {
    /// String methods. Lengths, indexes and case changes work on UTF-8 bytes and ASCII letters, as in llama.cpp.
    static func stringMethod(named name: String) -> Builtin? {
        switch name {
        case "default": return defaultValue
        case "upper": return transform { $0.map { $0 >= 0x61 && $0 <= 0x7A ? $0 - 32 : $0 } }
        case "lower": return transform { $0.map(lowered) }
        case "title": return transform(titled)
        case "capitalize":
            return transform { bytes in
                guard let first = bytes.first else { return bytes }
                return [first >= 0x61 && first <= 0x7A ? first - 32 : first] + bytes.dropFirst().map(lowered)
            }
        case "strip": return strip(leading: true, trailing: true)
        case "lstrip": return strip(leading: true, trailing: false)
        case "rstrip": return strip(leading: false, trailing: true)
        case "length": return { arguments in .int(try text(arguments, 0).utf8.count) }
        case "wordcount":
            return { arguments in
                .int(try text(arguments, 0).split(whereSeparator: { $0.isWhitespace }).count)
            }
        case "startswith":
            return { arguments in .bool(try text(arguments, 0).utf8.starts(with: try text(arguments, 1).utf8)) }
        case "endswith":
            return { arguments in
                .bool(try text(arguments, 0).utf8.reversed().starts(with: try text(arguments, 1).utf8.reversed()))
            }
        case "split": return split(fromEnd: false)
        case "rsplit": return split(fromEnd: true)
        case "replace": return replace
        case "format": return format
        case "int": return parseInteger
        case "float":
            return { arguments in
                let string = try text(arguments, 0)
                let fallback = arguments.argument("default", at: 1)
                var end: UnsafeMutablePointer<CChar>?
                let parsed = string.withCString { pointer -> Double? in
                    let value = strtod(pointer, &end)
                    return end == UnsafeMutablePointer(mutating: pointer) ? nil : value
                }
                return .double(parsed ?? (fallback.isUndefined ? 0 : fallback.doubleValue ?? 0))
            }
        case "string", "safe": return { arguments in .string(try text(arguments, 0)) }
        case "slice": return sliceString
        case "tojson": return toJSON
        case "indent": return indent
        case "join": return { arguments in throw arguments.failure("join is not supported on strings") }
        default: return nil
        }
    }

    static func text(_ arguments: Arguments, _ position: Int) throws -> String {
        guard case .string(let string) = try arguments.positional(position) else {
            throw arguments.failure("argument \(position + 1) must be a string")
        }
        try arguments.interpreter.spend(string.utf8.count / 256)
        return string
    }

    private static func lowered(_ byte: UInt8) -> UInt8 { byte >= 0x41 && byte <= 0x5A ? byte + 32 : byte }

    private static func titled(_ bytes: [UInt8]) -> [UInt8] {
        var startsWord = true
        return bytes.map { byte in
            if isSpace(byte) {
                startsWord = true
                return byte
            }
            defer { startsWord = false }
            return startsWord ? (byte >= 0x61 && byte <= 0x7A ? byte - 32 : byte) : lowered(byte)
        }
    }

    private static func transform(_ change: @escaping ([UInt8]) -> [UInt8]) -> Builtin {
        { arguments in .string(String(decoding: change(Array(try text(arguments, 0).utf8)), as: UTF8.self)) }
    }

    private static func strip(leading: Bool, trailing: Bool) -> Builtin {
        { arguments in
            let bytes = Array(try text(arguments, 0).utf8)
            let characters = arguments.argument("chars", at: 1)
            let set: Set<UInt8>? = characters.isUndefined ? nil : Set(try characters.text().utf8)
            func matches(_ byte: UInt8) -> Bool { set?.contains(byte) ?? isSpace(byte) }
            var start = 0
            var end = bytes.count
            if leading { while start < end && matches(bytes[start]) { start += 1 } }
            if trailing { while end > start && matches(bytes[end - 1]) { end -= 1 } }
            return .string(String(decoding: bytes[start..<end], as: UTF8.self))
        }
    }

    private static func split(fromEnd: Bool) -> Builtin {
        { arguments in
            try arguments.requireCount(1, 3)
            var rest = Array(try text(arguments, 0).utf8)
            let separator = Array((arguments.count > 1 ? try arguments.positional(1).text() : " ").utf8)
            guard !separator.isEmpty else { throw arguments.failure("empty separator") }
            var remaining = arguments.count > 2 ? try arguments.positional(2).integerValue ?? -1 : -1
            var parts: [Value] = []
            while remaining != 0 {
                let found = fromEnd ? lastRange(of: separator, in: rest) : rest.firstRange(of: separator)
                guard let found else { break }
                if fromEnd {
                    parts.append(.string(String(decoding: rest[found.upperBound...], as: UTF8.self)))
                    rest.removeSubrange(found.lowerBound...)
                } else {
                    parts.append(.string(String(decoding: rest[..<found.lowerBound], as: UTF8.self)))
                    rest.removeSubrange(..<found.upperBound)
                }
                remaining -= 1
            }
            parts.append(.string(String(decoding: rest, as: UTF8.self)))
            return .newArray(fromEnd ? parts.reversed() : parts)
        }
    }

    private static func lastRange(of needle: [UInt8], in haystack: [UInt8]) -> Range<Int>? {
        guard haystack.count >= needle.count else { return nil }
        for start in stride(from: haystack.count - needle.count, through: 0, by: -1)
        where haystack[start..<start + needle.count].elementsEqual(needle) {
            return start..<start + needle.count
        }
        return nil
    }

    private static func replace(_ arguments: inout Arguments) throws -> Value {
        try arguments.requireCount(3)
        let string = try text(arguments, 0)
        let old = try text(arguments, 1)
        let new = try text(arguments, 2)
        if arguments.count > 3, (try arguments.positional(3).integerValue ?? -1) > 0 {
            throw arguments.failure("replace with a count is not supported")
        }
        guard old != new else { return .string(string) }
        if old.isEmpty {
            let pieces = string.utf8.map { String(decoding: [$0], as: UTF8.self) }
            return .string(new + pieces.map { $0 + new }.joined())
        }
        return .string(string.replacingOccurrences(of: old, with: new, options: .literal))
    }

    private static func format(_ arguments: inout Arguments) throws -> Value {
        let template = Array(try text(arguments, 0).utf8)
        var output: [UInt8] = []
        var next = 1
        var index = 0
        while index < template.count {
            if template[index] != ascii("{") {
                output.append(template[index])
            } else {
                guard index + 1 < template.count, template[index + 1] == ascii("}") else {
                    throw arguments.failure("only '{}' placeholders are supported")
                }
                index += 1
                output += Array(try arguments.positional(next).text().utf8)
                next += 1
            }
            index += 1
        }
        return .string(String(decoding: output, as: UTF8.self))
    }

    /// `int(default=0, base=10)` with `std::stoi`'s leniency: leading space, a sign, then as many digits as fit.
    private static func parseInteger(_ arguments: inout Arguments) throws -> Value {
        let fallback = arguments.argument("default", at: 1)
        let baseValue = arguments.argument("base", at: 2)
        let base = baseValue.isUndefined ? 10 : baseValue.integerValue ?? 10
        guard base == 0 || (2...36).contains(base) else { throw arguments.failure("base must be 0 or 2 to 36") }
        let string = try text(arguments, 0)
        var end: UnsafeMutablePointer<CChar>?
        let parsed = string.withCString { pointer -> Int? in
            errno = 0
            let value = strtol(pointer, &end, Int32(base))
            guard end != UnsafeMutablePointer(mutating: pointer), errno == 0, value >= Int(Int32.min),
                value <= Int(Int32.max)
            else { return nil }
            return value
        }
        return .int(parsed ?? (fallback.isUndefined ? 0 : fallback.integerValue ?? 0))
    }

    private static func sliceString(_ arguments: inout Arguments) throws -> Value {
        let bytes = Array(try text(arguments, 0).utf8)
        let sliced = try sliceIndices(count: bytes.count, arguments).map { bytes[$0] }
        return .string(String(decoding: sliced, as: UTF8.self))
    }

    /// Python's slice rules over `count` items, from `(start, stop, step)` arguments after the receiver.
    static func sliceIndices(count: Int, _ arguments: Arguments) throws -> [Int] {
        try arguments.requireCount(2, 4)
        guard let first = try arguments.positional(1).integerValue else { throw arguments.failure("expected integers") }
        var start = 0
        var stop = first
        var step = 1
        if arguments.count > 2 {
            start = first
            stop = try arguments.positional(2).integerValue ?? 0
        }
        if arguments.count > 3 { step = try arguments.positional(3).integerValue ?? 1 }
        guard step != 0 else { throw arguments.failure("slice step cannot be zero") }
        if step > 0 {
            start = start < 0 ? max(count + start, 0) : min(start, count)
            stop = stop < 0 ? max(count + stop, 0) : min(stop, count)
        } else {
            start = start < 0 ? max(count + start, 0) : min(start, count - 1)
            stop = stop < -1 ? max(count + stop, -1) : min(stop, count - 1)
        }
        var indices: [Int] = []
        var index = start
        while step > 0 ? index < stop : index > stop {
            if index >= 0 && index < count { indices.append(index) }
            index += step
        }
        return indices
    }

    private static func indent(_ arguments: inout Arguments) throws -> Value {
        try arguments.requireCount(1, 4)
        let input = try text(arguments, 0)
        let width = arguments.argument("width", at: 1)
        let first = try arguments.argument("first", at: 2).truthy()
        let blank = try arguments.argument("blank", at: 3).truthy()
        let prefix: String
        switch width {
        case .int(let count):
            guard count <= arguments.interpreter.limits.outputLength else { throw arguments.failure("width too large") }
            prefix = String(repeating: " ", count: max(0, count))
        case .string(let string): prefix = string
        default: prefix = "    "
        }
        let bytes = Array(input.utf8)
        var lines = bytes.split(separator: ascii("\n"), omittingEmptySubsequences: false).map {
            String(decoding: $0, as: UTF8.self)
        }
        if bytes.last == ascii("\n") || bytes.isEmpty { lines.removeLast() }
        var output = ""
        for line in lines {
            // As llama.cpp: "first line" means "nothing written yet", so leading empty lines shift it.
            if !output.isEmpty { output += "\n" }
            if output.isEmpty ? first : (!line.isEmpty || blank) { output += prefix }
            output += line
        }
        if bytes.last == ascii("\n") {
            output += "\n"
            if blank { output += prefix }
        }
        return .string(output)
    }
}
