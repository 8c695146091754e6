/// `org/name` or `org/name:QUANT` (as llama.cpp's `-hf` takes it): a repository and, optionally, which
/// quantization of its GGUF files to use.
public struct RepositoryFileSelector: Sendable, Equatable, CustomStringConvertible {
    public var repo: String
    /// A quantization tag such as `Q4_K_M`; nil means the default.
    public var quantization: String?

    /// The tag used when none is given, as llama.cpp does.
    public static let defaultQuantization = "Q4_K_M"

    public init(repo: String, quantization: String? = nil) throws(HubError) {
        try HubNames.validateRepo(repo)
        self.repo = repo
        self.quantization = quantization
    }

    /// Parses `org/name[:QUANT]`.
    public init(parsing text: String) throws(HubError) {
        guard let colon = text.lastIndex(of: ":") else {
            try self.init(repo: text)
            return
        }
        let tag = String(text[text.index(after: colon)...])
        guard !tag.isEmpty, tag.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || "_-.".contains($0)) })
        else { throw HubError.invalidName("quantization", tag, "expected a tag such as Q4_K_M") }
        try self.init(repo: String(text[..<colon]), quantization: tag)
    }

    public var description: String { quantization.map { "\(repo):\($0)" } ?? repo }

    /// The GGUF file(s) for this reference among a repository's files: every part of a split model, in order.
    ///
    /// Projector files (`mmproj`) are never picked. Without a tag, `Q4_K_M` is preferred, else the first GGUF.
    public func selectFiles(from files: [HubRepoFile]) throws(HubError) -> [HubRepoFile] {
        let models = files.filter {
            $0.path.lowercased().hasSuffix(".gguf") && !$0.path.lowercased().contains("mmproj")
        }.sorted { $0.path < $1.path }
        guard !models.isEmpty else {
            throw HubError(.noMatchingFile, "\(repo) has no GGUF file; pick a repository with GGUF models")
        }
        let tag = quantization ?? Self.defaultQuantization
        var matches = models.filter { Self.name($0.path, containsTag: tag) }
        if matches.isEmpty {
            guard quantization == nil else {
                let available = models.map(\.path).joined(separator: ", ")
                throw HubError(
                    .noMatchingFile,
                    "\(repo) has no GGUF file for \(tag); available: \(available). Use `\(repo):<QUANT>` with one of them"
                )
            }
            matches = models
        }
        // Keep the parts of the first model only (a split model is `…-00001-of-00003.gguf`, …).
        let base = Self.splitBase(matches[0].path)
        return matches.filter { Self.splitBase($0.path) == base }
    }

    /// Whether the file name holds `tag` as a whole word (`model-Q4_K_M.gguf` holds `Q4_K_M`, not `Q4_K`).
    static func name(_ path: String, containsTag tag: String) -> Bool {
        let name = Array(path.uppercased())
        let wanted = Array(tag.uppercased())
        guard wanted.count <= name.count else { return false }
        for start in 0...(name.count - wanted.count) where Array(name[start..<start + wanted.count]) == wanted {
            let before = start == 0 ? "/" : name[start - 1]
            let after = start + wanted.count == name.count ? "." : name[start + wanted.count]
            if "-._/".contains(before) && "-./".contains(after) { return true }
        }
        return false
    }

    /// How many parts a split model has (`…-00001-of-00003.gguf` has 3); nil for a single file.
    static func splitCount(_ path: String) -> Int? {
        guard splitBase(path) != path else { return nil }
        return Int(path.dropLast(".gguf".count).split(separator: "-").last ?? "")
    }

    /// The path without a `-NNNNN-of-NNNNN` split suffix.
    static func splitBase(_ path: String) -> String {
        let stem = path.dropLast(".gguf".count)
        let parts = stem.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count >= 4, parts[parts.count - 2] == "of",
            parts[parts.count - 1].allSatisfy(\.isNumber), parts[parts.count - 3].allSatisfy(\.isNumber)
        else { return path }
        return parts.dropLast(3).joined(separator: "-")
    }
}

extension HubClient {
    /// Resolves `org/name:QUANT` to the file(s) to download, through the repository's file listing.
    public func resolveModelFiles(_ reference: RepositoryFileSelector, revision: String = "main") async throws(HubError)
        -> [HubRepoFile]
    {
        try reference.selectFiles(from: try await listFiles(repo: reference.repo, revision: revision))
    }
}
