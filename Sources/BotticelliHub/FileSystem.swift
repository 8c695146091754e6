import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// Small POSIX helpers with every return code checked, turned into ``HubError``s.
enum FileSystem {
    static func errorText() -> String { String(cString: strerror(errno)) }

    /// The error for a failed call, from `errno`: a full disk (or quota) is ``HubError/Code/insufficientDiskSpace``,
    /// which the downloader turns into a message that says how much was needed.
    static func failure(_ action: String, _ path: String) -> HubError {
        let full = errno == ENOSPC || errno == EDQUOT
        return HubError(full ? .insufficientDiskSpace : .fileSystem, "could not \(action) \(path): \(errorText())")
    }

    /// The size of the file at `path` (following symlinks), or nil when it does not exist.
    static func size(_ path: String) -> Int64? {
        var status = stat()
        guard stat(path, &status) == 0 else { return nil }
        return Int64(status.st_size)
    }

    /// Whether something exists at `path`, without following a final symlink.
    static func entryExists(_ path: String) -> Bool {
        var status = stat()
        return lstat(path, &status) == 0
    }

    static func isSymlink(_ path: String) -> Bool {
        var status = stat()
        return lstat(path, &status) == 0 && (status.st_mode & S_IFMT) == S_IFLNK
    }

    static func createDirectory(_ path: String) throws(HubError) {
        do {
            try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        } catch {
            throw HubError(.fileSystem, "could not create the folder \(path): \(error)")
        }
    }

    /// Removes a file or symlink; a missing one is not an error.
    static func remove(_ path: String) throws(HubError) {
        guard unlink(path) == 0 || errno == ENOENT else { throw failure("remove", path) }
    }

    static func rename(_ from: String, _ to: String) throws(HubError) {
        guard Foundation.rename(from, to) == 0 else { throw failure("rename \(from) to", to) }
    }

    /// Writes `data` to `path` atomically: a temporary file beside it, fsync'd, then renamed over it.
    static func writeAtomically(_ data: Data, to path: String) throws(HubError) {
        let temporary = path + ".tmp-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        let descriptor = open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else { throw failure("create", temporary) }
        var written = 0
        let ok = data.withUnsafeBytes { buffer -> Bool in
            while written < buffer.count {
                let result = write(descriptor, buffer.baseAddress! + written, buffer.count - written)
                if result < 0 {
                    if errno == EINTR { continue }
                    return false
                }
                written += result
            }
            return fsync(descriptor) == 0
        }
        let error = ok ? nil : failure("write", temporary)
        close(descriptor)
        if let error {
            unlink(temporary)
            throw error
        }
        try rename(temporary, path)
    }

    /// Free bytes for an unprivileged user on the file system that holds `path`.
    static func availableBytes(at path: String) -> Int64? {
        var info = statvfs()
        guard statvfs(path, &info) == 0 else { return nil }
        return Int64(info.f_bavail) * Int64(info.f_frsize)
    }

    /// Removes `.` and `..` components lexically, without touching the disk.
    static func normalize(_ path: String) -> String {
        var parts: [Substring] = []
        for part in path.split(separator: "/") {
            if part == "." { continue }
            if part == ".." {
                if !parts.isEmpty { parts.removeLast() }
                continue
            }
            parts.append(part)
        }
        return (path.hasPrefix("/") ? "/" : "") + parts.joined(separator: "/")
    }

    /// The entries of a folder, or an empty list when it does not exist.
    static func contents(_ path: String) -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []).sorted()
    }
}
