import Foundation

/// What a HEAD on a file's resolve URL tells: which commit, which content, how big, and where to get it.
public struct HubFileMetadata: Sendable, Equatable {
    /// The 40-hex commit the revision resolved to (`X-Repo-Commit`).
    public var commit: String
    /// The content's identity: the SHA-256 for LFS files, the git blob SHA-1 for small files.
    public var etag: String
    /// The size in bytes (`X-Linked-Size`, else `Content-Length`).
    public var size: Int64
    /// The URL to GET the bytes from (the CDN, or the resolve URL itself).
    public var location: String

    public init(commit: String, etag: String, size: Int64, location: String) {
        self.commit = commit
        self.etag = etag
        self.size = size
        self.location = location
    }

    /// Strips `W/` and quotes from an ETag header value.
    static func normalizeEtag(_ raw: String) -> String {
        var value = raw.trimmingCharacters(in: .whitespaces)
        if value.hasPrefix("W/") { value.removeFirst(2) }
        return value.trimmingCharacters(in: CharacterSet(charactersIn: "\""))
    }
}

/// A file in a repository, as the tree endpoint lists it.
public struct HubRepoFile: Sendable, Equatable, Decodable {
    public struct LargeFile: Sendable, Equatable, Decodable {
        /// The SHA-256 of the content.
        public var oid: String
        public var size: Int64
    }

    /// `file` or `directory`.
    public var type: String
    /// The path inside the repository.
    public var path: String
    /// The size in bytes of the content (for LFS files, of the real content, not of the pointer).
    public var size: Int64?
    /// The git object id of the blob.
    public var oid: String?
    /// Set for files stored with Git LFS.
    public var lfs: LargeFile?

    public init(path: String, size: Int64, oid: String? = nil, lfs: LargeFile? = nil) {
        self.type = "file"
        self.path = path
        self.size = size
        self.oid = oid
        self.lfs = lfs
    }
}
