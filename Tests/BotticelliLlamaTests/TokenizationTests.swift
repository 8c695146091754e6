import BotticelliLlama
import BotticelliTestSupport
import Foundation
import Testing

@Suite("Tokenization")
struct TokenizationTests {
    static let samples = [
        "naïve café 東京 🎨", "Hello, world!", "  leading spaces and\ttabs\nnew lines", "<|im_start|>user",
    ]

    @Test("ids equal llama-tokenize's", arguments: samples)
    func matchesLlamaTokenize(text: String) throws {
        let model = try SharedModel.smolLM2()
        let reference = try ProcessRunner.run(
            try Fixtures.llamaTool("llama-tokenize"),
            ["-m", try Fixtures.smolLM2(), "-p", text, "--ids", "--log-disable"])
        #expect(reference.status == 0, "llama-tokenize failed: \(reference.standardError)")
        let line = try #require(
            reference.standardOutput.split(separator: "\n").last { $0.hasPrefix("[") }, "\(reference.standardOutput)")
        let expected = line.dropFirst().dropLast().split(separator: ",").compactMap {
            Int32($0.trimmingCharacters(in: .whitespaces))
        }
        #expect(try model.tokenize(text) == expected)
    }

    @Test("text round-trips through tokens, multi-byte characters included")
    func roundTrip() throws {
        let model = try SharedModel.smolLM2()
        let text = "naïve café 東京 🎨"
        let tokens = try model.tokenize(text, addSpecial: false)
        #expect(tokens.count > 4)
        #expect(try model.detokenize(tokens) == text)

        // Piece by piece through the streaming decoder: never a broken character, same text at the end.
        var decoder = TokenTextDecoder()
        var streamed = ""
        for token in tokens {
            let part = decoder.append(try model.piece(of: token))
            #expect(!part.contains("\u{FFFD}"))
            streamed += part
        }
        streamed += decoder.flush()
        #expect(streamed == text)
    }

    @Test("the streaming decoder holds back split characters")
    func decoderHoldsBack() {
        var decoder = TokenTextDecoder()
        let bytes = Array("🎨é".utf8)  // 4 + 2 bytes
        #expect(decoder.append(Array(bytes[0..<2])) == "")
        #expect(decoder.append(Array(bytes[2..<5])) == "🎨")
        #expect(decoder.append([bytes[5]]) == "é")
        #expect(decoder.append([0xE6]) == "")
        #expect(decoder.flush() == "\u{FFFD}")
        #expect(decoder.append(Array("ok".utf8)) == "ok")
    }
}
