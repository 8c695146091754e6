import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// An exclusive `flock` on a lock file, shared with other processes (huggingface_hub's `filelock` uses the
/// same call). The lock is released when ``release()`` is called or the object is freed.
final class FileLock: Sendable {
    let path: String
    private let descriptor: Int32

    private init(path: String, descriptor: Int32) {
        self.path = path
        self.descriptor = descriptor
    }

    deinit {
        flock(descriptor, LOCK_UN)
        close(descriptor)
    }

    /// Tries once; nil when another holder has it.
    static func tryAcquire(path: String) throws(HubError) -> FileLock? {
        try FileSystem.createDirectory((path as NSString).deletingLastPathComponent)
        let descriptor = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else { throw FileSystem.failure("open the lock file", path) }
        while flock(descriptor, LOCK_EX | LOCK_NB) != 0 {
            if errno == EINTR { continue }
            let code = errno
            close(descriptor)
            guard code == EWOULDBLOCK else { throw FileSystem.failure("lock", path) }
            return nil
        }
        return FileLock(path: path, descriptor: descriptor)
    }

    /// Waits until the lock is free, polling so that no thread blocks and cancellation is honoured.
    static func acquire(path: String, onWait: @Sendable () -> Void = {}) async throws -> FileLock {
        var announced = false
        while true {
            if let lock = try tryAcquire(path: path) { return lock }
            if !announced {
                onWait()
                announced = true
            }
            try await Task.sleep(for: .milliseconds(100))
        }
    }

    /// Whether a lock file is held by anyone right now.
    static func isHeld(path: String) -> Bool {
        guard FileSystem.entryExists(path) else { return false }
        return (try? tryAcquire(path: path)) == nil
    }
}
