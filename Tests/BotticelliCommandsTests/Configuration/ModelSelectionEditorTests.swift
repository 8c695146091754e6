import Foundation
import Testing

@testable import BotticelliCommands

@Suite("saving the selected model keeps the rest of the file")
struct ModelSelectionEditorTests {
    static func edit(_ text: String?, spec: String = "phi-3") throws(ConfigurationError) -> String {
        try ModelSelectionEditor.settingModelSpec(spec, in: text, path: "/c.toml")
    }

    @Test("an existing spec's value is replaced in place; comments and other lines stay")
    func replacesValue() throws {
        let before = """
            # My configuration
            # (hand-written)

            [model]
            # the model I use most
            spec = "mistral-7b-q4"   # changed by `models select`
            cache_dir = "~/models"  # big disk

            [server]
            port = 9000 # not 8080
            """
        let after = """
            # My configuration
            # (hand-written)

            [model]
            # the model I use most
            spec = "phi-3"   # changed by `models select`
            cache_dir = "~/models"  # big disk

            [server]
            port = 9000 # not 8080
            """
        #expect(try Self.edit(before) == after)
    }

    @Test("under a [model] table without spec, the line is added after the header")
    func addsUnderHeader() throws {
        let before = "# top\n[server]\nport = 1\n\n[model] # models\ncache_dir = \"/m\"\n"
        let after = "# top\n[server]\nport = 1\n\n[model] # models\nspec = \"phi-3\"\ncache_dir = \"/m\"\n"
        #expect(try Self.edit(before) == after)
    }

    @Test("without [model], a table is appended after a blank line")
    func appendsTable() throws {
        #expect(
            try Self.edit("# only [server]\n[server]\nport = 1")
                == "# only [server]\n[server]\nport = 1\n\n[model]\nspec = \"phi-3\"\n")
        #expect(try Self.edit("[server]\nport = 1\n\n") == "[server]\nport = 1\n\n[model]\nspec = \"phi-3\"\n")
        #expect(try Self.edit("") == "[model]\nspec = \"phi-3\"\n")
    }

    @Test("keys of the repository form are commented out, not deleted")
    func commentsOutRepositoryForm() throws {
        let before = """
            [model]
            hf_repo = "o/r"  # my repo
            filename = "f.gguf"
            cache_dir = "/m"
            """
        let after = """
            [model]
            spec = "phi-3"
            # hf_repo = "o/r"  # my repo
            # filename = "f.gguf"
            cache_dir = "/m"
            """
        #expect(try Self.edit(before) == after)
        #expect(try ConfigurationFixtures.parse(after).layer.modelSpec?.value == "phi-3")
    }

    @Test("dotted model keys at the top get a dotted spec beside them")
    func dottedKeys() throws {
        #expect(
            try Self.edit("# c\n  model.cache_dir = \"/m\"\n")
                == "# c\nmodel.spec = \"phi-3\"\n  model.cache_dir = \"/m\"\n")
        #expect(try Self.edit("[model.sub]\nx = 1\n") == "[model.sub]\nx = 1\n\n[model]\nspec = \"phi-3\"\n")
        #expect(
            try Self.edit("model.cache_dir = \"/m\"\n[server]\n")
                == "model.spec = \"phi-3\"\nmodel.cache_dir = \"/m\"\n[server]\n")
    }

    @Test("CRLF line endings are kept, and quotes and backslashes are escaped")
    func lineEndingsAndEscapes() throws {
        let edited = try Self.edit("[server]\r\nport = 1\r\n", spec: "C:\\models\\\"x\".gguf")
        #expect(edited == "[server]\r\nport = 1\r\n\r\n[model]\r\nspec = \"C:\\\\models\\\\\\\"x\\\".gguf\"\r\n")
        #expect(try ConfigurationFixtures.parse(edited).layer.modelSpec?.value == "C:\\models\\\"x\".gguf")
    }

    @Test("an inline model table, a syntax error, or an empty spec is refused")
    func refusals() {
        #expect(throws: ConfigurationError.self) { try Self.edit("model = { spec = \"a\", hf_repo = \"o/r\" }\n") }
        #expect(throws: ConfigurationError.self) { try Self.edit("[model\n") }
        #expect(throws: ConfigurationError.self) { try Self.edit("[model]\n", spec: "") }
    }

    @Test("saving creates the file, edits it in place, and keeps its permissions")
    func saves() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = directory.path + "/new/config.toml"
        try ModelSelectionEditor.saveModelSelection(spec: "org/repo:Q4_K_M", to: path)
        let loader = ConfigurationLoader(environment: [:], homeDirectory: directory.path)
        #expect(try loader.load(ConfigurationOverrides(configurationFile: path)).model == .reference("org/repo:Q4_K_M"))

        try directory.write("# keep me\n[model]\nspec = \"old\" # and me\n", to: "new/config.toml")
        try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: path)
        try ModelSelectionEditor.saveModelSelection(spec: "phi-3", to: path)
        #expect(try directory.read("new/config.toml") == "# keep me\n[model]\nspec = \"phi-3\" # and me\n")
        let permissions = try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int
        #expect(permissions == 0o600)
    }

    @Test("a broken file is left untouched")
    func brokenFile() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = try directory.write("[model\nspec = 1\n", to: "config.toml")
        #expect(throws: ConfigurationError.self) { try ModelSelectionEditor.saveModelSelection(spec: "x", to: path) }
        #expect(try directory.read("config.toml") == "[model\nspec = 1\n")
    }
}
