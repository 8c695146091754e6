import Foundation

/// Decodes a JSON request body with errors that name the field and say what is wrong.
///
/// This part needs no server (`JSONBody+Request.swift` reads the body from Hummingbird's request), so that
/// fuzz/requests can feed it arbitrary bytes.
enum JSONBody {
    static func decode<Value: Decodable>(_ type: Value.Type, from data: Data) throws -> Value {
        guard !data.isEmpty else {
            throw APIError(.badRequest, "the request has no body; send a JSON object")
        }
        guard String(validating: data, as: UTF8.self) != nil else {
            throw APIError(.badRequest, "the body is not valid UTF-8; send JSON encoded as UTF-8")
        }
        do {
            return try JSONDecoder().decode(Value.self, from: data)
        } catch let error as DecodingError {
            throw APIError(.badRequest, describe(error), param: field(of: error))
        } catch let error as APIError {
            throw error
        } catch {
            throw APIError(.badRequest, "the body is not valid JSON: \(error.localizedDescription)")
        }
    }

    private static func path(_ codingPath: [any CodingKey]) -> String {
        codingPath.map { $0.intValue.map { "[\($0)]" } ?? ".\($0.stringValue)" }.joined()
            .trimmingCharacters(in: CharacterSet(charactersIn: "."))
    }

    static func field(of error: DecodingError) -> String? {
        switch error {
        case .typeMismatch(_, let context), .valueNotFound(_, let context), .dataCorrupted(let context):
            return context.codingPath.isEmpty ? nil : path(context.codingPath)
        case .keyNotFound(let key, let context):
            return path(context.codingPath + [key])
        @unknown default:
            return nil
        }
    }

    static func describe(_ error: DecodingError) -> String {
        switch error {
        case .typeMismatch(let type, let context):
            return "'\(path(context.codingPath))' has the wrong type: expected \(typeName(type))"
        case .valueNotFound(let type, let context):
            return "'\(path(context.codingPath))' is null: expected \(typeName(type))"
        case .keyNotFound(let key, let context):
            return "'\(path(context.codingPath + [key]))' is required"
        case .dataCorrupted(let context):
            if context.codingPath.isEmpty {
                return "the body is not valid JSON (\(context.debugDescription)); send a JSON object"
            }
            return "'\(path(context.codingPath))': \(context.debugDescription)"
        @unknown default:
            return "the request body could not be read"
        }
    }

    private static func typeName(_ type: Any.Type) -> String {
        switch type {
        case is String.Type: "a string"
        case is Int.Type, is Int32.Type, is UInt32.Type: "an integer"
        case is Double.Type, is Float.Type: "a number"
        case is Bool.Type: "a boolean"
        default: "\(type)"
        }
    }
}
