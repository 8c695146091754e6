import BotticelliCore
import Foundation

/// Writes small GGUF files for tests: a header with the given metadata and tensors, then zeroed tensor data.
///
/// Tensor offsets are laid out like llama.cpp's writer does (each tensor aligned) unless a tensor sets its own,
/// which is how tests craft misplaced tensors.
public struct GGUFWriter: Sendable {
    /// A tensor to describe in the header; its data is written as zeros.
    public struct Tensor: Sendable {
        public var name: String
        public var dimensions: [UInt64]
        public var type: GGMLType
        /// The data offset to write instead of the computed one.
        public var offsetOverride: UInt64?

        public init(name: String, dimensions: [UInt64], type: GGMLType = .f32, offsetOverride: UInt64? = nil) {
            self.name = name
            self.dimensions = dimensions
            self.type = type
            self.offsetOverride = offsetOverride
        }

        /// The data size; a type without a known layout gets one byte per element.
        public var byteCount: UInt64 {
            let elements = dimensions.reduce(1, *)
            guard let layout = type.layout else { return elements }
            return elements / layout.blockSize * layout.bytesPerBlock
        }
    }

    public var version: UInt32
    public var metadata: [GGUFMetadataEntry]
    public var tensors: [Tensor]
    /// Bytes removed from the end of the finished file, to make it truncated.
    public var truncateBy = 0

    public init(version: UInt32 = 3, metadata: [GGUFMetadataEntry] = [], tensors: [Tensor] = []) {
        self.version = version
        self.metadata = metadata
        self.tensors = tensors
    }

    /// Adds a metadata entry.
    public mutating func set(_ key: String, _ value: GGUFValue) {
        metadata.append(GGUFMetadataEntry(key: key, value: value))
    }

    /// The alignment the file declares, or GGUF's default of 32.
    public var alignment: UInt64 {
        if let entry = metadata.last(where: { $0.key == "general.alignment" }), case .uint32(let value) = entry.value,
            value > 0
        {
            return UInt64(value)
        }
        return 32
    }

    /// The offsets the tensors get in the data section: packed in order, each aligned, unless overridden.
    public var tensorOffsets: [UInt64] {
        zip(tensors, naturalLayout.offsets).map { $0.offsetOverride ?? $1 }
    }

    /// Where each tensor's data goes when packed in order, and where the last one ends.
    private var naturalLayout: (offsets: [UInt64], end: UInt64) {
        var next: UInt64 = 0
        var end: UInt64 = 0
        let offsets = tensors.map { tensor in
            let offset = next
            end = offset + tensor.byteCount
            next = (end + alignment - 1) / alignment * alignment
            return offset
        }
        return (offsets, end)
    }

    /// The whole file.
    public func build() -> Data {
        var writer = GGUFByteWriter()
        writer.appendRaw(Array("GGUF".utf8))
        writer.append(version)
        writer.append(UInt64(tensors.count))
        writer.append(UInt64(metadata.count))
        for entry in metadata {
            writer.append(string: entry.key)
            writer.append(typedValue: entry.value)
        }
        for (tensor, offset) in zip(tensors, tensorOffsets) {
            writer.append(string: tensor.name)
            writer.append(UInt32(tensor.dimensions.count))
            for size in tensor.dimensions {
                writer.append(size)
            }
            writer.append(tensor.type.rawValue)
            writer.append(offset)
        }
        if !tensors.isEmpty {
            writer.pad(to: Int(alignment))
            // Overridden offsets do not move the data: that is how a test points a tensor outside the file.
            writer.appendRaw([UInt8](repeating: 0, count: Int(naturalLayout.end)))
        }
        var bytes = writer.bytes
        bytes.removeLast(min(truncateBy, bytes.count))
        return Data(bytes)
    }
}
