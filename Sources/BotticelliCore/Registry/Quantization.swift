/// How a model's weights are quantized, named as llama.cpp names its GGUF files (`Q4_K_M`, `Q8_0`, …).
///
/// Names this type does not know parse as ``other(_:)`` rather than failing: new quantization schemes appear
/// faster than any list can follow.
public enum Quantization: Sendable, Hashable, CustomStringConvertible {
    case q2_K
    case q3_K_M
    case q4_0
    case q4_1
    case q4_K_S
    case q4_K_M
    case q5_0
    case q5_K_S
    case q5_K_M
    case q6_K
    case q8_0
    case f16
    case bf16
    case f32
    case other(String)

    /// The known cases, lowest quality first.
    public static let known: [Quantization] = [
        .q2_K, .q3_K_M, .q4_0, .q4_1, .q4_K_S, .q4_K_M, .q5_0, .q5_K_S, .q5_K_M, .q6_K, .q8_0, .bf16, .f16, .f32,
    ]

    /// Parses a name case-insensitively (`q4_k_m` and `Q4_K_M` are the same); unknown names become `.other`,
    /// upper-cased.
    public init(_ name: String) {
        let normalized = name.uppercased()
        self = Self.known.first { $0.name == normalized } ?? .other(normalized)
    }

    /// The quantization named by a GGUF file's `general.file_type`.
    public init(fileType: GGUFFileType) {
        self.init(fileType.name ?? "FILE_TYPE_\(fileType.rawValue)")
    }

    /// The canonical name, as it appears in GGUF file names.
    public var name: String {
        switch self {
        case .q2_K: return "Q2_K"
        case .q3_K_M: return "Q3_K_M"
        case .q4_0: return "Q4_0"
        case .q4_1: return "Q4_1"
        case .q4_K_S: return "Q4_K_S"
        case .q4_K_M: return "Q4_K_M"
        case .q5_0: return "Q5_0"
        case .q5_K_S: return "Q5_K_S"
        case .q5_K_M: return "Q5_K_M"
        case .q6_K: return "Q6_K"
        case .q8_0: return "Q8_0"
        case .f16: return "F16"
        case .bf16: return "BF16"
        case .f32: return "F32"
        case .other(let name): return name
        }
    }

    public var description: String { name }

    /// Approximate bits stored per weight, block scales included; the basis of ``qualityRank``.
    public var bitsPerWeight: Double? {
        switch self {
        case .q2_K: return 2.6
        case .q3_K_M: return 3.9
        case .q4_0: return 4.5
        case .q4_1: return 5.0
        case .q4_K_S: return 4.6
        case .q4_K_M: return 4.9
        case .q5_0: return 5.5
        case .q5_K_S: return 5.5
        case .q5_K_M: return 5.7
        case .q6_K: return 6.6
        case .q8_0: return 8.5
        case .f16, .bf16: return 16
        case .f32: return 32
        case .other: return nil
        }
    }

    /// Orders quantizations by the quality they keep: higher is closer to the original weights. Unknown names
    /// rank lowest, so a recommendation never prefers what it cannot judge.
    public var qualityRank: Int {
        switch self {
        case .other: return 0
        case .q2_K: return 1
        case .q3_K_M: return 2
        case .q4_0: return 3
        case .q4_1: return 4
        case .q4_K_S: return 5
        case .q4_K_M: return 6
        case .q5_0: return 7
        case .q5_K_S: return 8
        case .q5_K_M: return 9
        case .q6_K: return 10
        case .q8_0: return 11
        case .bf16: return 12
        case .f16: return 13
        case .f32: return 14
        }
    }

    /// A short note on what this quantization trades.
    public var note: String {
        switch self {
        case .q2_K: return "2-bit k-quant: smallest, clearly degraded output"
        case .q3_K_M: return "3-bit k-quant: very small, noticeable quality loss"
        case .q4_0: return "4-bit legacy quant: small and fast, some quality loss"
        case .q4_1: return "4-bit legacy quant with offsets: a little better than Q4_0, a little larger"
        case .q4_K_S: return "4-bit k-quant, small: good balance, slightly below Q4_K_M"
        case .q4_K_M: return "4-bit k-quant, medium: the usual default, good quality for its size"
        case .q5_0: return "5-bit legacy quant: better quality, larger"
        case .q5_K_S: return "5-bit k-quant, small: better quality than 4-bit"
        case .q5_K_M: return "5-bit k-quant, medium: very close to the original, about 15% larger than Q4_K_M"
        case .q6_K: return "6-bit k-quant: nearly lossless"
        case .q8_0: return "8-bit: practically lossless, about twice the size of Q4"
        case .f16: return "16-bit floats: the original weights, four times the size of Q4"
        case .bf16: return "bfloat16: the original weights of most recent models, unquantized"
        case .f32: return "32-bit floats: unquantized, rarely worth the size"
        case .other(let name): return "\(name): a quantization Botticelli has no notes on"
        }
    }
}

extension Quantization: Codable {
    public init(from decoder: any Decoder) throws {
        self.init(try decoder.singleValueContainer().decode(String.self))
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(name)
    }
}
