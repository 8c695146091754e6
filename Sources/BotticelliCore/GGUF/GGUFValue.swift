/// One metadata value of a GGUF file.
public enum GGUFValue: Sendable, Equatable {
    case uint8(UInt8)
    case int8(Int8)
    case uint16(UInt16)
    case int16(Int16)
    case uint32(UInt32)
    case int32(Int32)
    case float32(Float)
    case bool(Bool)
    case string(String)
    case array(GGUFArray)
    case uint64(UInt64)
    case int64(Int64)
    case float64(Double)

    /// The type code this value is stored with.
    public var type: GGUFValueType {
        switch self {
        case .uint8: return .uint8
        case .int8: return .int8
        case .uint16: return .uint16
        case .int16: return .int16
        case .uint32: return .uint32
        case .int32: return .int32
        case .float32: return .float32
        case .bool: return .bool
        case .string: return .string
        case .array: return .array
        case .uint64: return .uint64
        case .int64: return .int64
        case .float64: return .float64
        }
    }

    /// The value as an unsigned integer, for any integer type holding a non-negative number.
    ///
    /// Writers disagree on the integer width of keys such as `context_length`, so readers of hyperparameters
    /// accept all of them.
    public var unsignedIntegerValue: UInt64? {
        switch self {
        case .uint8(let value): return UInt64(value)
        case .uint16(let value): return UInt64(value)
        case .uint32(let value): return UInt64(value)
        case .uint64(let value): return value
        case .int8(let value): return UInt64(exactly: value)
        case .int16(let value): return UInt64(exactly: value)
        case .int32(let value): return UInt64(exactly: value)
        case .int64(let value): return UInt64(exactly: value)
        case .float32, .float64, .bool, .string, .array: return nil
        }
    }

    /// The value as a signed integer, for any integer type whose value fits `Int64`.
    public var integerValue: Int64? {
        switch self {
        case .int8(let value): return Int64(value)
        case .int16(let value): return Int64(value)
        case .int32(let value): return Int64(value)
        case .int64(let value): return value
        case .uint8(let value): return Int64(value)
        case .uint16(let value): return Int64(value)
        case .uint32(let value): return Int64(value)
        case .uint64(let value): return Int64(exactly: value)
        case .float32, .float64, .bool, .string, .array: return nil
        }
    }

    /// The value as a floating-point number, for float types.
    public var floatingPointValue: Double? {
        switch self {
        case .float32(let value): return Double(value)
        case .float64(let value): return value
        default: return nil
        }
    }

    /// The string, when the value is one.
    public var stringValue: String? {
        if case .string(let value) = self { return value }
        return nil
    }

    /// The boolean, when the value is one.
    public var boolValue: Bool? {
        if case .bool(let value) = self { return value }
        return nil
    }

    /// The array, when the value is one.
    public var arrayValue: GGUFArray? {
        if case .array(let value) = self { return value }
        return nil
    }
}

/// A GGUF metadata array: every element has the same type, which may itself be `array`.
public struct GGUFArray: Sendable, Equatable {
    /// The type of every element.
    public let elementType: GGUFValueType
    /// The elements, in file order.
    public let values: [GGUFValue]

    public init(elementType: GGUFValueType, values: [GGUFValue]) {
        self.elementType = elementType
        self.values = values
    }
}

/// One key and its value, in the order the file stores them.
public struct GGUFMetadataEntry: Sendable, Equatable {
    public let key: String
    public let value: GGUFValue

    public init(key: String, value: GGUFValue) {
        self.key = key
        self.value = value
    }
}
