/// A tensor's description from the header: its name, shape, type and where its data lies.
public struct GGUFTensorInfo: Sendable, Equatable {
    /// The tensor's name, such as `blk.0.attn_q.weight`.
    public let name: String
    /// The size of each dimension, innermost first (ggml's `ne`).
    public let dimensions: [UInt64]
    /// The element type.
    public let type: GGMLType
    /// The data's offset from the start of the file's data section.
    public let offset: UInt64
    /// The number of elements (the product of the dimensions).
    public let elementCount: UInt64
    /// The data's size in bytes, or nil when the type is unknown to this reader.
    public let byteCount: UInt64?

    public init(
        name: String, dimensions: [UInt64], type: GGMLType, offset: UInt64, elementCount: UInt64, byteCount: UInt64?
    ) {
        self.name = name
        self.dimensions = dimensions
        self.type = type
        self.offset = offset
        self.elementCount = elementCount
        self.byteCount = byteCount
    }
}
