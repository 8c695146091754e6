import Foundation
import Testing

@testable import BotticelliCommands

@Suite("configuration files are written to a temporary file, flushed, then renamed into place")
struct ConfigurationFileWriterTests {
    static func entries(_ directory: TemporaryDirectory) throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: directory.path).sorted()
    }

    @Test("the file is replaced whole with its permissions kept, and no temporary file stays behind")
    func replacesWhole() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = try directory.write("[server]\napi_key = \"secret\"\n", to: "config.toml")
        try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: path)
        let inode = try FileManager.default.attributesOfItem(atPath: path)[.systemFileNumber] as? Int
        try ConfigurationFileWriter.write("[server]\napi_key = \"other\"\n", to: path)
        #expect(try directory.read("config.toml") == "[server]\napi_key = \"other\"\n")
        let attributes = try FileManager.default.attributesOfItem(atPath: path)
        #expect(attributes[.posixPermissions] as? Int == 0o600)
        // A new file renamed over the old one, not the old one rewritten in place.
        #expect(attributes[.systemFileNumber] as? Int != inode)
        #expect(try Self.entries(directory) == ["config.toml"])
    }

    @Test("the temporary file of a writer that died is removed; a live writer's is left alone")
    func abandonedTemporaries() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = directory.path + "/config.toml"
        let prefix = ConfigurationFileWriter.temporaryPrefix(of: path)
        #expect(prefix == directory.path + "/.config.toml.tmp-")
        // A process that has exited: its id is free (the child has been waited for).
        let exited = Process()
        exited.executableURL = URL(fileURLWithPath: "/bin/true")
        try exited.run()
        exited.waitUntilExit()
        try Data("[model]\nspec = \"ha".utf8).write(to: URL(fileURLWithPath: prefix + "\(exited.processIdentifier).7"))
        try Data().write(to: URL(fileURLWithPath: prefix + "1.9"))
        try ConfigurationFileWriter.write("[model]\nspec = \"phi-3\"\n", to: path)
        // pid 1 is alive: that writer may still rename its file.
        #expect(try Self.entries(directory) == [".config.toml.tmp-1.9", "config.toml"])
        #expect(try directory.read("config.toml") == "[model]\nspec = \"phi-3\"\n")
    }

    @Test("a folder that cannot be written gives an error that names the file")
    func unwritableFolder() throws {
        let error = #expect(throws: ConfigurationError.self) {
            try ConfigurationFileWriter.write("x = 1\n", to: "/proc/botticelli/config.toml")
        }
        #expect(error?.description.contains("/proc/botticelli/config.toml") == true)
    }
}
