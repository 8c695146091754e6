import Testing

@testable import BotticelliHub

@Suite struct HubNamesTests {
    @Test(arguments: ["../etc/passwd", "a/../../b", "/abs", "a\\b", "a\u{7}b", "", "a//b", "./x"])
    func refusesUnsafeFilenames(_ name: String) {
        #expect(throws: HubError.self) { try HubNames.validateFilename(name) }
    }

    @Test(arguments: ["model.gguf", "sub/dir/model-Q4_K_M.gguf", "a..b.gguf"])
    func acceptsOrdinaryFilenames(_ name: String) throws {
        try HubNames.validateFilename(name)
    }

    @Test func refusesUnsafeRepos() {
        for repo in ["../x", "a/b/c", "a/..", "org/na me", "/org/name", "org\\name"] {
            #expect(throws: HubError.self) { try HubNames.validateRepo(repo) }
        }
        #expect(throws: Never.self) { try HubNames.validateRepo("TheBloke/Llama-2-7B-GGUF") }
    }

    @Test func encodesRevisionAndFilename() {
        #expect(HubNames.percentEncode("refs/pr/1", keepingSlash: false) == "refs%2Fpr%2F1")
        #expect(HubNames.percentEncode("sub dir/a+b.gguf", keepingSlash: true) == "sub%20dir/a%2Bb.gguf")
        #expect(HubNames.cacheFolder(repo: "org/name") == "models--org--name")
    }
}
