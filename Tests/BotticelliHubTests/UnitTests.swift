import Foundation
import Testing

@testable import BotticelliHub

@Suite struct ProgressRendererTests {
    let progress = DownloadProgress(
        repo: "org/m", filename: "m.gguf", phase: .downloading, completedBytes: 2_100_000_000,
        totalBytes: 4_800_000_000, bytesPerSecond: 58_000_000, secondsRemaining: 46)

    @Test func drawsABar() {
        let line = ProgressRenderer.barLine(progress, width: 12)
        #expect(line == "[█████░░░░░░░] 2.1 GB / 4.8 GB  58 MB/s  46 s left")
    }

    @Test func plainLinesAreThrottledAndJSONLinesDecode() throws {
        let lines = ProgressLines()
        let plain = ProgressRenderer(style: .plain, plainInterval: .seconds(60)) { lines.append($0) }
        plain.render(progress)
        plain.render(progress)
        #expect(lines.all.count == 1)
        #expect(lines.all[0].hasPrefix("m.gguf: 2.1 GB / 4.8 GB"))

        let json = ProgressRenderer(style: .jsonLines) { lines.append($0) }
        json.render(progress)
        let decoded = try JSONDecoder().decode(DownloadProgress.self, from: Data(lines.all[1].utf8))
        #expect(decoded == progress)
    }
}

final class ProgressLines: @unchecked Sendable {
    // @unchecked: every access goes through `lock`.
    private let lock = NSLock()
    private var lines: [String] = []
    func append(_ line: String) { lock.withLock { lines.append(line) } }
    var all: [String] { lock.withLock { lines } }
}

@Suite struct ModelReferenceTests {
    let files = [
        "model-Q4_K.gguf", "model-Q4_K_M.gguf", "big/model-Q8_0-00002-of-00002.gguf",
        "big/model-Q8_0-00001-of-00002.gguf", "mmproj-model-Q4_K_M.gguf", "README.md",
    ].map { HubRepoFile(path: $0, size: 1) }

    @Test func picksTheTagAsAWholeWord() throws {
        #expect(
            try RepositoryFileSelector(parsing: "o/m:Q4_K").selectFiles(from: files).map(\.path) == ["model-Q4_K.gguf"])
        #expect(
            try RepositoryFileSelector(parsing: "o/m").selectFiles(from: files).map(\.path) == ["model-Q4_K_M.gguf"])
    }

    @Test func returnsEveryPartOfASplitModel() throws {
        let parts = try RepositoryFileSelector(parsing: "o/m:Q8_0").selectFiles(from: files).map(\.path)
        #expect(parts == ["big/model-Q8_0-00001-of-00002.gguf", "big/model-Q8_0-00002-of-00002.gguf"])
    }

    @Test func unknownTagListsWhatExists() throws {
        let error = #expect(throws: HubError.self) {
            try RepositoryFileSelector(parsing: "o/m:IQ2_XS").selectFiles(from: files)
        }
        #expect(error?.message.contains("model-Q4_K_M.gguf") == true)
    }
}

@Suite struct HubEnvironmentTests {
    @Test func readsTheVariablesHuggingFaceHubReads() throws {
        let folder = TemporaryFolder()
        defer { folder.cleanUp() }
        try Data("file-token\n".utf8).write(to: URL(fileURLWithPath: folder.path + "/token"))
        let environment = HubEnvironment.from(
            variables: [
                "HF_HOME": folder.path, "HF_ENDPOINT": "http://mirror.local/", "HF_HUB_OFFLINE": "1",
                "HTTPS_PROXY": "http://proxy:3128", "NO_PROXY": "localhost,.internal.example",
            ], homeDirectory: "/home/x")
        #expect(environment.endpoint == "http://mirror.local")
        #expect(environment.token == "file-token")
        #expect(environment.offline)
        #expect(environment.cacheDirectory == folder.path + "/hub")
        #expect(environment.proxy(scheme: "https", host: "huggingface.co") == "http://proxy:3128")
        #expect(environment.proxy(scheme: "https", host: "cdn.internal.example") == nil)
        #expect(environment.proxy(scheme: "https", host: "localhost") == nil)
        #expect(environment.proxy(scheme: "http", host: "huggingface.co") == nil)

        let defaults = HubEnvironment.from(variables: ["HF_TOKEN": "t"], homeDirectory: "/home/x")
        #expect(defaults.endpoint == "https://huggingface.co")
        #expect(defaults.token == "t")
        #expect(!defaults.offline)
        #expect(defaults.cacheDirectory == "/home/x/.cache/huggingface/hub")
        #expect(HubEnvironment.from(variables: ["HF_HUB_CACHE": "/c"], homeDirectory: "/h").cacheDirectory == "/c")
    }
}

@Suite struct ByteRangesTests {
    @Test func mergesAndFindsGaps() throws {
        var ranges = ByteRanges()
        ranges.insert(10..<20)
        ranges.insert(30..<40)
        ranges.insert(20..<30)
        ranges.insert(0..<5)
        #expect(ranges.ranges == [0..<5, 10..<40])
        #expect(ranges.missing(size: 50) == [5..<10, 40..<50])
        #expect(ranges.byteCount == 35)
        let decoded = try JSONDecoder().decode(ByteRanges.self, from: try JSONEncoder().encode(ranges))
        #expect(decoded == ranges)
    }
}
