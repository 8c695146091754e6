import BotticelliCore
import Foundation
import Testing

@Suite("Quantization")
struct QuantizationTests {
    @Test("parses known names in any case and keeps unknown ones")
    func parsing() {
        #expect(Quantization("Q4_K_M") == .q4_K_M)
        #expect(Quantization("q4_k_m") == .q4_K_M)
        #expect(Quantization("q8_0") == .q8_0)
        #expect(Quantization("f16") == .f16)
        #expect(Quantization("IQ3_XXS") == .other("IQ3_XXS"))
        #expect(Quantization("iq4_xs").name == "IQ4_XS")
        for quantization in Quantization.known {
            #expect(Quantization(quantization.name) == quantization)
            #expect(!quantization.note.isEmpty)
        }
    }

    @Test(
        "maps GGUF file types",
        arguments: [
            (UInt32(2), Quantization.q4_0), (3, .q4_1), (7, .q8_0), (15, .q4_K_M),
            (17, .q5_K_M), (18, .q6_K), (1, .f16), (30, .other("IQ4_XS")), (999, .other("FILE_TYPE_999")),
        ])
    func fileTypes(code: UInt32, expected: Quantization) {
        #expect(Quantization(fileType: GGUFFileType(rawValue: code)) == expected)
    }

    @Test("ranks quality from 2-bit to full precision, unknown lowest")
    func ranking() {
        let ranks = [Quantization.q2_K, .q4_0, .q4_K_M, .q5_K_M, .q6_K, .q8_0, .f16].map(\.qualityRank)
        #expect(ranks == ranks.sorted())
        #expect(Set(ranks).count == ranks.count)
        #expect(Quantization.other("X").qualityRank < Quantization.q2_K.qualityRank)
    }

    @Test("encodes as its name")
    func coding() throws {
        let data = try JSONEncoder().encode([Quantization.q5_K_M, .other("IQ2_M")])
        #expect(String(decoding: data, as: UTF8.self) == #"["Q5_K_M","IQ2_M"]"#)
        #expect(try JSONDecoder().decode([Quantization].self, from: data) == [.q5_K_M, .other("IQ2_M")])
    }
}
