import TOMLKit

/// A raw value from a file, the environment or a flag, before it is checked against a setting's rules.
enum ConfigurationInput: Sendable, Equatable {
    case string(String)
    case integer(Int)
    case float(Double)
    case boolean(Bool)
    case array([ConfigurationInput])
    case table
    /// A TOML date, time or date-time, which no setting accepts.
    case other(typeName: String)

    init(_ value: any TOMLValueConvertible) {
        switch value.type {
        case .string: self = .string(value.string ?? "")
        case .int: self = .integer(value.int ?? 0)
        case .double: self = .float(value.double ?? 0)
        case .bool: self = .boolean(value.bool ?? false)
        case .array: self = .array(value.array.map { $0.map(ConfigurationInput.init) } ?? [])
        case .table: self = .table
        case .date, .time, .dateTime: self = .other(typeName: "a \(value.type.description)")
        }
    }

    /// An environment variable's text as an integer when it is one, else as the string it is.
    @Sendable static func parsingInteger(_ text: String) -> ConfigurationInput {
        Int(text.trimmingSpaces()).map { .integer($0) } ?? .string(text)
    }

    /// A comma-separated environment variable as an array of its trimmed, non-empty parts.
    @Sendable static func parsingList(_ text: String) -> ConfigurationInput {
        .array(
            text.split(separator: ",").map { String($0).trimmingSpaces() }.filter { !$0.isEmpty }.map { .string($0) })
    }

    /// The value as a message shows it after "got": `70000`, `a string ("8080")`, `an array`.
    var shownForTypeError: String {
        switch self {
        case .string(let text): "a string (\(TOMLText.quoted(text)))"
        case .integer(let number): "an integer (\(number))"
        case .float(let number): "a floating-point number (\(number))"
        case .boolean(let flag): "a boolean (\(flag))"
        case .array: "an array (\(shown))"
        case .table: "a table"
        case .other(let typeName): typeName
        }
    }

    /// The value as a message shows it when its type was right but the value was not.
    var shown: String {
        switch self {
        case .string(let text): TOMLText.quoted(text)
        case .integer(let number): "\(number)"
        case .float(let number): "\(number)"
        case .boolean(let flag): "\(flag)"
        case .array(let elements): "[" + elements.map(\.shown).joined(separator: ", ") + "]"
        case .table: "a table"
        case .other(let typeName): typeName
        }
    }
}
