extension HubCache {
    /// The files a reference selects among the cached snapshot of `revision`; nil unless every one is there
    /// (all parts of a split model included).
    public func cachedModelFiles(_ reference: RepositoryFileSelector, revision: String = "main") throws(HubError)
        -> [HubRepoFile]?
    {
        try HubNames.validateRevision(revision)
        guard let commit = commit(repo: reference.repo, revision: revision) else { return nil }
        let present = snapshotFiles(folder: repoDirectory(reference.repo), commit: commit).compactMap { file in
            file.size.map { HubRepoFile(path: file.filename, size: $0) }
        }
        guard let selected = try? reference.selectFiles(from: present), let first = selected.first else { return nil }
        if let parts = RepositoryFileSelector.splitCount(first.path), selected.count != parts { return nil }
        return selected
    }
}
