import Foundation

/// The Hub's cache, in the layout huggingface_hub and llama.cpp share, so each tool finds the others' files.
///
/// ```
/// <root>/models--org--name/blobs/<etag>
/// <root>/models--org--name/snapshots/<commit>/<filename> -> ../../blobs/<etag>
/// <root>/models--org--name/refs/<revision>            (the commit, no newline)
/// <root>/.locks/models--org--name/<etag>.lock
/// ```
public struct HubCache: Sendable, Equatable {
    /// The cache folder (`HF_HUB_CACHE`).
    public let root: String

    public init(root: String) {
        // An absolute, normalized root keeps every path built from it comparable with the links read back.
        let absolute = root.hasPrefix("/") ? root : FileManager.default.currentDirectoryPath + "/" + root
        self.root = FileSystem.normalize(absolute)
    }

    public init(environment: HubEnvironment) {
        self.init(root: environment.cacheDirectory)
    }

    func repoDirectory(_ repo: String) -> String { "\(root)/\(HubNames.cacheFolder(repo: repo))" }
    func blobPath(repo: String, etag: String) -> String { "\(repoDirectory(repo))/blobs/\(etag)" }
    func incompletePath(repo: String, etag: String) -> String { blobPath(repo: repo, etag: etag) + ".incomplete" }
    func lockPath(repo: String, etag: String) -> String {
        "\(root)/.locks/\(HubNames.cacheFolder(repo: repo))/\(etag).lock"
    }
    func refPath(repo: String, revision: String) -> String { "\(repoDirectory(repo))/refs/\(revision)" }
    func noExistPath(repo: String, commit: String, filename: String) -> String {
        "\(repoDirectory(repo))/.no_exist/\(commit)/\(filename)"
    }

    /// Where a file of a snapshot lives: `snapshots/<commit>/<filename>`.
    public func snapshotPath(repo: String, commit: String, filename: String) -> String {
        "\(repoDirectory(repo))/snapshots/\(commit)/\(filename)"
    }

    /// The commit a revision stands for: itself when a snapshot of that name exists, else what `refs/` says.
    public func commit(repo: String, revision: String) -> String? {
        if Self.isCommitHash(revision), FileSystem.entryExists("\(repoDirectory(repo))/snapshots/\(revision)") {
            return revision
        }
        guard let data = FileManager.default.contents(atPath: refPath(repo: repo, revision: revision)),
            let text = String(data: data, encoding: .utf8)
        else { return nil }
        let commit = text.trimmingCharacters(in: .whitespacesAndNewlines)
        return Self.isCommitHash(commit) ? commit : nil
    }

    /// The path of a cached file, without any request; nil when it is not in the cache.
    ///
    /// `revision` may be a branch or tag (resolved through `refs/`) or a commit hash.
    public func cachedFile(repo: String, filename: String, revision: String = "main") throws(HubError) -> String? {
        try HubNames.validateRepo(repo)
        try HubNames.validateFilename(filename)
        try HubNames.validateRevision(revision)
        guard let commit = commit(repo: repo, revision: revision) else { return nil }
        let path = snapshotPath(repo: repo, commit: commit, filename: filename)
        // `size` follows the symlink: a link whose blob was deleted does not count.
        return FileSystem.size(path) != nil ? path : nil
    }

    /// Whether the Hub said the file does not exist at that revision (huggingface_hub's `.no_exist` marker).
    public func isKnownMissing(repo: String, filename: String, revision: String = "main") -> Bool {
        guard let commit = commit(repo: repo, revision: revision) else { return false }
        return FileSystem.entryExists(noExistPath(repo: repo, commit: commit, filename: filename))
    }

    /// Records that the file does not exist at that commit: an empty `.no_exist/<commit>/<filename>`.
    func markMissing(repo: String, commit: String, filename: String) throws(HubError) {
        let path = noExistPath(repo: repo, commit: commit, filename: filename)
        try FileSystem.createDirectory((path as NSString).deletingLastPathComponent)
        guard FileManager.default.createFile(atPath: path, contents: nil) else {
            throw HubError(.fileSystem, "could not create \(path)")
        }
    }

    static func isCommitHash(_ value: String) -> Bool {
        value.utf8.count == 40 && value.allSatisfy { $0.isHexDigit && !$0.isUppercase }
    }

    /// Makes `snapshots/<commit>/<filename>` a relative symlink to `blobs/<etag>`, replacing what was there.
    func linkSnapshot(repo: String, commit: String, filename: String, etag: String) throws(HubError) {
        let path = snapshotPath(repo: repo, commit: commit, filename: filename)
        try FileSystem.createDirectory((path as NSString).deletingLastPathComponent)
        let depth = filename.split(separator: "/").count - 1
        let target = String(repeating: "../", count: 2 + depth) + "blobs/\(etag)"
        try FileSystem.remove(path)
        do {
            try FileManager.default.createSymbolicLink(atPath: path, withDestinationPath: target)
        } catch {
            throw HubError(.fileSystem, "could not link \(path) to \(target): \(error)")
        }
    }

    /// Records that `revision` pointed to `commit`. A commit hash needs no ref.
    func writeRef(repo: String, revision: String, commit: String) throws(HubError) {
        guard revision != commit else { return }
        let path = refPath(repo: repo, revision: revision)
        try FileSystem.createDirectory((path as NSString).deletingLastPathComponent)
        try FileSystem.writeAtomically(Data(commit.utf8), to: path)
    }
}
