/// CPU vector extensions that decide which llama.cpp kernels run fast.
public enum SIMDFeature: String, Sendable, Hashable, CaseIterable, Codable {
    case avx
    case avx2
    case avx512f
    case fma
    case f16c
    case neon
    case sve
}
