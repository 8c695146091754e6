import Foundation

/// Reads the header of a GGUF file: metadata and tensor descriptions, never the tensor data.
///
/// Every count, length and offset is checked against the file's size before it is used, with overflow-checked
/// arithmetic, so any input either reads or throws a ``GGUFError``.
public enum GGUFReader {
    /// The versions this reader understands. Version 1 used 32-bit counts and has not been written since 2023.
    public static let supportedVersions: ClosedRange<UInt32> = 2...3
    /// The alignment of the data section when `general.alignment` is absent.
    public static let defaultAlignment: UInt64 = 32
    /// ggml's `GGML_MAX_DIMS`.
    public static let maximumDimensions: UInt32 = 4
    /// Arrays of arrays exist (merges in some tokenizers); deeper nesting than this is only seen in hostile files.
    static let maximumNesting = 8
    /// Larger than any real vocabulary (a few hundred thousand tokens); bounds memory on a hostile file.
    static let maximumArrayCount: UInt64 = 16 << 20

    /// Reads the header of the GGUF file at `path`.
    public static func read(path: String) throws -> GGUFFile {
        do {
            let source = try GGUFFileSource(path: path)
            return try read(source: source)
        } catch var error as GGUFError {
            error.path = path
            throw error
        }
    }

    /// Reads the header of the GGUF file at `url`.
    public static func read(url: URL) throws -> GGUFFile {
        try read(path: url.path)
    }

    /// Reads a GGUF header from bytes in memory.
    public static func read(data: Data) throws -> GGUFFile {
        try read(source: GGUFDataSource(data: data))
    }

    static func read(source: any GGUFByteSource) throws -> GGUFFile {
        var parser = GGUFParser(cursor: GGUFCursor(source: source))
        return try parser.parse()
    }
}
