import Foundation

/// A file of a cached snapshot.
public struct CachedFile: Sendable, Equatable {
    /// The path inside the repository.
    public var filename: String
    /// The snapshot path (a symlink).
    public var path: String
    /// The blob the symlink points to.
    public var blobPath: String
    /// The blob's size in bytes; nil when the symlink dangles.
    public var size: Int64?
}

/// One commit of a repository in the cache.
public struct CachedSnapshot: Sendable, Equatable {
    public var commit: String
    /// The branches and tags (from `refs/`) that point to this commit.
    public var refs: [String]
    public var files: [CachedFile]
}

/// A repository in the cache, with the bytes its blobs take.
public struct CachedRepo: Sendable, Equatable {
    /// `org/name`.
    public var repo: String
    public var path: String
    /// The bytes of every complete blob, shared or not.
    public var sizeOnDisk: Int64
    public var snapshots: [CachedSnapshot]
}

extension HubCache {
    /// Every model repository in the cache, sorted by name.
    public func cachedRepos() -> [CachedRepo] {
        FileSystem.contents(root).filter { $0.hasPrefix("models--") }.map { folder in
            let repo = folder.dropFirst("models--".count).components(separatedBy: "--").joined(separator: "/")
            return cachedRepo(repo: repo, folder: "\(root)/\(folder)")
        }
    }

    /// One repository's snapshots, or nil when it is not cached.
    public func cachedRepo(_ repo: String) throws(HubError) -> CachedRepo? {
        try HubNames.validateRepo(repo)
        let folder = repoDirectory(repo)
        return FileSystem.entryExists(folder) ? cachedRepo(repo: repo, folder: folder) : nil
    }

    private func cachedRepo(repo: String, folder: String) -> CachedRepo {
        let refs = refsByCommit(folder: folder)
        let snapshots = FileSystem.contents("\(folder)/snapshots").map { commit in
            CachedSnapshot(
                commit: commit, refs: refs[commit, default: []].sorted(),
                files: snapshotFiles(folder: folder, commit: commit))
        }
        let blobs = FileSystem.contents("\(folder)/blobs").filter { !Self.isPartial($0) }
        let size = blobs.reduce(Int64(0)) { $0 + (FileSystem.size("\(folder)/blobs/\($1)") ?? 0) }
        return CachedRepo(repo: repo, path: folder, sizeOnDisk: size, snapshots: snapshots)
    }

    /// The files of a snapshot, nested paths included, sorted by name.
    func snapshotFiles(folder: String, commit: String) -> [CachedFile] {
        let base = "\(folder)/snapshots/\(commit)"
        guard let enumerator = FileManager.default.enumerator(atPath: base) else { return [] }
        var files: [CachedFile] = []
        while let relative = enumerator.nextObject() as? String {
            let path = "\(base)/\(relative)"
            guard FileSystem.isSymlink(path),
                let target = try? FileManager.default.destinationOfSymbolicLink(atPath: path)
            else { continue }
            let blobPath = FileSystem.normalize((path as NSString).deletingLastPathComponent + "/" + target)
            files.append(CachedFile(filename: relative, path: path, blobPath: blobPath, size: FileSystem.size(path)))
        }
        return files.sorted { $0.filename < $1.filename }
    }

    private func refsByCommit(folder: String) -> [String: [String]] {
        let base = "\(folder)/refs"
        guard let enumerator = FileManager.default.enumerator(atPath: base) else { return [:] }
        var result: [String: [String]] = [:]
        while let relative = enumerator.nextObject() as? String {
            guard let data = FileManager.default.contents(atPath: "\(base)/\(relative)"),
                let commit = String(data: data, encoding: .utf8)?.trimmingCharacters(in: .whitespacesAndNewlines),
                Self.isCommitHash(commit)
            else { continue }
            result[commit, default: []].append(relative)
        }
        return result
    }

    static func isPartial(_ blobName: String) -> Bool {
        blobName.hasSuffix(".incomplete") || blobName.hasSuffix(".ranges") || blobName.contains(".tmp-")
    }
}
