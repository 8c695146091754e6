/// Ollama's `keep_alive`: a number of seconds, or a duration string as Go writes them ("5m", "1h30m", "300ms", "0");
/// negative keeps the model forever. The model manager unloads an idle model when it runs out.
struct KeepAlive: Decodable, Sendable, Hashable {
    var seconds: Double

    init(seconds: Double) {
        self.seconds = seconds
    }

    /// The longest keep-alive kept as given (100 years); a longer one, or one that is not finite, keeps the model
    /// forever. The sweep turns keep-alives into `Duration`s, which hold about 292 years of milliseconds.
    static let longestSeconds = 100 * 365.25 * 86_400

    /// `seconds` as the model manager keeps it: negative (forever) for anything longer than ``longestSeconds``.
    static func effectiveSeconds(_ seconds: Double) -> Double {
        seconds <= longestSeconds ? seconds : -1
    }

    init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let number = try? container.decode(Double.self) {
            seconds = number
            return
        }
        let text = try container.decode(String.self)
        guard let parsed = Self.parse(text) else {
            throw DecodingError.dataCorrupted(
                .init(
                    codingPath: decoder.codingPath,
                    debugDescription: "keep_alive must be a duration like \"5m\", \"30s\", \"1h30m\" or a number"))
        }
        seconds = parsed
    }

    /// Seconds in `text`: an optional `-`, then either a plain number (`30`, `2.5`) or numbers each followed by a
    /// unit, `ms`, `s`, `m` or `h` (`1h30m`). The grammar is the pattern of `KeepAlive` in openapi.json.
    static func parse(_ text: String) -> Double? {
        var rest = Substring(text)
        let sign: Double = rest.first == "-" ? -1 : 1
        if sign < 0 { rest = rest.dropFirst() }
        guard var number = leadingNumber(&rest) else { return nil }
        if rest.isEmpty { return sign * number }
        var total = 0.0
        while true {
            guard let scale = leadingUnit(&rest) else { return nil }
            total += number * scale
            if rest.isEmpty { return sign * total }
            guard let next = leadingNumber(&rest) else { return nil }
            number = next
        }
    }

    private static func isDigit(_ character: Character) -> Bool {
        ("0"..."9").contains(character)
    }

    /// Digits, optionally followed by `.` and more digits.
    private static func leadingNumber(_ rest: inout Substring) -> Double? {
        var length = rest.prefix(while: isDigit).count
        guard length > 0 else { return nil }
        let afterInteger = rest.dropFirst(length)
        if afterInteger.first == "." {
            let fraction = afterInteger.dropFirst().prefix(while: isDigit).count
            guard fraction > 0 else { return nil }
            length += 1 + fraction
        }
        defer { rest = rest.dropFirst(length) }
        return Double(rest.prefix(length))
    }

    private static func leadingUnit(_ rest: inout Substring) -> Double? {
        for (unit, scale) in [("ms", 0.001), ("s", 1), ("m", 60), ("h", 3600)] where rest.hasPrefix(unit) {
            rest = rest.dropFirst(unit.count)
            return scale
        }
        return nil
    }
}
