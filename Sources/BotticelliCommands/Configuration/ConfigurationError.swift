/// Why the configuration could not be located, read, parsed, validated or written.
///
/// The description names where the problem is (file and line, environment variable or flag), the key, and what is
/// allowed, so that the user can fix it without reading the documentation.
public struct ConfigurationError: Error, Sendable, Equatable, CustomStringConvertible {
    public enum Kind: String, Sendable, Equatable {
        /// The file is not valid TOML.
        case syntax
        /// A key or table that the schema does not know, probably misspelt.
        case unknownKey
        /// A value of the wrong TOML type, such as a string where an integer belongs.
        case wrongType
        /// A value of the right type that is not allowed, such as a port out of range.
        case invalidValue
        /// A key that an entry needs is absent.
        case missingKey
        /// Two keys that exclude each other, or one that needs another.
        case conflictingKeys
        /// A file named by `--config` or `BOTTICELLI_CONFIG` does not exist.
        case fileNotFound
        /// The file exists but could not be read.
        case unreadableFile
        /// `config init` would overwrite a file.
        case fileExists
        /// The file could not be written or edited.
        case writeFailed
    }

    /// Where the problem is.
    public enum Origin: Sendable, Equatable {
        case file(path: String, line: Int?, column: Int?)
        case environment(variable: String)
        case flag(name: String)
    }

    public let kind: Kind
    public let origin: Origin?
    /// The dotted key, such as `server.port` or `models[1].filename`, when the problem is about one key.
    public let key: String?
    /// What is wrong and what is allowed.
    public let detail: String

    public init(kind: Kind, origin: Origin?, key: String? = nil, detail: String) {
        self.kind = kind
        self.origin = origin
        self.key = key
        self.detail = detail
    }

    /// The line in the file, when the problem is in a file and its line is known.
    public var line: Int? {
        if case .file(_, let line, _) = origin { return line }
        return nil
    }

    public var description: String {
        switch origin {
        case .file(let path, let line?, let column?): "\(path):\(line):\(column): \(detail)"
        case .file(let path, let line?, nil): "\(path):\(line): \(detail)"
        case .file(let path, nil, _): "\(path): \(detail)"
        case .environment(let variable): "environment variable \(variable): \(detail)"
        case .flag(let name): "\(name): \(detail)"
        case nil: detail
        }
    }
}
