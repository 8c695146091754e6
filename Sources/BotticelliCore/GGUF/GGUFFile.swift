/// The header of a GGUF file: its metadata and tensor descriptions.
///
/// Produced by ``GGUFReader``; the model-level facts (architecture, context length, …) are in
/// `GGUFFile+Model.swift`.
public struct GGUFFile: Sendable {
    /// The format version, 2 or 3.
    public let version: UInt32
    /// Every metadata entry, in file order.
    public let metadata: [GGUFMetadataEntry]
    /// Every tensor description, in file order.
    public let tensors: [GGUFTensorInfo]
    /// The data section's alignment (`general.alignment`, default 32).
    public let alignment: UInt64
    /// Where the tensor data starts: the end of the header, padded to the alignment.
    public let dataOffset: UInt64
    /// The file's size in bytes.
    public let fileSize: UInt64

    private let index: [String: Int]

    public init(
        version: UInt32, metadata: [GGUFMetadataEntry], tensors: [GGUFTensorInfo], alignment: UInt64,
        dataOffset: UInt64, fileSize: UInt64
    ) {
        self.version = version
        self.metadata = metadata
        self.tensors = tensors
        self.alignment = alignment
        self.dataOffset = dataOffset
        self.fileSize = fileSize
        var index: [String: Int] = [:]
        for (position, entry) in metadata.enumerated() where index[entry.key] == nil {
            index[entry.key] = position
        }
        self.index = index
    }

    /// The value stored under `key`, if any.
    public subscript(key: String) -> GGUFValue? {
        index[key].map { metadata[$0].value }
    }
}
