/// A configuration value together with the source that set it.
public struct ConfiguredValue<Value: Sendable>: Sendable {
    public var value: Value
    public var source: ConfigurationSource

    public init(_ value: Value, source: ConfigurationSource) {
        self.value = value
        self.source = source
    }

    /// The same source with a transformed value.
    func map<Other: Sendable>(_ transform: (Value) -> Other) -> ConfiguredValue<Other> {
        ConfiguredValue<Other>(transform(value), source: source)
    }
}

extension ConfiguredValue: Equatable where Value: Equatable {}
extension ConfiguredValue: Hashable where Value: Hashable {}
