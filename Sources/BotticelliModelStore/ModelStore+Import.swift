import BotticelliCore
import BotticelliHub
import Foundation

/// What `models import` did with a file.
public struct ImportedModel: Sendable, Equatable {
    /// The name to use for it from now on: the registry id, or `hf://local/<name>/<file>`.
    public var name: String
    public var path: String
    public var sha256: String
    /// The registry entry whose pinned checksum the file matched.
    public var spec: ModelSpec?
}

extension ModelStore {
    /// Puts a local GGUF file into the cache. A file whose SHA-256 matches a registry entry is filed as that entry
    /// (its repository, file name and pinned revision), so an air-gapped machine loaded from a USB stick still uses
    /// registry ids; any other file is filed under the local repository `local/<file name without .gguf>`.
    ///
    /// The file's GGUF header is checked first, so a damaged file is refused before it is copied.
    public func importModel(at path: String, link: Bool = false) throws -> ImportedModel {
        let absolute = Self.absolutePath(Self.expandingTilde(path))
        guard FileManager.default.fileExists(atPath: absolute) else {
            throw ModelStoreError(.fileNotFound, "model file not found: \(absolute)")
        }
        _ = try GGUFReader.read(path: absolute)
        let digest = try HubCache.sha256(ofFile: absolute)
        if let spec = registry.models.first(where: { $0.sha256?.lowercased() == digest }), let commit = spec.revision {
            let snapshot = try cache.importFile(
                at: absolute, sha256: digest, repo: spec.hfRepo, filename: spec.filename, commit: commit,
                setMain: false, link: link)
            return ImportedModel(name: spec.id, path: snapshot, sha256: digest, spec: spec)
        }
        let filename = (absolute as NSString).lastPathComponent
        let stem = String(filename.dropLast(filename.lowercased().hasSuffix(".gguf") ? 5 : 0))
        let name = String(stem.map { $0.isLetter || $0.isNumber || "-_.".contains($0) ? $0 : "-" }.prefix(96))
        let repo = "local/\(name.isEmpty ? "model" : name)"
        // A local repository has no commits: the content's own digest stands in for one.
        let snapshot = try cache.importFile(
            at: absolute, sha256: digest, repo: repo, filename: filename, commit: String(digest.prefix(40)),
            setMain: true, link: link)
        return ImportedModel(name: "hf://\(repo)/\(filename)", path: snapshot, sha256: digest, spec: nil)
    }
}
