import Foundation

/// Where the reader's bytes come from: a file read on demand, or bytes already in memory.
protocol GGUFByteSource {
    /// The total number of bytes.
    var size: UInt64 { get }
    /// Up to `count` bytes starting at `offset`; fewer only at the end of the source.
    func read(at offset: UInt64, count: Int) throws -> [UInt8]
}

/// Bytes in memory, for tests and the fuzzer.
struct GGUFDataSource: GGUFByteSource {
    let data: Data

    var size: UInt64 { UInt64(data.count) }

    func read(at offset: UInt64, count: Int) throws -> [UInt8] {
        guard offset < size, count > 0 else { return [] }
        let start = data.startIndex + Int(offset)
        let end = start + min(count, data.endIndex - start)
        return [UInt8](data[start..<end])
    }
}

/// A file read through a `FileHandle`, a chunk at a time, so only the header is ever read.
final class GGUFFileSource: GGUFByteSource {
    private let handle: FileHandle
    private let path: String
    let size: UInt64

    init(path: String) throws {
        self.path = path
        do {
            handle = try FileHandle(forReadingFrom: URL(fileURLWithPath: path))
            size = try handle.seekToEnd()
        } catch {
            throw GGUFError(
                kind: .unreadable, field: "the file", offset: 0, expected: "a readable file",
                found: "\(error.localizedDescription)", path: path)
        }
    }

    deinit {
        try? handle.close()
    }

    func read(at offset: UInt64, count: Int) throws -> [UInt8] {
        do {
            try handle.seek(toOffset: offset)
            let data = try handle.read(upToCount: count) ?? Data()
            return [UInt8](data)
        } catch {
            throw GGUFError(
                kind: .unreadable, field: "\(count) bytes", offset: offset, expected: "a readable file",
                found: "\(error.localizedDescription)", path: path)
        }
    }
}
