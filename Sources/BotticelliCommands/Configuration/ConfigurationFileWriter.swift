import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// Writes configuration files atomically, creating the folder and keeping an existing file's permissions (it may
/// hold an API key and be readable by its owner only).
///
/// The text goes to a temporary file beside the target, which gets the target's permissions, is flushed to the disk,
/// then renamed over the target; the folder is flushed last. A process killed at any moment leaves the old file or the
/// new one, never a mix, and never the key readable by others. The temporary files of killed writers are removed by
/// the next write.
enum ConfigurationFileWriter {
    static func write(_ text: String, to path: String) throws(ConfigurationError) {
        let url = URL(fileURLWithPath: path)
        let folder = url.deletingLastPathComponent().path
        do {
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        } catch {
            throw failure(path, "cannot create the folder \(folder): \(error.localizedDescription)")
        }
        removeAbandonedTemporaries(of: path)
        var status = stat()
        let permissions = stat(path, &status) == 0 ? status.st_mode & 0o7777 : nil
        let temporary = temporaryPrefix(of: path) + "\(getpid()).\(UInt32.random(in: 0...UInt32.max))"
        let descriptor = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, permissions ?? 0o666)
        guard descriptor >= 0 else { throw failure(path, "cannot create \(temporary): \(errorText())") }
        var problem: String?
        if let permissions, fchmod(descriptor, permissions) != 0 {
            problem = "cannot set the permissions of \(temporary): \(errorText())"
        }
        if problem == nil { problem = writeAll(Array(text.utf8), to: descriptor) }
        if problem == nil, fsync(descriptor) != 0 { problem = "cannot flush \(temporary): \(errorText())" }
        if close(descriptor) != 0, problem == nil { problem = "cannot close \(temporary): \(errorText())" }
        if problem == nil, rename(temporary, path) != 0 {
            problem = "cannot rename \(temporary) to \(path): \(errorText())"
        }
        if let problem {
            unlink(temporary)
            throw failure(path, problem)
        }
        // The rename is durable once the folder's entry is on the disk; the file is already complete either way.
        let folderDescriptor = open(folder, O_RDONLY | O_CLOEXEC)
        if folderDescriptor >= 0 {
            _ = fsync(folderDescriptor)
            close(folderDescriptor)
        }
    }

    /// `.NAME.tmp-`: hidden, beside the target, so that the rename stays on one file system.
    static func temporaryPrefix(of path: String) -> String {
        let url = URL(fileURLWithPath: path)
        return url.deletingLastPathComponent().path + "/." + url.lastPathComponent + ".tmp-"
    }

    /// Removes the temporary files of writers that died before their rename (the process id is in the name).
    static func removeAbandonedTemporaries(of path: String) {
        let prefix = temporaryPrefix(of: path)
        let folder = URL(fileURLWithPath: path).deletingLastPathComponent().path
        let name = String(prefix.dropFirst(folder.count + 1))
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []
        for entry in entries where entry.hasPrefix(name) {
            guard let writer = entry.dropFirst(name.count).split(separator: ".").first.flatMap({ pid_t($0) }),
                writer != getpid(), kill(writer, 0) != 0, errno == ESRCH
            else { continue }
            unlink(folder + "/" + entry)
        }
    }

    fileprivate static func errorText() -> String { String(cString: strerror(errno)) }

    private static func failure(_ path: String, _ detail: String) -> ConfigurationError {
        ConfigurationError(
            kind: .writeFailed, origin: .file(path: path, line: nil, column: nil),
            detail: "cannot write the configuration file: \(detail)")
    }
}

/// Outside the enum, where `write` is the C function.
private func writeAll(_ bytes: [UInt8], to descriptor: Int32) -> String? {
    var written = 0
    while written < bytes.count {
        let result = bytes.withUnsafeBytes { buffer in
            write(descriptor, buffer.baseAddress! + written, buffer.count - written)
        }
        if result < 0 {
            if errno == EINTR { continue }
            return "cannot write the configuration: \(ConfigurationFileWriter.errorText())"
        }
        written += result
    }
    return nil
}
