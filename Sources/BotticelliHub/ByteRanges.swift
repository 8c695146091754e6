/// A set of byte ranges, kept sorted and merged: the parts of a file already written.
struct ByteRanges: Sendable, Equatable, Codable {
    private(set) var ranges: [Range<Int64>] = []

    init(_ ranges: [Range<Int64>] = []) {
        for range in ranges { insert(range) }
    }

    var byteCount: Int64 { ranges.reduce(0) { $0 + ($1.upperBound - $1.lowerBound) } }

    mutating func insert(_ range: Range<Int64>) {
        guard !range.isEmpty else { return }
        var merged = range
        var kept: [Range<Int64>] = []
        kept.reserveCapacity(ranges.count + 1)
        for existing in ranges {
            if existing.upperBound < merged.lowerBound || existing.lowerBound > merged.upperBound {
                kept.append(existing)
            } else {
                merged = min(existing.lowerBound, merged.lowerBound)..<max(existing.upperBound, merged.upperBound)
            }
        }
        let index = kept.firstIndex { $0.lowerBound > merged.lowerBound } ?? kept.endIndex
        kept.insert(merged, at: index)
        ranges = kept
    }

    /// The parts of `0..<size` not yet covered.
    func missing(size: Int64) -> [Range<Int64>] {
        var gaps: [Range<Int64>] = []
        var cursor: Int64 = 0
        for range in ranges where range.lowerBound < size {
            if range.lowerBound > cursor { gaps.append(cursor..<range.lowerBound) }
            cursor = max(cursor, range.upperBound)
        }
        if cursor < size { gaps.append(cursor..<size) }
        return gaps
    }

    /// The end of the covered run that starts at 0.
    var prefixEnd: Int64 {
        guard let first = ranges.first, first.lowerBound == 0 else { return 0 }
        return first.upperBound
    }

    init(from decoder: any Decoder) throws {
        let pairs = try [[Int64]](from: decoder)
        for pair in pairs where pair.count == 2 && pair[0] >= 0 && pair[0] <= pair[1] {
            insert(pair[0]..<pair[1])
        }
    }

    func encode(to encoder: any Encoder) throws {
        try ranges.map { [$0.lowerBound, $0.upperBound] }.encode(to: encoder)
    }
}

/// What is kept beside `<etag>.incomplete` so that an interrupted download resumes where it stopped.
struct PartialRecord: Sendable, Equatable, Codable {
    var version = 1
    var etag: String
    var size: Int64
    var completed: ByteRanges
}
