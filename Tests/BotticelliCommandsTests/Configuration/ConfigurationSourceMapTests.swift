import Testing

@testable import BotticelliCommands

@Suite("source map: the line of every key")
struct ConfigurationSourceMapTests {
    static func lines(_ text: String) -> [String: Int] {
        ConfigurationSourceMap(text: text).lines
    }

    @Test("table headers, keys, and dotted keys with their implicit tables")
    func tablesAndDottedKeys() {
        let lines = Self.lines(
            """
            # comment
            server.port = 1
            [model]
            spec = "x"
              cache_dir="y"   # indented, no spaces around =
            [ server . extra ]
            a.b.c = 1
            """)
        #expect(lines["server"] == 2)
        #expect(lines["server.port"] == 2)
        #expect(lines["model"] == 3)
        #expect(lines["model.spec"] == 4)
        #expect(lines["model.cache_dir"] == 5)
        #expect(lines["server.extra"] == 6)
        #expect(lines["server.extra.a"] == 7)
        #expect(lines["server.extra.a.b.c"] == 7)
    }

    @Test("quoted keys, in headers and pairs, with escapes")
    func quotedKeys() {
        let lines = Self.lines(
            """
            ["server"]
            'port' = 1
            "api\\u005Fkey" = "k"
            "a.b" = 2
            """)
        #expect(lines["server"] == 1)
        #expect(lines["server.port"] == 2)
        #expect(lines["server.api_key"] == 3)
        #expect(lines["server.\"a.b\""] == 4)
    }

    @Test("array-of-tables entries are numbered from 0, with sub-tables under the current entry")
    func arrayOfTables() {
        let lines = Self.lines(
            """
            [[models]]
            id = "a"

            [[models]]
            id = "b"
            [models.extra]
            note = "n"
            [[models]]
            id = "c"
            """)
        #expect(lines["models"] == 1)
        #expect(lines["models[0]"] == 1)
        #expect(lines["models[0].id"] == 2)
        #expect(lines["models[1]"] == 4)
        #expect(lines["models[1].id"] == 5)
        #expect(lines["models[1].extra.note"] == 7)
        #expect(lines["models[2].id"] == 9)
    }

    @Test("multi-line strings hide what looks like keys and headers")
    func multilineStrings() {
        let lines = Self.lines(
            #"""
            [model]
            spec = """
            [server]
            port = 1 \"""
            """
            revision = '''
            host = 'x'
            '''
            cache_dir = "done"
            """#)
        #expect(lines["server"] == nil)
        #expect(lines["model.host"] == nil)
        #expect(lines["model.revision"] == 6)
        #expect(lines["model.cache_dir"] == 9)
    }

    @Test("multi-line arrays number their elements, and comments inside are skipped")
    func multilineArrays() {
        let lines = Self.lines(
            """
            [server]
            cors_origins = [
              "a",   # first, with a ] in the comment
              "b",
            ]
            keep_alive = "5m"
            """)
        #expect(lines["server.cors_origins"] == 2)
        #expect(lines["server.cors_origins[0]"] == 3)
        #expect(lines["server.cors_origins[1]"] == 4)
        #expect(lines["server.keep_alive"] == 6)
    }

    @Test("inline tables record their keys on their line; arrays of inline tables number their elements")
    func inlineTables() {
        let lines = Self.lines(
            """
            server = { port = 1, host = "h", nested = { deep = [1, 2] } }
            models = [
              { id = "a" },
              { id = "b", hf_repo = "o/b" },
            ]
            date = 1979-05-27 07:32:00 # a date with a space
            after = 1
            """)
        #expect(lines["server.port"] == 1)
        #expect(lines["server.nested.deep[1]"] == 1)
        #expect(lines["models[1]"] == 4)
        #expect(lines["models[1].hf_repo"] == 4)
        #expect(lines["date"] == 6)
        #expect(lines["after"] == 7)
    }

    @Test("a key without a line of its own falls back to its nearest enclosing key")
    func fallback() {
        let map = ConfigurationSourceMap(text: "\n[server]\nport = 1")
        #expect(map.line(for: ConfigurationKeyPath(keys: ["server", "port"])) == 3)
        #expect(map.line(for: ConfigurationKeyPath(keys: ["server", "missing", "deeper"])) == 2)
        #expect(map.line(for: ConfigurationKeyPath(keys: ["model"])) == nil)
    }

    @Test("entries record value offsets and CRLF line endings count lines the same")
    func entries() throws {
        let text = "[model]\r\nspec = \"phi-3\"  # note\r\n"
        let map = ConfigurationSourceMap(text: text)
        let entry = try #require(map.entries.first)
        let bytes = Array(text.utf8)
        #expect(String(decoding: bytes[entry.valueStart..<entry.valueEnd], as: UTF8.self) == "\"phi-3\"")
        #expect(entry.line == 2)
        #expect(entry.table == ConfigurationKeyPath(keys: ["model"]))
        #expect(map.headers.first?.lineEnd == 9)
    }
}

@Suite("source map: malformed text")
struct ConfigurationSourceMapRobustnessTests {
    /// The map is built before TOMLKit checks the syntax, so broken text must neither trap nor loop. (Only the scanner
    /// sees these: toml++ asserts on some of them in debug builds, such as `a = [ }`.)
    @Test(
        "broken fragments end the scan",
        arguments: [
            "a = [ }", "a = { ] }", "[", "[[", "a = \"", "a = '''", "a = \"\"\"\n", "= 1", "a.", "a = [1,", "{ }",
            "a = { b = [ } ]", "\"\\", "a = 1 ] ]", "[a\nb = ", "a = \\", "a = [\"x\" # ]\n", "a = [ ,, ]",
        ])
    func fragments(text: String) {
        let map = ConfigurationSourceMap(text: text)
        #expect(map.entries.allSatisfy { $0.valueStart <= $0.valueEnd })
    }

    @Test("a byte-order mark is skipped")
    func byteOrderMark() {
        #expect(ConfigurationSourceMap(text: "\u{FEFF}[x]\ny = 1").lines["x.y"] == 2)
    }

    @Test("random text ends the scan")
    func randomText() {
        var generator = SystemRandomNumberGenerator()
        let alphabet = Array("ab =[]{}\"'#,.\n\\\t1")
        for _ in 0..<2000 {
            let length = Int.random(in: 0..<40, using: &generator)
            let text = String((0..<length).map { _ in alphabet.randomElement(using: &generator) ?? "a" })
            let map = ConfigurationSourceMap(text: text)
            #expect(map.entries.allSatisfy { $0.valueStart <= $0.valueEnd }, "\(text)")
        }
    }
}
