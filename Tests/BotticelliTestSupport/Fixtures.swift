import Foundation

/// Where the tests find the real model and llama.cpp's reference tools.
///
/// `make test` fetches and exports them. A test that needs one and cannot find it fails with a message saying how
/// to get it: model tests are never skipped.
public enum Fixtures {
    /// An error that explains which fixture is missing and how to get it.
    public struct Missing: Error, CustomStringConvertible {
        public let description: String
    }

    private static var environment: [String: String] { ProcessInfo.processInfo.environment }

    private static var cacheRoot: String {
        if let root = environment["BOTTICELLI_CACHE"] { return root }
        let base = environment["XDG_CACHE_HOME"] ?? (NSHomeDirectory() + "/.cache")
        return base + "/botticelli"
    }

    /// The SmolLM2-135M-Instruct Q4_1 GGUF file (98,362,432 bytes).
    public static func smolLM2() throws -> String {
        let path =
            environment["BOTTICELLI_FIXTURE_MODEL"]
            ?? cacheRoot + "/fixtures/SmolLM2-135M-Instruct.Q4_1.gguf"
        guard FileManager.default.fileExists(atPath: path) else {
            throw Missing(description: "the test model is missing at \(path); run scripts/fetch-fixture or make test")
        }
        return path
    }

    /// The prefix llama.cpp was provisioned into (its `bin/` holds llama-simple, llama-tokenize, llama-server…).
    public static func llamaPrefix() throws -> String {
        let path =
            environment["BOTTICELLI_LLAMA_PREFIX"]
            ?? cacheRoot + "/llama.cpp/llama-cpp-python-0.3.36"
        guard FileManager.default.fileExists(atPath: path + "/bin") else {
            throw Missing(description: "llama.cpp's tools are missing under \(path); run scripts/provision-llama")
        }
        return path
    }

    /// A llama.cpp reference tool such as `llama-simple`.
    public static func llamaTool(_ name: String) throws -> String {
        let path = try llamaPrefix() + "/bin/" + name
        guard FileManager.default.isExecutableFile(atPath: path) else {
            throw Missing(description: "\(name) is missing at \(path); run scripts/provision-llama")
        }
        return path
    }

    /// The `botticelli_server` executable built by `make test`.
    public static func botticelliBinary() throws -> String {
        if let path = environment["BOTTICELLI_BINARY"], FileManager.default.isExecutableFile(atPath: path) {
            return path
        }
        // `swift test` puts the test bundle next to the products of the same build.
        let candidates = [Bundle.main.bundleURL, Bundle.main.bundleURL.deletingLastPathComponent()]
            .map { $0.appendingPathComponent("botticelli_server").path }
        if let found = candidates.first(where: { FileManager.default.isExecutableFile(atPath: $0) }) {
            return found
        }
        throw Missing(description: "botticelli_server is not built; run make test (it builds before testing)")
    }
}
