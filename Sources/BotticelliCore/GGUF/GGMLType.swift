/// A ggml tensor type code, with the block layout of the types this reader knows.
///
/// Unknown codes are kept rather than rejected: llama.cpp adds types over time, and a header can still be
/// inspected when one tensor uses a newer type. Only the offset of such a tensor is checked.
public struct GGMLType: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
    public let rawValue: UInt32

    public init(rawValue: UInt32) {
        self.rawValue = rawValue
    }

    /// How a known type packs its elements: `blockSize` elements take `bytesPerBlock` bytes.
    public struct Layout: Sendable, Equatable {
        public let name: String
        public let blockSize: UInt64
        public let bytesPerBlock: UInt64
    }

    /// The layout, or nil for a type code this reader does not know.
    public var layout: Layout? { Self.layouts[rawValue] }

    public var description: String { layout?.name ?? "type \(rawValue)" }

    public static let f32 = GGMLType(rawValue: 0)
    public static let f16 = GGMLType(rawValue: 1)
    public static let q4_0 = GGMLType(rawValue: 2)
    public static let q4_1 = GGMLType(rawValue: 3)
    public static let q8_0 = GGMLType(rawValue: 8)
    public static let q4_K = GGMLType(rawValue: 12)
    public static let q6_K = GGMLType(rawValue: 14)

    // Sizes follow ggml's block structs: a K-quant super-block holds 256 elements, the older quants 32.
    private static let layouts: [UInt32: Layout] = [
        0: Layout(name: "F32", blockSize: 1, bytesPerBlock: 4),
        1: Layout(name: "F16", blockSize: 1, bytesPerBlock: 2),
        2: Layout(name: "Q4_0", blockSize: 32, bytesPerBlock: 18),
        3: Layout(name: "Q4_1", blockSize: 32, bytesPerBlock: 20),
        6: Layout(name: "Q5_0", blockSize: 32, bytesPerBlock: 22),
        7: Layout(name: "Q5_1", blockSize: 32, bytesPerBlock: 24),
        8: Layout(name: "Q8_0", blockSize: 32, bytesPerBlock: 34),
        9: Layout(name: "Q8_1", blockSize: 32, bytesPerBlock: 36),
        10: Layout(name: "Q2_K", blockSize: 256, bytesPerBlock: 84),
        11: Layout(name: "Q3_K", blockSize: 256, bytesPerBlock: 110),
        12: Layout(name: "Q4_K", blockSize: 256, bytesPerBlock: 144),
        13: Layout(name: "Q5_K", blockSize: 256, bytesPerBlock: 176),
        14: Layout(name: "Q6_K", blockSize: 256, bytesPerBlock: 210),
        15: Layout(name: "Q8_K", blockSize: 256, bytesPerBlock: 292),
        20: Layout(name: "IQ4_NL", blockSize: 32, bytesPerBlock: 18),
        23: Layout(name: "IQ4_XS", blockSize: 256, bytesPerBlock: 136),
        24: Layout(name: "I8", blockSize: 1, bytesPerBlock: 1),
        25: Layout(name: "I16", blockSize: 1, bytesPerBlock: 2),
        26: Layout(name: "I32", blockSize: 1, bytesPerBlock: 4),
        27: Layout(name: "I64", blockSize: 1, bytesPerBlock: 8),
        28: Layout(name: "F64", blockSize: 1, bytesPerBlock: 8),
        30: Layout(name: "BF16", blockSize: 1, bytesPerBlock: 2),
    ]
}
