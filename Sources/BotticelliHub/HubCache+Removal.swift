import Foundation

/// What ``HubCache/prune()`` removed.
public struct PruneReport: Sendable, Equatable {
    public var bytesFreed: Int64 = 0
    /// The files removed: abandoned partial downloads and blobs no snapshot links to.
    public var removedPaths: [String] = []
}

extension HubCache {
    /// Removes a file from a snapshot, and its blob when no other snapshot links to it. Returns the bytes freed.
    @discardableResult
    public func removeFile(repo: String, filename: String, revision: String = "main") throws(HubError) -> Int64 {
        try HubNames.validateRepo(repo)
        try HubNames.validateFilename(filename)
        try HubNames.validateRevision(revision)
        guard let commit = commit(repo: repo, revision: revision) else {
            throw HubError(.entryNotFound, "\(repo) has no cached snapshot for \(revision) in \(root)")
        }
        let path = snapshotPath(repo: repo, commit: commit, filename: filename)
        guard FileSystem.entryExists(path) else {
            throw HubError(.entryNotFound, "\(filename) of \(repo) is not in the cache (looked for \(path))")
        }
        let folder = repoDirectory(repo)
        let blob = snapshotFiles(folder: folder, commit: commit).first { $0.filename == filename }?.blobPath
        try FileSystem.remove(path)
        removeEmptyFolders(from: (path as NSString).deletingLastPathComponent, upTo: "\(folder)/snapshots")
        guard let blob, !referencedBlobs(folder: folder).contains(blob) else { return 0 }
        let size = FileSystem.size(blob) ?? 0
        try FileSystem.remove(blob)
        return size
    }

    /// Removes a whole repository from the cache. Returns the bytes its blobs took.
    @discardableResult
    public func removeRepo(_ repo: String) throws(HubError) -> Int64 {
        guard let cached = try cachedRepo(repo) else { return 0 }
        do {
            try FileManager.default.removeItem(atPath: cached.path)
        } catch {
            throw HubError(.fileSystem, "could not remove \(cached.path): \(error)")
        }
        return cached.sizeOnDisk
    }

    /// Removes partial downloads that no process is working on, and blobs that no snapshot links to.
    public func prune() throws(HubError) -> PruneReport {
        var report = PruneReport()
        for repo in cachedRepos() {
            let referenced = referencedBlobs(folder: repo.path)
            for name in FileSystem.contents("\(repo.path)/blobs") {
                let path = "\(repo.path)/blobs/\(name)"
                if name.hasSuffix(".incomplete") {
                    // Ours is `<etag>.incomplete`, huggingface_hub's `<etag>.<random>.incomplete`: both lock `<etag>`.
                    let etag = String(name.prefix { $0 != "." })
                    if FileLock.isHeld(path: lockPath(repo: repo.repo, etag: etag)) { continue }
                    report.bytesFreed += FileSystem.size(path) ?? 0
                    try FileSystem.remove(path)
                    try FileSystem.remove(path + ".ranges")
                    report.removedPaths.append(path)
                } else if !Self.isPartial(name), !referenced.contains(path) {
                    report.bytesFreed += FileSystem.size(path) ?? 0
                    try FileSystem.remove(path)
                    report.removedPaths.append(path)
                }
            }
        }
        return report
    }

    /// The blob paths that some snapshot symlink points to.
    func referencedBlobs(folder: String) -> Set<String> {
        var blobs = Set<String>()
        for commit in FileSystem.contents("\(folder)/snapshots") {
            for file in snapshotFiles(folder: folder, commit: commit) { blobs.insert(file.blobPath) }
        }
        return blobs
    }

    private func removeEmptyFolders(from start: String, upTo stop: String) {
        var folder = start
        while folder.count > stop.count, folder.hasPrefix(stop), FileSystem.contents(folder).isEmpty {
            try? FileManager.default.removeItem(atPath: folder)
            folder = (folder as NSString).deletingLastPathComponent
        }
    }
}
