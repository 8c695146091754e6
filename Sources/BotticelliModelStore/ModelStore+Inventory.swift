import BotticelliCore
import BotticelliHub

extension ModelStore {
    /// Every complete GGUF model in the cache (projector files excluded), one per repository file: the
    /// snapshot that a ref points to wins over older ones. Sorted by name.
    public func installedModels() -> [InstalledModel] {
        var found: [String: InstalledModel] = [:]
        for repo in cache.cachedRepos() {
            // Snapshots with refs first, so that `main` wins over a stale commit of the same file.
            for snapshot in repo.snapshots.sorted(by: { $0.refs.count > $1.refs.count }) {
                for file in snapshot.files {
                    let lowered = file.filename.lowercased()
                    guard lowered.hasSuffix(".gguf"), !lowered.contains("mmproj"), let size = file.size else {
                        continue
                    }
                    let key = "\(repo.repo)\u{0}\(file.filename)"
                    if found[key] != nil { continue }
                    found[key] = InstalledModel(
                        repo: repo.repo, filename: file.filename, path: file.path, sizeBytes: size,
                        commit: snapshot.commit, refs: snapshot.refs,
                        spec: registry.model(repo: repo.repo, filename: file.filename))
                }
            }
        }
        return found.values.sorted { $0.name < $1.name }
    }

    /// The registry ids whose file is in the cache.
    public func downloadedIDs() -> Set<String> {
        Set(installedModels().compactMap { $0.spec?.id })
    }

    /// Removes a model's file from every cached snapshot of its repository, and each blob no snapshot still uses.
    ///
    /// - Returns: the bytes freed.
    /// - Throws: ``ModelStoreError`` when the model is not in the cache, or is a local file (which is the
    ///   user's, not ours to delete).
    @discardableResult
    public func remove(_ source: ModelSource) throws -> Int64 {
        let targets: [(repo: String, filename: String)]
        switch source {
        case .localFile(let path):
            throw ModelStoreError(
                .notRemovable, "\(path) is not in the cache: it is your own file; delete it yourself if you wish")
        case .registry(let spec):
            targets = [(spec.hfRepo, spec.filename)]
        case .hubFile(let repo, let filename, _):
            targets = [(repo, filename)]
        case .repository(let repo, let quantization, let revision):
            let selector = try RepositoryFileSelector(repo: repo, quantization: quantization)
            let files = try cache.cachedModelFiles(selector, revision: revision) ?? []
            targets = files.map { (repo, $0.path) }
        }
        var freed: Int64 = 0
        var removedAny = false
        for target in targets {
            guard let cached = try cache.cachedRepo(target.repo) else { continue }
            for snapshot in cached.snapshots where snapshot.files.contains(where: { $0.filename == target.filename }) {
                freed += try cache.removeFile(repo: target.repo, filename: target.filename, revision: snapshot.commit)
                removedAny = true
            }
        }
        guard removedAny else {
            throw ModelStoreError(
                .notCached,
                "\(source.displayName) is not in the cache (\(cache.root)); `botticelli_server cache ls` lists what is")
        }
        return freed
    }
}
