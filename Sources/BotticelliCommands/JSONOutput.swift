import Foundation

/// Writes a value as pretty, key-sorted JSON on standard output: the `--json` form of every listing.
enum JSONOutput {
    static func write<Value: Encodable>(_ value: Value) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        encoder.keyEncodingStrategy = .convertToSnakeCase
        let data = try encoder.encode(value)
        StandardOutput().write(String(decoding: data, as: UTF8.self) + "\n")
    }
}
