// libFuzzer entry point for the JSON Schema converter and validator. scripts/fuzz builds it together with
// Sources/BotticelliCore/JSONSchema/*.swift into one module. Each input is a schema, as an API request carries it in
// `response_format` or Ollama's `format`.
import Foundation

/// Instances of every JSON type, checked against each schema that reads.
private let instances = [
    "null", "true", "0", "-1.5e3", "\"2024-01-31\"", "[]", "[1, \"a\", null]", "{}",
    "{\"name\": \"x\", \"age\": 3, \"tags\": [\"a\"], \"nested\": {\"a\": [{}]}}",
]

/// `BOTTICELLI_FUZZ_VERBOSE=1` prints what became of each input, for looking at a reproducer.
private let verbose = ProcessInfo.processInfo.environment["BOTTICELLI_FUZZ_VERBOSE"] == "1"

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzSchema(_ bytes: UnsafePointer<UInt8>?, _ count: Int) -> CInt {
    guard let bytes else { return 0 }
    let schema = String(decoding: UnsafeBufferPointer(start: bytes, count: count), as: UTF8.self)
    do {
        let grammar = try JSONSchemaGrammar.grammar(forSchema: schema)
        if verbose { print("grammar:\n\(grammar)") }
    } catch let error as JSONSchemaError {
        // Not JSON, or a keyword the converter does not support: the expected outcome for most mutations.
        if verbose { print("grammar: JSONSchemaError: \(error)") }
    } catch {
        fatalError("the grammar converter threw something other than JSONSchemaError: \(error)")
    }
    if let document = try? SchemaJSONParser.parse(schema), compilesLongPattern(document) { return 0 }
    do {
        let validator = try JSONSchemaValidator(schemaJSON: schema)
        for instance in instances {
            let violations = validator.validate(instance)
            if verbose { print("\(instance): \(violations)") }
        }
    } catch let error as JSONSchemaError {
        if verbose { print("validator: JSONSchemaError: \(error)") }
    } catch {
        fatalError("the validator threw something other than JSONSchemaError: \(error)")
    }
    return 0
}

/// Whether the validator would compile a regular expression over 256 UTF-16 units (a `pattern`, or a key of
/// `patternProperties`). swift-corelibs-foundation leaks each of those (see fuzz/lsan.supp); such schemas skip the
/// validator, because every leak, even suppressed, makes libFuzzer scan the whole heap after the input, which slowed
/// this target tenfold.
private func compilesLongPattern(_ value: SchemaJSONValue) -> Bool {
    switch value {
    case .object(let members):
        return members.contains { member in
            if member.key == "pattern", let pattern = member.value.stringValue, pattern.utf16.count > 256 {
                return true
            }
            if member.key == "patternProperties", let properties = member.value.objectMembers,
                properties.contains(where: { $0.key.utf16.count > 256 })
            {
                return true
            }
            return compilesLongPattern(member.value)
        }
    case .array(let elements):
        return elements.contains(where: compilesLongPattern)
    default:
        return false
    }
}
