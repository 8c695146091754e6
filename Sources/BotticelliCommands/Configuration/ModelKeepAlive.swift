/// How long the server keeps a model loaded after its last request (Ollama's `keep_alive`).
public enum ModelKeepAlive: Sendable, Hashable, CustomStringConvertible {
    /// Never unload (`-1`, or any negative value).
    case forever
    /// Unload as soon as the last request finishes (`0`).
    case unloadImmediately
    /// Unload after this many idle seconds (always positive).
    case seconds(Int)

    /// Ollama's default: five minutes.
    public static let defaultValue = ModelKeepAlive.seconds(300)

    /// What is accepted, for error messages and the template.
    public static let requirement =
        "a duration such as \"30s\", \"5m\", \"1h30m\", a number of seconds, -1 (keep loaded forever) "
        + "or 0 (unload immediately)"

    /// A number of seconds: negative keeps the model forever, 0 unloads it at once.
    public init(seconds: Int) {
        if seconds < 0 {
            self = .forever
        } else if seconds == 0 {
            self = .unloadImmediately
        } else {
            self = .seconds(seconds)
        }
    }

    /// Parses `"-1"`, `"0"`, `"300"` (seconds), or a duration made of whole numbers with the units `s`, `m` and `h`,
    /// such as `"30s"`, `"5m"` or `"1h30m"`. A leading `-` means forever, as in Ollama. Nil when the text is none of
    /// these.
    public init?(parsing text: String) {
        var rest = Substring(text.trimmingSpaces())
        let negative = rest.hasPrefix("-")
        if negative { rest = rest.dropFirst() }
        guard !rest.isEmpty else { return nil }
        if rest.allSatisfy(\.isASCIIDigit) {
            guard let seconds = Int(rest) else { return nil }
            self = negative ? .forever : ModelKeepAlive(seconds: seconds)
            return
        }
        var total = 0
        while !rest.isEmpty {
            let digits = rest.prefix(while: \.isASCIIDigit)
            guard !digits.isEmpty, let amount = Int(digits) else { return nil }
            rest = rest.dropFirst(digits.count)
            guard let unit = rest.first, let multiplier = Self.unitSeconds[unit] else { return nil }
            rest = rest.dropFirst()
            let (product, productOverflow) = amount.multipliedReportingOverflow(by: multiplier)
            let (sum, sumOverflow) = total.addingReportingOverflow(product)
            guard !productOverflow, !sumOverflow else { return nil }
            total = sum
        }
        self = negative ? .forever : ModelKeepAlive(seconds: total)
    }

    /// The idle time before unloading; nil for ``forever``.
    public var duration: Duration? {
        switch self {
        case .forever: nil
        case .unloadImmediately: .zero
        case .seconds(let seconds): .seconds(seconds)
        }
    }

    /// The shortest text that parses back to this value: `-1`, `0`, `30s`, `5m`, `1h30m`.
    public var description: String {
        switch self {
        case .forever: return "-1"
        case .unloadImmediately: return "0"
        case .seconds(let seconds):
            let hours = seconds / 3600
            let minutes = seconds % 3600 / 60
            let rest = seconds % 60
            var text = ""
            if hours > 0 { text += "\(hours)h" }
            if minutes > 0 { text += "\(minutes)m" }
            if rest > 0 { text += "\(rest)s" }
            return text
        }
    }

    private static let unitSeconds: [Character: Int] = ["s": 1, "m": 60, "h": 3600]
}

extension Character {
    var isASCIIDigit: Bool { isASCII && isNumber }
}

extension String {
    /// The text without leading and trailing spaces and tabs (Foundation-free, for the parsers here).
    func trimmingSpaces() -> String {
        let isSpace: (Character) -> Bool = { $0 == " " || $0 == "\t" }
        guard let start = firstIndex(where: { !isSpace($0) }), let end = lastIndex(where: { !isSpace($0) }) else {
            return ""
        }
        return String(self[start...end])
    }
}
