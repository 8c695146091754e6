import Foundation

extension HubCache {
    /// The SHA-256 of a file on disk, in hex: what the Hub's LFS etag of the same content is.
    public static func sha256(ofFile path: String) throws(HubError) -> String {
        let file = try PartialFile(path: path)
        guard let size = FileSystem.size(path) else { throw FileSystem.failure("read", path) }
        return try ContentVerifier.digest(of: file, size: size, kind: .sha256) ?? ""
    }

    /// Files a local file in the cache as `filename` of `repo` at `commit`, exactly as a download would have:
    /// the blob named by its SHA-256, the snapshot symlink, and `refs/main` when `setMain` (for repositories that
    /// exist only locally). The blob is a copy, or a hard link to the original when `link` is set (same file system
    /// only). It appears under its final name only once complete, so a crash leaves no half blob behind.
    ///
    /// - Returns: the snapshot path.
    @discardableResult
    public func importFile(
        at path: String, sha256: String, repo: String, filename: String, commit: String, setMain: Bool,
        link: Bool
    ) throws(HubError) -> String {
        try HubNames.validateRepo(repo)
        try HubNames.validateFilename(filename)
        guard Self.isCommitHash(commit) else { throw HubError.invalidName("commit", commit, "expected 40 hex digits") }
        let blob = blobPath(repo: repo, etag: sha256)
        try FileSystem.createDirectory((blob as NSString).deletingLastPathComponent)
        if FileSystem.size(blob) == nil {
            let temporary = blob + ".tmp-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
            do {
                if link {
                    try FileManager.default.linkItem(atPath: path, toPath: temporary)
                } else {
                    try FileManager.default.copyItem(atPath: path, toPath: temporary)
                }
            } catch {
                try? FileSystem.remove(temporary)
                let how = link ? "hard-link (the cache must be on the same file system; drop --link to copy)" : "copy"
                throw HubError(.fileSystem, "could not \(how) \(path) into \(blob): \(error.localizedDescription)")
            }
            try FileSystem.rename(temporary, blob)
        }
        try linkSnapshot(repo: repo, commit: commit, filename: filename, etag: sha256)
        if setMain { try writeRef(repo: repo, revision: "main", commit: commit) }
        return snapshotPath(repo: repo, commit: commit, filename: filename)
    }
}
