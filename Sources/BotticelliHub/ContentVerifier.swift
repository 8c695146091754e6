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
        switch kind {
        case .unknown:
            return nil
        case .sha256:
            var hasher = SHA256()
            try read(file, size: size) { hasher.update(bufferPointer: $0) }
            return hex(hasher.finalize())
        case .gitBlobSHA1:
            var hasher = Insecure.SHA1()
            hasher.update(data: Data("blob \(size)\0".utf8))
            try read(file, size: size) { hasher.update(bufferPointer: $0) }
            return hex(hasher.finalize())
        }
    }

    private static func read(
        _ file: PartialFile, size: Int64, _ consume: (UnsafeRawBufferPointer) -> Void
    ) throws(HubError) {
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
            consume(UnsafeRawBufferPointer(rebasing: buffer[0..<count]))
            offset += Int64(count)
        }
    }

    static func hex<D: Digest>(_ digest: D) -> String {
        digest.map { String(format: "%02x", $0) }.joined()
    }
}
