import Crypto
import Foundation

/// Checks a finished file against its etag: SHA-256 for LFS files (64 hex digits), the git blob SHA-1
/// (`blob <size>\0<content>`) for small files (40 hex digits).
enum ContentVerifier {
    enum Kind {
        case sha256
        case gitBlobSHA1
        /// An etag of no known form: only the size can be checked.
        case unknown
    }

    static func kind(ofEtag etag: String) -> Kind {
        guard etag.allSatisfy(\.isHexDigit) else { return .unknown }
        switch etag.count {
        case 64: return .sha256
        case 40: return .gitBlobSHA1
        default: return .unknown
        }
    }

    /// The hex digest of the file for the etag's kind, or nil for `.unknown`.
    static func digest(of file: PartialFile, size: Int64, kind: Kind) throws(HubError) -> String? {
        guard var hasher = ContentHasher(kind: kind, size: size) else { return nil }
        let blockSize = 4 << 20
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: blockSize, alignment: 16)
        defer { buffer.deallocate() }
        var offset: Int64 = 0
        while offset < size {
            let wanted = Int(min(Int64(blockSize), size - offset))
            let count = try file.read(into: UnsafeMutableRawBufferPointer(rebasing: buffer[0..<wanted]), at: offset)
            guard count > 0 else {
                throw HubError(.sizeMismatch, "\(file.path) ended at \(offset) bytes, expected \(size)")
            }
            hasher.update(UnsafeRawBufferPointer(rebasing: buffer[0..<count]))
            offset += Int64(count)
        }
        return hasher.finalize()
    }

    static func hex<D: Digest>(_ digest: D) -> String {
        digest.map { String(format: "%02x", $0) }.joined()
    }
}

/// A running digest of the etag's kind over a file's bytes, fed in order: SHA-256, or git's blob SHA-1 (which
/// starts with a `blob <size>\0` header, so the size must be known up front).
struct ContentHasher {
    // Two optionals rather than an enum with payloads: mutating through `?.` updates the hasher in place, where
    // rebinding an enum payload would copy its context on every update.
    private var sha256: SHA256?
    private var gitBlobSHA1: Insecure.SHA1?

    /// Nil for `.unknown`: there is nothing to compute.
    init?(kind: ContentVerifier.Kind, size: Int64) {
        switch kind {
        case .unknown:
            return nil
        case .sha256:
            sha256 = SHA256()
        case .gitBlobSHA1:
            var hasher = Insecure.SHA1()
            hasher.update(data: Data("blob \(size)\0".utf8))
            gitBlobSHA1 = hasher
        }
    }

    mutating func update(_ bytes: UnsafeRawBufferPointer) {
        sha256?.update(bufferPointer: bytes)
        gitBlobSHA1?.update(bufferPointer: bytes)
    }

    /// The lowercase hex digest of every byte fed so far.
    func finalize() -> String {
        if let sha256 { return ContentVerifier.hex(sha256.finalize()) }
        return gitBlobSHA1.map { ContentVerifier.hex($0.finalize()) } ?? ""
    }
}
