import BotticelliTestSupport
import Foundation
import Testing

@testable import BotticelliCommands

/// `models list`, `models info`, `system`, and model names, through the real executable.
@Suite("model commands")
struct ModelCommandsTests {
    /// Runs the executable with an empty cache of its own, so that the machine's real cache does not matter.
    static func botticelli(_ arguments: [String]) throws -> ProcessResult {
        let cache = NSTemporaryDirectory() + "botticelli-empty-cache-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: cache) }
        return try ProcessRunner.run(try Fixtures.botticelliBinary(), arguments + ["--cache-dir", cache])
    }

    static func json(_ result: ProcessResult) throws -> Any {
        try JSONSerialization.jsonObject(with: Data(result.standardOutput.utf8))
    }

    @Test("models list --all --json lists every registry entry with its fit, and marks one recommended")
    func listJSON() throws {
        let result = try Self.botticelli(["models", "list", "--all", "--json"])
        #expect(result.status == 0, "\(result.standardError)")
        let rows = try #require(try Self.json(result) as? [[String: Any]])
        #expect(rows.count >= 30)
        let fixture = try #require(rows.first { $0["id"] as? String == "smollm2-135m-instruct-q4_1" })
        #expect(fixture["filename"] as? String == "SmolLM2-135M-Instruct.Q4_1.gguf")
        #expect(fixture["quantization"] as? String == "Q4_1")
        #expect(fixture["size_bytes"] as? Int == 98_362_432)
        #expect(fixture["downloaded"] as? Bool == false)
        #expect(["yes", "tight", "no"].contains(fixture["fits"] as? String ?? ""))
        #expect(rows.filter { $0["recommended"] as? Bool == true }.count == 1)
        for row in rows {
            #expect((row["ram_bytes"] as? Int ?? 0) > (row["size_bytes"] as? Int ?? 0), "\(row["id"] ?? "")")
        }
    }

    @Test("models list shows a table with the recommended model marked")
    func listTable() throws {
        let result = try Self.botticelli(["models", "list"])
        #expect(result.status == 0, "\(result.standardError)")
        let header = try #require(result.standardOutput.split(separator: "\n").first)
        for column in ["ID", "NAME", "QUANT", "SIZE", "RAM", "FITS", "DOWNLOADED"] {
            #expect(header.contains(column))
        }
        #expect(result.standardOutput.contains("smollm2-135m-instruct-q4_1"))
        #expect(result.standardOutput.contains("* recommended for this machine: "))
    }

    @Test("models info on the fixture file reads its GGUF header")
    func infoOnFile() throws {
        let result = try Self.botticelli(["models", "info", try Fixtures.smolLM2(), "--json"])
        #expect(result.status == 0, "\(result.standardError)")
        let info = try #require(try Self.json(result) as? [String: Any])
        let file = try #require(info["file"] as? [String: Any])
        #expect(file["architecture"] as? String == "llama")
        #expect(file["layer_count"] as? Int == 30)
        #expect(file["context_length"] as? Int == 8192)
        #expect(file["quantization"] as? String == "Q4_1")
        #expect(file["has_chat_template"] as? Bool == true)
        #expect(info["downloaded"] as? Bool == true)
    }

    @Test("models info on a registry id shows the entry, not downloaded")
    func infoOnRegistryID() throws {
        let result = try Self.botticelli(["models", "info", "mistral-7b-instruct-v0.3-q4"])
        #expect(result.status == 0, "\(result.standardError)")
        #expect(result.standardOutput.contains("bartowski/Mistral-7B-Instruct-v0.3-GGUF"))
        #expect(result.standardOutput.contains("Mistral-7B-Instruct-v0.3-Q4_K_M.gguf"))
        #expect(result.standardOutput.contains("downloaded      no"))
    }

    @Test("an unknown model name fails with suggestions and exit 1")
    func unknownModel() throws {
        let result = try Self.botticelli(["models", "info", "smolm2-135m"])
        #expect(result.status == 1)
        #expect(result.standardError.contains("'smolm2-135m' is not in the registry"))
        #expect(result.standardError.contains("Did you mean: smollm2-135m-instruct-q4_1"))
    }

    @Test("a corrupt .gguf file is reported by models info with the reader's error, exit 1")
    func infoOnCorruptFile() throws {
        let path = NSTemporaryDirectory() + "botticelli-truncated-\(UUID().uuidString).gguf"
        let fixture = try Data(contentsOf: URL(fileURLWithPath: try Fixtures.smolLM2()))
        try fixture.prefix(100).write(to: URL(fileURLWithPath: path))
        defer { try? FileManager.default.removeItem(atPath: path) }
        let result = try Self.botticelli(["models", "info", path])
        #expect(result.status == 1)
        #expect(result.standardError.contains("cannot read GGUF file \(path): tensor count at byte 8"))
        #expect(result.standardError.contains("delete it and download it again"))
    }

    @Test("system --json reports memory, disk, cores and a recommendation with its reason")
    func systemJSON() throws {
        let result = try Self.botticelli(["system", "--json"])
        #expect(result.status == 0, "\(result.standardError)")
        let report = try #require(try Self.json(result) as? [String: Any])
        let memory = try #require(report["memory"] as? [String: Any])
        #expect((memory["total_bytes"] as? Int ?? 0) > 1 << 30)
        #expect((report["cpu_cores"] as? Int ?? 0) >= 1)
        let pick = try #require(report["recommendation"] as? [String: Any])
        #expect(!(pick["reason"] as? String ?? "").isEmpty)
        let passed = try #require(report["passed_over"] as? [[String: Any]])
        #expect(!passed.isEmpty)
        let text = try Self.botticelli(["system"])
        #expect(text.standardOutput.contains("Recommended: \(pick["id"] as? String ?? "?")"))
    }

    @Test("usage errors exit 2", arguments: [["models", "info"], ["models", "download", "x", "--connections", "0"]])
    func usageErrors(arguments: [String]) throws {
        let result = try Self.botticelli(arguments)
        #expect(result.status == 2, "\(arguments): \(result.standardError)")
    }
}

/// The first version's flags on the root command.
@Suite("legacy root flags")
struct LegacyFlagTests {
    @Test(
        "rewritten into subcommands",
        arguments: [
            (["--list"], ["models", "list"]),
            (["--list", "--download-dir", "/d"], ["models", "list", "--download-dir", "/d"]),
            (["--model", "m", "--port", "9"], ["start", "--model", "m", "--port", "9"]),
            (["--port=9", "--model", "m"], ["start", "--port=9", "--model", "m"]),
            (["start", "--model", "m"], ["start", "--model", "m"]),
            (["models", "list"], ["models", "list"]),
        ])
    func rewrite(arguments: [String], expected: [String]) {
        #expect(LegacyArguments.rewrite(arguments) == expected)
    }

    @Test("--list lists the models; --model starts with it (a missing file fails as start does)")
    func throughTheExecutable() throws {
        let list = try ModelCommandsTests.botticelli(["--list"])
        #expect(list.status == 0, "\(list.standardError)")
        #expect(list.standardOutput.contains("smollm2-135m-instruct-q4_1"))
        let start = try ModelCommandsTests.botticelli(["--model", "/nonexistent/m.gguf", "--port", "0"])
        #expect(start.status == 1)
        #expect(start.standardError.contains("model file not found: /nonexistent/m.gguf"))
    }
}

/// `models import`, for machines without a network.
@Suite("models import")
struct ModelsImportTests {
    static func botticelli(_ arguments: [String], cache: String) throws -> ProcessResult {
        try ProcessRunner.run(try Fixtures.botticelliBinary(), arguments + ["--cache-dir", cache])
    }

    @Test("a file matching a registry entry's sha256 becomes that entry, usable offline by its id")
    func matchingFileBecomesTheEntry() throws {
        let cache = NSTemporaryDirectory() + "botticelli-import-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: cache) }
        let imported = try Self.botticelli(["models", "import", try Fixtures.smolLM2()], cache: cache)
        #expect(imported.status == 0, "\(imported.standardError)")
        #expect(imported.standardOutput.contains("Imported as smollm2-135m-instruct-q4_1 (sha256 matches"))
        let list = try Self.botticelli(["models", "list", "--all", "--json"], cache: cache)
        let rows = try JSONSerialization.jsonObject(with: Data(list.standardOutput.utf8)) as? [[String: Any]] ?? []
        #expect(rows.first { $0["id"] as? String == "smollm2-135m-instruct-q4_1" }?["downloaded"] as? Bool == true)
        let info = try Self.botticelli(["models", "info", "smollm2-135m-instruct-q4_1", "--offline"], cache: cache)
        let lines = info.standardOutput.split(separator: "\n")
        #expect(lines.contains { $0.hasPrefix("downloaded ") && $0.contains(" yes (\(cache)/models--QuantFactory--") })
        #expect(lines.contains { $0.hasPrefix("  architecture ") && $0.hasSuffix(" llama") })
    }

    @Test("another GGUF is filed under local/<name>; a damaged one is refused and nothing is written")
    func otherFiles() throws {
        let cache = NSTemporaryDirectory() + "botticelli-import-\(UUID().uuidString)"
        let folder = NSTemporaryDirectory() + "botticelli-import-src-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer {
            try? FileManager.default.removeItem(atPath: cache)
            try? FileManager.default.removeItem(atPath: folder)
        }
        // The fixture with one byte more: still a valid GGUF, but no registry entry has its checksum.
        var content = try Data(contentsOf: URL(fileURLWithPath: try Fixtures.smolLM2()))
        content.append(0)
        try content.write(to: URL(fileURLWithPath: folder + "/my-model.gguf"))
        let imported = try Self.botticelli(["models", "import", folder + "/my-model.gguf"], cache: cache)
        #expect(imported.status == 0, "\(imported.standardError)")
        #expect(imported.standardOutput.contains("Imported as hf://local/my-model/my-model.gguf"))
        let listing = try Self.botticelli(["cache", "ls", "--json"], cache: cache)
        #expect(listing.standardOutput.contains("\"name\" : \"hf://local/my-model/my-model.gguf\""))

        try content.prefix(64).write(to: URL(fileURLWithPath: folder + "/broken.gguf"))
        let broken = try Self.botticelli(["models", "import", folder + "/broken.gguf"], cache: cache)
        #expect(broken.status == 1)
        #expect(broken.standardError.contains("cannot read GGUF file"))
        #expect(!FileManager.default.fileExists(atPath: cache + "/models--local--broken"))
    }
}
