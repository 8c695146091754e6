/// Checks and encodes repository names, file names and revisions before they reach a URL or a path.
///
/// A name from a user or from a Hub listing becomes a file path in the cache, so anything that could leave
/// the cache folder (`..`, an absolute path, a backslash) or confuse a terminal (control characters) is refused.
public enum HubNames {
    /// Validates `org/name` (or `name`): one or two components of letters, digits, `-`, `_` and `.`.
    public static func validateRepo(_ repo: String) throws(HubError) {
        try rejectUnsafe("repository", repo)
        let parts = repo.split(separator: "/", omittingEmptySubsequences: false)
        guard (1...2).contains(parts.count) else {
            throw .invalidName("repository", repo, "expected `org/name`")
        }
        for part in parts {
            guard !part.isEmpty, part != ".", part != ".." else {
                throw .invalidName("repository", repo, "empty, `.` or `..` component")
            }
            guard part.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || "-_.".contains($0)) }) else {
                throw .invalidName("repository", repo, "only letters, digits, `-`, `_` and `.` are allowed")
            }
        }
    }

    /// Validates a path inside a repository: relative, `/`-separated, no empty, `.` or `..` components.
    public static func validateFilename(_ filename: String) throws(HubError) {
        try rejectUnsafe("file name", filename)
        try rejectTraversal("file name", filename)
    }

    /// Validates a branch, tag or commit; `refs/pr/1` is allowed, `..` is not.
    public static func validateRevision(_ revision: String) throws(HubError) {
        try rejectUnsafe("revision", revision)
        try rejectTraversal("revision", revision)
    }

    private static func rejectUnsafe(_ kind: String, _ value: String) throws(HubError) {
        guard !value.isEmpty else { throw .invalidName(kind, value, "it is empty") }
        guard !value.hasPrefix("/") else { throw .invalidName(kind, value, "absolute paths are not allowed") }
        guard !value.contains("\\") else { throw .invalidName(kind, value, "backslashes are not allowed") }
        guard !value.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7F }) else {
            throw .invalidName(kind, value, "control characters are not allowed")
        }
    }

    private static func rejectTraversal(_ kind: String, _ value: String) throws(HubError) {
        for part in value.split(separator: "/", omittingEmptySubsequences: false) {
            guard !part.isEmpty, part != ".", part != ".." else {
                throw .invalidName(kind, value, "empty, `.` or `..` path components are not allowed")
            }
        }
    }

    /// The cache folder of a model repository: `models--org--name`.
    public static func cacheFolder(repo: String) -> String {
        "models--" + repo.split(separator: "/").joined(separator: "--")
    }

    /// Percent-encodes everything but RFC 3986 unreserved characters (and `/` when `keepingSlash`).
    static func percentEncode(_ value: String, keepingSlash: Bool) -> String {
        var encoded = ""
        for byte in value.utf8 {
            let character = Character(Unicode.Scalar(byte))
            if byte < 0x80 && (character.isLetter || character.isNumber || "-._~".contains(character))
                || (keepingSlash && byte == UInt8(ascii: "/"))
            {
                encoded.append(character)
            } else {
                encoded += "%" + String(byte, radix: 16, uppercase: true).leftPadded(to: 2)
            }
        }
        return encoded
    }
}

extension String {
    fileprivate func leftPadded(to width: Int) -> String {
        count >= width ? self : String(repeating: "0", count: width - count) + self
    }
}
