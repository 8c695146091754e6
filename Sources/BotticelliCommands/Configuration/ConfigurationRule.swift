/// How one setting's raw value becomes a typed value, and what is allowed, in words.
///
/// The same rule checks the value whether it comes from a file, an environment variable or a flag, so the three
/// give the same message.
struct ConfigurationRule<Value: Sendable>: Sendable {
    enum Failure: Error, Equatable {
        /// The value has the wrong type: a string where an integer belongs.
        case wrongType
        /// The type is right but the value is not allowed.
        case invalidValue
    }

    /// What is allowed, completing "`server.port` must be …".
    let requirement: String
    let convert: @Sendable (ConfigurationInput) -> Result<Value, Failure>

    /// The message for a rejected value: "`server.port` must be an integer from 0 to 65535, got 70000".
    func message(key: String, input: ConfigurationInput, failure: Failure, shownAs shown: String? = nil) -> String {
        let got = shown ?? (failure == .wrongType ? input.shownForTypeError : input.shown)
        return "`\(key)` must be \(requirement), got \(got)"
    }
}

extension ConfigurationRule where Value == Int {
    static func integer(_ range: ClosedRange<Int>, _ requirement: String) -> Self {
        .init(requirement: requirement) { input in
            guard case .integer(let number) = input else { return .failure(.wrongType) }
            return range.contains(number) ? .success(number) : .failure(.invalidValue)
        }
    }

    /// The context size: 0 (the model's own) or at least 256 tokens.
    static let contextSize = Self(requirement: "0 (the model's own context length) or an integer of at least 256") {
        input in
        guard case .integer(let number) = input else { return .failure(.wrongType) }
        return number == 0 || number >= 256 ? .success(number) : .failure(.invalidValue)
    }
}

extension ConfigurationRule where Value == String {
    static func text(_ requirement: String, isValid: @escaping @Sendable (String) -> Bool) -> Self {
        .init(requirement: requirement) { input in
            guard case .string(let text) = input else { return .failure(.wrongType) }
            return isValid(text) ? .success(text) : .failure(.invalidValue)
        }
    }

    static let nonEmpty = text("a non-empty string") {
        !$0.trimmingSpaces().isEmpty && !ConfigurationNames.hasControl($0)
    }
}

extension ConfigurationRule where Value == Double {
    static let positiveNumber = Self(requirement: "a positive number") { input in
        switch input {
        case .integer(let number): number > 0 ? .success(Double(number)) : .failure(.invalidValue)
        case .float(let number): number > 0 && number.isFinite ? .success(number) : .failure(.invalidValue)
        default: .failure(.wrongType)
        }
    }
}

extension ConfigurationRule where Value == [String] {
    static let strings = Self(requirement: "an array of non-empty strings") { input in
        guard case .array(let elements) = input else { return .failure(.wrongType) }
        var strings: [String] = []
        for element in elements {
            guard case .string(let text) = element else { return .failure(.wrongType) }
            guard !text.trimmingSpaces().isEmpty else { return .failure(.invalidValue) }
            strings.append(text)
        }
        return .success(strings)
    }
}

extension ConfigurationRule where Value == ModelKeepAlive {
    static let keepAlive = Self(requirement: ModelKeepAlive.requirement) { input in
        switch input {
        case .integer(let seconds): .success(ModelKeepAlive(seconds: seconds))
        case .string(let text): ModelKeepAlive(parsing: text).map { .success($0) } ?? .failure(.invalidValue)
        default: .failure(.wrongType)
        }
    }
}
