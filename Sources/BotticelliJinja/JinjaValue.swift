import Foundation

/// A value passed into or returned from a Jinja template: the data model of a chat template's context.
///
/// Objects keep their keys in insertion order, as llama.cpp's engine does, so `tojson` and `items()` print keys in
/// the order they were given.
public enum JinjaValue: Sendable, Equatable {
    /// A missing value: renders as nothing, is falsy, and answers `is defined` with false.
    case undefined
    /// Python's `None`, JSON's `null`.
    case none
    case bool(Bool)
    case int(Int)
    case double(Double)
    case string(String)
    case array([JinjaValue])
    /// A mapping whose keys keep their insertion order.
    case object(JinjaObject)
    /// A Swift function the template can call.
    case callable(JinjaCallable)

    /// An object value built from ordered key-value pairs.
    public static func object(_ pairs: KeyValuePairs<String, JinjaValue>) -> JinjaValue {
        var object = JinjaObject()
        for (key, value) in pairs { object[key] = value }
        return .object(object)
    }
}

extension JinjaValue: ExpressibleByStringLiteral, ExpressibleByIntegerLiteral, ExpressibleByBooleanLiteral,
    ExpressibleByFloatLiteral, ExpressibleByArrayLiteral, ExpressibleByDictionaryLiteral, ExpressibleByNilLiteral
{
    public init(stringLiteral value: String) { self = .string(value) }
    public init(integerLiteral value: Int) { self = .int(value) }
    public init(booleanLiteral value: Bool) { self = .bool(value) }
    public init(floatLiteral value: Double) { self = .double(value) }
    public init(arrayLiteral elements: JinjaValue...) { self = .array(elements) }
    public init(nilLiteral: ()) { self = .none }
    public init(dictionaryLiteral elements: (String, JinjaValue)...) {
        var object = JinjaObject()
        for (key, value) in elements { object[key] = value }
        self = .object(object)
    }
}

/// A string-keyed dictionary that remembers the order in which keys were first inserted.
public struct JinjaObject: Sendable, Equatable {
    public private(set) var keys: [String] = []
    private var storage: [String: JinjaValue] = [:]

    public init() {}

    public init(_ pairs: [(String, JinjaValue)]) {
        for (key, value) in pairs { self[key] = value }
    }

    public subscript(key: String) -> JinjaValue? {
        get { storage[key] }
        set {
            if let newValue {
                if storage.updateValue(newValue, forKey: key) == nil { keys.append(key) }
            } else if storage.removeValue(forKey: key) != nil {
                keys.removeAll { $0 == key }
            }
        }
    }

    public var count: Int { keys.count }

    /// The pairs in insertion order.
    public var pairs: [(key: String, value: JinjaValue)] { keys.map { ($0, storage[$0]!) } }
}

/// A Swift function that a template can call, such as a custom global.
public struct JinjaCallable: Sendable, Equatable {
    public let name: String
    let body: @Sendable (_ positional: [JinjaValue], _ keywords: JinjaObject) throws -> JinjaValue

    /// - Parameters:
    ///   - name: shown in error messages.
    ///   - body: receives the positional arguments and the keyword arguments in call order.
    public init(
        name: String,
        _ body: @escaping @Sendable (_ positional: [JinjaValue], _ keywords: JinjaObject) throws -> JinjaValue
    ) {
        self.name = name
        self.body = body
    }

    public static func == (lhs: JinjaCallable, rhs: JinjaCallable) -> Bool { lhs.name == rhs.name }
}
