import Foundation

/// Writes configuration files atomically, creating the folder and keeping an existing file's permissions (it may
/// hold an API key and be readable by its owner only).
enum ConfigurationFileWriter {
    static func write(_ text: String, to path: String) throws(ConfigurationError) {
        let url = URL(fileURLWithPath: path)
        let manager = FileManager.default
        let permissions = (try? manager.attributesOfItem(atPath: path))?[.posixPermissions]
        do {
            try manager.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try Data(text.utf8).write(to: url, options: .atomic)
            if let permissions {
                try manager.setAttributes([.posixPermissions: permissions], ofItemAtPath: path)
            }
        } catch {
            throw ConfigurationError(
                kind: .writeFailed, origin: .file(path: path, line: nil, column: nil),
                detail: "cannot write the configuration file: \(error.localizedDescription)")
        }
    }
}
