/// Reads little-endian fields one after another from a byte source, through a buffer of one chunk.
///
/// Every read first checks the bytes left in the source, so a length field in a hostile file can never make the
/// reader allocate or read more than the file holds.
struct GGUFCursor {
    private let source: any GGUFByteSource
    private var buffer: [UInt8] = []
    private var bufferStart: UInt64 = 0
    /// The offset of the next byte to read; never more than `size`.
    private(set) var position: UInt64 = 0
    let size: UInt64

    /// Large enough that a typical header (a tokenizer of 50 000 to 150 000 strings) takes a handful of reads.
    private static let chunkSize = 1 << 20
    /// Larger than any real metadata string (chat templates are kilobytes); bounds memory on a hostile file.
    static let maximumStringLength: UInt64 = 64 << 20

    init(source: any GGUFByteSource) {
        self.source = source
        self.size = source.size
    }

    var remaining: UInt64 { size - position }

    /// The next `count` bytes, or a `truncated` error naming `field` when the source ends first.
    mutating func take(_ count: UInt64, _ field: @autoclosure () -> String) throws -> ArraySlice<UInt8> {
        let start = try advance(count, field())
        return buffer[start..<start + Int(count)]
    }

    /// Makes the next `count` bytes available in `buffer`, moves past them and returns where they start there.
    private mutating func advance(_ count: UInt64, _ field: @autoclosure () -> String) throws -> Int {
        guard count <= remaining else {
            throw GGUFError(
                kind: .truncated, field: field(), offset: position, expected: "\(count) bytes",
                found: "\(remaining) bytes before the end of the file")
        }
        let bufferEnd = bufferStart + UInt64(buffer.count)
        if position < bufferStart || position + count > bufferEnd {
            // count <= remaining, and remaining came from a file size or an in-memory count: it fits an Int.
            let want = min(max(Int(count), Self.chunkSize), Int(clamping: remaining))
            buffer = try source.read(at: position, count: want)
            bufferStart = position
            guard UInt64(buffer.count) >= count else {
                // The file shrank while being read.
                throw GGUFError(
                    kind: .truncated, field: field(), offset: position, expected: "\(count) bytes",
                    found: "\(buffer.count) bytes before the end of the file")
            }
        }
        let start = Int(position - bufferStart)
        position += count
        return start
    }

    mutating func readUInt8(_ field: @autoclosure () -> String) throws -> UInt8 {
        buffer[try advance(1, field())]
    }

    mutating func readUInt16(_ field: @autoclosure () -> String) throws -> UInt16 {
        try readLittleEndian(UInt16.self, field())
    }

    mutating func readUInt32(_ field: @autoclosure () -> String) throws -> UInt32 {
        try readLittleEndian(UInt32.self, field())
    }

    mutating func readUInt64(_ field: @autoclosure () -> String) throws -> UInt64 {
        try readLittleEndian(UInt64.self, field())
    }

    private mutating func readLittleEndian<Integer: FixedWidthInteger>(
        _ type: Integer.Type, _ field: @autoclosure () -> String
    ) throws -> Integer {
        let start = try advance(UInt64(MemoryLayout<Integer>.size), field())
        // advance() guarantees the bytes are in the buffer.
        return buffer.withUnsafeBytes { bytes in
            Integer(littleEndian: bytes.loadUnaligned(fromByteOffset: start, as: Integer.self))
        }
    }

    /// A GGUF string: a 64-bit byte length, then that many bytes of UTF-8 (invalid sequences are replaced).
    /// Allocates only after the length is checked against the bytes left.
    mutating func readString(_ field: @autoclosure () -> String) throws -> String {
        let lengthOffset = position
        let length = try readUInt64("\(field()) length")
        // A length no real string has is reported as such; a plausible one that runs past the end is a truncation.
        guard length <= Self.maximumStringLength else {
            throw GGUFError(
                kind: .stringTooLong, field: "\(field()) length", offset: lengthOffset,
                expected: "at most \(Self.maximumStringLength) bytes (no real metadata string is longer)",
                found: "\(length) bytes")
        }
        let start = try advance(length, field())
        return buffer.withUnsafeBufferPointer { bytes in
            String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<start + Int(length)]), as: UTF8.self)
        }
    }
}
