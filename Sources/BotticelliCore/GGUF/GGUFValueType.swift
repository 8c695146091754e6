/// The type codes of GGUF metadata values, as stored in the file.
public enum GGUFValueType: UInt32, Sendable, Equatable, CaseIterable {
    case uint8 = 0
    case int8 = 1
    case uint16 = 2
    case int16 = 3
    case uint32 = 4
    case int32 = 5
    case float32 = 6
    case bool = 7
    case string = 8
    case array = 9
    case uint64 = 10
    case int64 = 11
    case float64 = 12

    /// Bytes one value of this type takes at least: exact for scalars, the length prefix for strings, and
    /// element type plus count for arrays. Used to bound counts by the bytes left in the file.
    var minimumEncodedSize: UInt64 {
        switch self {
        case .uint8, .int8, .bool: return 1
        case .uint16, .int16: return 2
        case .uint32, .int32, .float32: return 4
        case .uint64, .int64, .float64, .string: return 8
        case .array: return 12
        }
    }
}
