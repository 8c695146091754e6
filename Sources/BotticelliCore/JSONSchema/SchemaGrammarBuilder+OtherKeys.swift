extension SchemaGrammarBuilder {
    /// A rule for a JSON string key that is none of `keys`, so extra properties cannot repeat a declared one.
    ///
    /// The keys form a trie: at each node the string may end (unless the text so far is a declared key), continue
    /// along a child, or leave the trie with any other character, after which anything goes. Keys with characters
    /// that JSON escapes (quotes, backslashes, control characters) fall back to any string, which allows repeats.
    mutating func otherKeyRule(excluding keys: [String], name: String) -> String {
        let needsEscape = keys.contains { key in
            key.unicodeScalars.contains { $0 == "\"" || $0 == "\\" || $0.value < 0x20 || $0.value == 0x7F }
        }
        guard !keys.isEmpty, !needsEscape else { return usePrimitive("string") }
        let character = usePrimitive("char")
        let root = KeyTrie(keys.map { Array($0.unicodeScalars) })
        let body = #""\"" "# + expression(for: root, character: character) + #" "\"""#
        return addRule(name, body)
    }

    private func expression(for node: KeyTrie, character: String) -> String {
        var alternatives = node.children.sorted { $0.key.value < $1.key.value }.map { scalar, child in
            GBNFLiteral.quoted(String(scalar)) + " " + expression(for: child, character: character)
        }
        let excluded = node.children.keys.map { GBNFLiteral.classMember($0.value) }.sorted().joined()
        let otherCharacter = #"([^\#(excluded)"\\\x7F\x00-\x1F] | "\\" (["\\/bfnrt] | "u" [0-9a-fA-F]{4}))"#
        alternatives.append("\(otherCharacter) \(character)*")
        return "(" + alternatives.joined(separator: " | ") + ")" + (node.isKey ? "" : "?")
    }
}

/// The declared keys of an object, as a tree of their characters.
private struct KeyTrie {
    var isKey = false
    var children: [Unicode.Scalar: KeyTrie] = [:]

    init(_ keys: [[Unicode.Scalar]]) {
        for key in keys { insert(key[...]) }
    }

    private init() {}

    private mutating func insert(_ key: ArraySlice<Unicode.Scalar>) {
        guard let first = key.first else {
            isKey = true
            return
        }
        var child = children[first] ?? KeyTrie()
        child.insert(key.dropFirst())
        children[first] = child
    }
}
