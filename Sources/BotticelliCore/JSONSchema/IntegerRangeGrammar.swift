/// GBNF for the decimal integers in a range, without leading zeros, split into alternatives such as
/// `[1-9] [0-9]` or `"1" [0-4] [0-9]`, the way a range is written as a regular expression.
enum IntegerRangeGrammar {
    /// Integers in the grammar have at most this many digits, like the `integral-part` rule.
    static let maximumDigits = 16

    /// Alternatives that together match every integer from `lower` to `upper` (nil: unbounded on that side).
    static func alternatives(from lower: Int?, to upper: Int?) -> [String] {
        var result: [String] = []
        if lower.map({ $0 < 0 }) ?? true {
            // Negative numbers: a minus sign, then magnitudes from the smallest to the largest allowed.
            let smallestMagnitude = -min(upper ?? -1, -1)
            let magnitudes = nonNegative(from: smallestMagnitude, to: lower.map { -$0 })
            result.append(
                #""-" "# + (magnitudes.count == 1 ? magnitudes[0] : "(\(magnitudes.joined(separator: " | ")))"))
        }
        if upper.map({ $0 >= 0 }) ?? true {
            result += nonNegative(from: max(lower ?? 0, 0), to: upper)
        }
        return result
    }

    private static func digitCount(_ value: Int) -> Int {
        String(value).count
    }

    private static func powerOfTen(_ exponent: Int) -> Int {
        (0..<exponent).reduce(1) { result, _ in result * 10 }
    }

    private static func nonNegative(from lower: Int, to upper: Int?) -> [String] {
        let firstDigits = digitCount(lower)
        guard let upper else {
            var result = sameDigitCount(from: lower, to: powerOfTen(firstDigits) - 1)
            if firstDigits < maximumDigits {
                let tail =
                    firstDigits == maximumDigits - 1 ? "{\(firstDigits)}" : "{\(firstDigits),\(maximumDigits - 1)}"
                result.append("[1-9] [0-9]\(tail)")
            }
            return result
        }
        var result: [String] = []
        for digits in firstDigits...digitCount(upper) {
            let start = max(lower, digits == 1 ? 0 : powerOfTen(digits - 1))
            let end = min(upper, powerOfTen(digits) - 1)
            result += sameDigitCount(from: start, to: end)
        }
        return result
    }

    private static func sameDigitCount(from lower: Int, to upper: Int) -> [String] {
        let lowerDigits = String(lower).compactMap(\.wholeNumberValue)
        let upperDigits = String(upper).compactMap(\.wholeNumberValue)
        return ranges(lowerDigits[...], upperDigits[...])
    }

    /// Alternatives for the digit strings from `lower` to `upper`, which have the same length.
    private static func ranges(_ lower: ArraySlice<Int>, _ upper: ArraySlice<Int>) -> [String] {
        guard let first = lower.first, let last = upper.first else { return [] }
        let lowerRest = lower.dropFirst()
        let upperRest = upper.dropFirst()
        let restLength = lowerRest.count
        func prefixed(_ digit: Int, _ alternatives: [String]) -> [String] {
            alternatives.isEmpty ? [digitClass(digit, digit)] : alternatives.map { "\(digitClass(digit, digit)) \($0)" }
        }
        if first == last {
            return prefixed(first, ranges(lowerRest, upperRest))
        }
        var result: [String] = []
        var middleStart = first
        var middleEnd = last
        let lowerRestIsZero = lowerRest.allSatisfy { $0 == 0 }
        let upperRestIsNine = upperRest.allSatisfy { $0 == 9 }
        if !lowerRestIsZero {
            result += prefixed(first, ranges(lowerRest, ArraySlice(repeating: 9, count: restLength)))
            middleStart += 1
        }
        if !upperRestIsNine { middleEnd -= 1 }
        if middleStart <= middleEnd {
            result.append(([digitClass(middleStart, middleEnd)] + anyDigits(restLength)).joined(separator: " "))
        }
        if !upperRestIsNine {
            result += prefixed(last, ranges(ArraySlice(repeating: 0, count: restLength), upperRest))
        }
        return result
    }

    private static func digitClass(_ lower: Int, _ upper: Int) -> String {
        lower == upper ? "[\(lower)]" : "[\(lower)-\(upper)]"
    }

    private static func anyDigits(_ count: Int) -> [String] {
        switch count {
        case 0: []
        case 1: ["[0-9]"]
        default: ["[0-9]{\(count)}"]
        }
    }
}
