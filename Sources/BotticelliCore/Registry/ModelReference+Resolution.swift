import Foundation

extension ModelReference {
    /// Picks the GGUF file for `quantization` among a repository's files (paths as the Hub lists them).
    ///
    /// Matching is case-insensitive and needs the quantization as a whole word of the file name
    /// (`Q4_K` does not match `Q4_K_M`). A single file is preferred to a split model, whose first part
    /// (`-00001-of-0000N`) is returned: llama.cpp loads the other parts from it. Files at the repository root
    /// come before files in folders.
    public static func resolveFile(
        repo: String, quantization: Quantization?, among files: [String]
    ) throws -> String {
        let wanted = (quantization ?? defaultQuantization).name.lowercased()
        let ggufFiles = files.filter { $0.lowercased().hasSuffix(".gguf") }
        let matches = ggufFiles.filter { file in
            let name = fileName(file).lowercased()
            return containsWord(wanted, in: name) && (!isSplitPart(name) || isFirstSplitPart(name))
        }
        let ranked = matches.sorted { left, right in
            let leftKey = (isSplitPart(left) ? 1 : 0, depth(left), left)
            let rightKey = (isSplitPart(right) ? 1 : 0, depth(right), right)
            return leftKey < rightKey
        }
        guard let best = ranked.first else {
            let available = availableQuantizations(in: ggufFiles)
            let list = available.isEmpty ? "it has no .gguf files" : "it has " + available.joined(separator: ", ")
            throw ModelReferenceError(
                kind: .noMatchingFile, input: "\(repo):\(wanted.uppercased())",
                detail: "no .gguf file in \(repo) has the quantization \(wanted.uppercased()); \(list). "
                    + (available.isEmpty ? "Choose another repository." : "Name one of those after ':'."))
        }
        return best
    }

    /// The quantization names found in GGUF file names, such as `Q4_K_M` in `model-Q4_K_M.gguf`.
    static func availableQuantizations(in files: [String]) -> [String] {
        var names: [String] = []
        for file in files {
            var stem = String(fileName(file).dropLast(".gguf".count))
            if let splitRange = stem.range(of: #"-\d{5}-of-\d{5}$"#, options: .regularExpression) {
                stem.removeSubrange(splitRange)
            }
            guard let token = stem.split(whereSeparator: { $0 == "-" || $0 == "." }).last else { continue }
            let name = token.uppercased()
            if !names.contains(name) { names.append(name) }
        }
        return names.sorted()
    }

    private static func fileName(_ path: String) -> String {
        path.split(separator: "/").last.map(String.init) ?? path
    }

    private static func depth(_ path: String) -> Int {
        path.split(separator: "/").count
    }

    private static func isSplitPart(_ path: String) -> Bool {
        path.lowercased().range(of: #"-\d{5}-of-\d{5}\.gguf$"#, options: .regularExpression) != nil
    }

    private static func isFirstSplitPart(_ path: String) -> Bool {
        path.lowercased().range(of: #"-00001-of-\d{5}\.gguf$"#, options: .regularExpression) != nil
    }

    /// Whether `word` occurs in `name` between separators: after the start, '.', '-' or '_', and before
    /// '.' or '-'.
    private static func containsWord(_ word: String, in name: String) -> Bool {
        var searchStart = name.startIndex
        while let range = name.range(of: word, range: searchStart..<name.endIndex) {
            let before = range.lowerBound == name.startIndex ? nil : name[name.index(before: range.lowerBound)]
            let after = range.upperBound == name.endIndex ? nil : name[range.upperBound]
            let startsWord = before.map { ".-_".contains($0) } ?? true
            let endsWord = after.map { ".-".contains($0) } ?? true
            if startsWord && endsWord { return true }
            searchStart = name.index(after: range.lowerBound)
        }
        return false
    }
}
