import BotticelliCore
import Foundation

/// Appends GGUF's little-endian fields to a byte buffer, for crafting valid and deliberately broken files.
public struct GGUFByteWriter: Sendable {
    public private(set) var bytes: [UInt8] = []

    public init() {}

    public var data: Data { Data(bytes) }

    public mutating func appendRaw(_ raw: [UInt8]) {
        bytes += raw
    }

    public mutating func append(_ value: UInt8) {
        bytes.append(value)
    }

    public mutating func append(_ value: UInt16) {
        appendLittleEndian(UInt64(value), width: 2)
    }

    public mutating func append(_ value: UInt32) {
        appendLittleEndian(UInt64(value), width: 4)
    }

    public mutating func append(_ value: UInt64) {
        appendLittleEndian(value, width: 8)
    }

    /// A GGUF string: its byte length as uint64, then the UTF-8 bytes.
    public mutating func append(string: String) {
        append(UInt64(string.utf8.count))
        bytes += Array(string.utf8)
    }

    /// A value without its type code (as stored inside arrays).
    public mutating func append(value: GGUFValue) {
        switch value {
        case .uint8(let number): append(number)
        case .int8(let number): append(UInt8(bitPattern: number))
        case .uint16(let number): append(number)
        case .int16(let number): append(UInt16(bitPattern: number))
        case .uint32(let number): append(number)
        case .int32(let number): append(UInt32(bitPattern: number))
        case .float32(let number): append(number.bitPattern)
        case .bool(let flag): append(UInt8(flag ? 1 : 0))
        case .string(let text): append(string: text)
        case .uint64(let number): append(number)
        case .int64(let number): append(UInt64(bitPattern: number))
        case .float64(let number): append(number.bitPattern)
        case .array(let array):
            append(array.elementType.rawValue)
            append(UInt64(array.values.count))
            for element in array.values {
                append(value: element)
            }
        }
    }

    /// A value preceded by its type code (as stored after a metadata key).
    public mutating func append(typedValue value: GGUFValue) {
        append(value.type.rawValue)
        append(value: value)
    }

    /// Zero bytes up to the next multiple of `alignment`.
    public mutating func pad(to alignment: Int) {
        while bytes.count % alignment != 0 {
            bytes.append(0)
        }
    }

    private mutating func appendLittleEndian(_ value: UInt64, width: Int) {
        for index in 0..<width {
            bytes.append(UInt8(truncatingIfNeeded: value >> (8 * UInt64(index))))
        }
    }
}
