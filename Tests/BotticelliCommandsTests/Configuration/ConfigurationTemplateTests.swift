import Foundation
import Testing

@testable import BotticelliCommands

@Suite("config init: the template")
struct ConfigurationTemplateTests {
    /// The template with every `# key = value` line (and `# [[models]]`) uncommented, except `skipping`.
    static func uncommented(skipping skipped: Set<String>) -> String {
        ConfigurationTemplate.text.split(separator: "\n", omittingEmptySubsequences: false).map { line in
            guard let key = settingKey(line), !skipped.contains(key) else { return String(line) }
            return String(line.dropFirst(2))
        }.joined(separator: "\n")
    }

    /// `spec` for `# spec = "…"`, `[[models]]` for `# [[models]]`, nil for prose.
    static func settingKey(_ line: Substring) -> String? {
        if line == "# [[models]]" { return "[[models]]" }
        guard line.hasPrefix("# "), let equals = line.range(of: " = ") else { return nil }
        let key = line[line.index(line.startIndex, offsetBy: 2)..<equals.lowerBound]
        return key.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "_" }) ? String(key) : nil
    }

    @Test("the template parses back as it is, setting nothing")
    func parsesAsIs() throws {
        #expect(try ConfigurationFixtures.parse(ConfigurationTemplate.text) == ConfigurationFileContents())
    }

    @Test("every key of the schema is in the template, once")
    func everyKey() {
        let keys = ConfigurationTemplate.text.split(separator: "\n").compactMap(Self.settingKey)
        let expected =
            ConfigurationSchema.modelKeys + ConfigurationSchema.serverKeys + ["[[models]]"]
            + ConfigurationSchema.customModelKeys
        #expect(keys == expected)
    }

    @Test("uncommenting every line gives a valid file whose values are the defaults")
    func uncommentedIsValid() throws {
        // spec and the repository form exclude each other: try each form.
        let repositoryForm = try ConfigurationFixtures.parse(Self.uncommented(skipping: ["spec"]))
        #expect(repositoryForm.customModels.map(\.value.id) == ["my-model-q4"])
        #expect(repositoryForm.layer.host?.value == EffectiveConfiguration.defaultHost)
        #expect(repositoryForm.layer.port?.value == EffectiveConfiguration.defaultPort)
        #expect(repositoryForm.layer.contextSize?.value == EffectiveConfiguration.defaultContextSize)
        #expect(repositoryForm.layer.keepAlive?.value == ModelKeepAlive.defaultValue)
        let specForm = try ConfigurationFixtures.parse(
            Self.uncommented(skipping: Set(ConfigurationSchema.customModelKeys + ["[[models]]"])))
        #expect(specForm.layer.modelSpec?.value == "mistral-7b-instruct-v0.3-q4")
    }

    @Test("init writes the template, creating folders, and refuses to overwrite without force")
    func write() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = directory.path + "/a/b/config.toml"
        try ConfigurationTemplate.write(to: path)
        #expect(try directory.read("a/b/config.toml") == ConfigurationTemplate.text)

        try directory.write("# mine\n", to: "a/b/config.toml")
        do {
            try ConfigurationTemplate.write(to: path)
            Issue.record("an existing file was overwritten")
        } catch {
            #expect(error.kind == .fileExists)
            #expect(
                error.description
                    == "\(path): a configuration file is already there; edit it, or pass --force to replace it")
        }
        #expect(try directory.read("a/b/config.toml") == "# mine\n")
        try ConfigurationTemplate.write(to: path, force: true)
        #expect(try directory.read("a/b/config.toml") == ConfigurationTemplate.text)
    }
}
