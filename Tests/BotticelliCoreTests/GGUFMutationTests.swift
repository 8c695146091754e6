import BotticelliCore
import BotticelliTestSupport
import Foundation
import Testing

/// Mutates valid files thousands of times with a fixed seed: the reader must only ever return or throw
/// ``GGUFError``, never trap, and stay fast.
@Suite("GGUF reader: mutated files")
struct GGUFMutationTests {
    @Test("random mutations of valid files only ever throw GGUFError")
    func mutations() throws {
        let seeds = [GGUFWriter.sampleModel(version: 2).build(), GGUFWriter.sampleModel(version: 3).build()]
        var random = SplitMix64(seed: 0x6767_7566)
        var outcomes: [String: Int] = [:]
        let clock = ContinuousClock()
        let start = clock.now
        for iteration in 0..<6000 {
            var bytes = [UInt8](seeds[iteration % seeds.count])
            for _ in 0...random.next(below: 4) {
                mutate(&bytes, random: &random)
            }
            do {
                _ = try GGUFReader.read(data: Data(bytes))
                outcomes["read", default: 0] += 1
            } catch let error as GGUFError {
                outcomes[error.kind.rawValue, default: 0] += 1
            } catch {
                Issue.record("iteration \(iteration) threw a non-GGUF error: \(error)")
            }
        }
        let elapsed = clock.now - start
        // The mutations must reach past the magic: several different kinds of damage must be found.
        #expect(outcomes.count >= 6, "\(outcomes)")
        #expect(elapsed < .seconds(10))
    }

    private func mutate(_ bytes: inout [UInt8], random: inout SplitMix64) {
        guard !bytes.isEmpty else { return }
        let position = random.next(below: bytes.count)
        switch random.next(below: 6) {
        case 0:
            bytes[position] ^= UInt8(truncatingIfNeeded: 1 << random.next(below: 8))
        case 1:
            bytes[position] = UInt8(truncatingIfNeeded: random.next(below: 256))
        case 2:
            // Overwrite a would-be 64-bit field with an extreme value: the classic way to break length checks.
            let extremes: [UInt64] = [.max, 1 << 63, 1 << 32, 0xFFFF_FFFF, 0]
            let value = extremes[random.next(below: extremes.count)]
            for index in 0..<8 where position + index < bytes.count {
                bytes[position + index] = UInt8(truncatingIfNeeded: value >> (8 * UInt64(index)))
            }
        case 3:
            bytes.removeLast(random.next(below: bytes.count))
        case 4:
            bytes.insert(contentsOf: [UInt8](repeating: 0xFF, count: random.next(below: 16) + 1), at: position)
        default:
            bytes.remove(at: position)
        }
    }
}

/// A small, fast, seedable generator (Steele, Lea and Flood's SplitMix64), so every run mutates the same way.
struct SplitMix64 {
    private var state: UInt64

    init(seed: UInt64) {
        state = seed
    }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var value = state
        value = (value ^ (value >> 30)) &* 0xBF58_476D_1CE4_E5B9
        value = (value ^ (value >> 27)) &* 0x94D0_49BB_1331_11EB
        return value ^ (value >> 31)
    }

    mutating func next(below bound: Int) -> Int {
        Int(next() % UInt64(bound))
    }
}
