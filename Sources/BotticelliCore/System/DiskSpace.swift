#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// Free disk space, for checking that a download fits before it starts.
public enum DiskSpace {
    /// Bytes an unprivileged user can still write on the file system holding `path` (`statvfs`'s `f_bavail`),
    /// looking at the nearest existing parent when `path` does not exist yet.
    public static func freeBytes(at path: String) throws -> UInt64 {
        var candidate = path.isEmpty ? "." : path
        while true {
            var stats = statvfs()
            if statvfs(candidate, &stats) == 0 {
                let (bytes, overflow) = UInt64(stats.f_bavail).multipliedReportingOverflow(
                    by: UInt64(stats.f_frsize))
                return overflow ? .max : bytes
            }
            let code = errno
            guard code == ENOENT, let slash = candidate.lastIndex(of: "/") else {
                throw DiskSpaceError(path: path, code: code)
            }
            candidate = slash == candidate.startIndex ? "/" : String(candidate[..<slash])
        }
    }
}

/// `statvfs` failed.
public struct DiskSpaceError: Error, Sendable, CustomStringConvertible {
    public let path: String
    public let code: Int32

    public var description: String {
        "cannot measure free disk space at \(path): \(String(cString: strerror(code))); check that the directory "
            + "is readable"
    }
}
