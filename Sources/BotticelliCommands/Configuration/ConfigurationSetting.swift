/// One key of the schema: its table, its name, its environment variable and its rule.
struct ConfigurationSetting<Value: Sendable>: Sendable {
    /// `model`, `server` or `models`.
    let table: String
    /// The key inside the table, such as `port`.
    let name: String
    /// The `BOTTICELLI_*` variable that sets it, if any.
    let environmentVariable: String?
    let rule: ConfigurationRule<Value>
    /// How an environment variable's text becomes a raw value (integers are parsed; lists are split at commas).
    let environmentInput: @Sendable (String) -> ConfigurationInput

    init(
        _ table: String, _ name: String, environmentVariable: String? = nil, rule: ConfigurationRule<Value>,
        environmentInput: @escaping @Sendable (String) -> ConfigurationInput = { .string($0) }
    ) {
        self.table = table
        self.name = name
        self.environmentVariable = environmentVariable
        self.rule = rule
        self.environmentInput = environmentInput
    }

    /// The dotted key: `server.port`.
    var key: String { "\(table).\(name)" }

    /// Checks a raw value; the error names the key, what is allowed and what was given.
    func convert(
        _ input: ConfigurationInput, key: String? = nil, origin: ConfigurationError.Origin?,
        shownAs shown: String? = nil
    ) throws(ConfigurationError) -> Value {
        switch rule.convert(input) {
        case .success(let value):
            return value
        case .failure(let failure):
            let key = key ?? self.key
            throw ConfigurationError(
                kind: failure == .wrongType ? .wrongType : .invalidValue, origin: origin, key: key,
                detail: rule.message(key: key, input: input, failure: failure, shownAs: shown))
        }
    }

    /// Reads and checks the environment variable; nil when it is unset or empty.
    func environmentValue(_ environment: [String: String]) throws(ConfigurationError) -> ConfiguredValue<Value>? {
        guard let variable = environmentVariable, let text = environment[variable], !text.isEmpty else { return nil }
        let value = try convert(
            environmentInput(text), origin: .environment(variable: variable), shownAs: TOMLText.quoted(text))
        return ConfiguredValue(value, source: .environment(variable: variable))
    }

    /// Checks a flag's value with the same rule; nil when the flag was not given.
    func flagValue(_ input: ConfigurationInput?, flag: String) throws(ConfigurationError) -> ConfiguredValue<Value>? {
        guard let input else { return nil }
        return ConfiguredValue(try convert(input, origin: .flag(name: flag)), source: .flag(name: flag))
    }
}
