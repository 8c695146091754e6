import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// The `<etag>.incomplete` file, written at arbitrary offsets by several chunks at once.
///
/// `pwrite` and `pread` carry their own offsets, so concurrent calls on the one descriptor are safe.
final class PartialFile: Sendable {
    let path: String
    private let descriptor: Int32

    init(path: String) throws(HubError) {
        self.path = path
        descriptor = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else { throw FileSystem.failure("open", path) }
    }

    deinit { close(descriptor) }

    func write(_ bytes: UnsafeRawBufferPointer, at offset: Int64) throws(HubError) {
        var done = 0
        while done < bytes.count {
            let result = pwrite(descriptor, bytes.baseAddress! + done, bytes.count - done, off_t(offset) + off_t(done))
            if result < 0 {
                if errno == EINTR { continue }
                throw FileSystem.failure("write to", path)
            }
            done += result
        }
    }

    func read(into buffer: UnsafeMutableRawBufferPointer, at offset: Int64) throws(HubError) -> Int {
        while true {
            let result = pread(descriptor, buffer.baseAddress!, buffer.count, off_t(offset))
            if result >= 0 { return result }
            if errno != EINTR { throw FileSystem.failure("read", path) }
        }
    }

    func truncate(to size: Int64) throws(HubError) {
        guard ftruncate(descriptor, off_t(size)) == 0 else { throw FileSystem.failure("truncate", path) }
    }

    /// Flushes written bytes to the disk, so that a ranges record written afterwards never claims lost data.
    func synchronize() throws(HubError) {
        guard fsync(descriptor) == 0 else { throw FileSystem.failure("flush", path) }
    }

    /// ``synchronize()`` on a thread outside the concurrency pool: with a gigabyte dirty, a flush waits on the disk
    /// for a second or more, and must hold up neither a pool thread nor the chunks that keep writing meanwhile.
    func synchronizeInBackground() async throws(HubError) {
        let outcome: HubError? = await withCheckedContinuation { continuation in
            DispatchQueue.global(qos: .utility).async {
                do throws(HubError) {
                    try self.synchronize()
                    continuation.resume(returning: nil)
                } catch {
                    continuation.resume(returning: error)
                }
            }
        }
        if let outcome { throw outcome }
    }

    var size: Int64 {
        var status = stat()
        return fstat(descriptor, &status) == 0 ? Int64(status.st_size) : 0
    }
}
