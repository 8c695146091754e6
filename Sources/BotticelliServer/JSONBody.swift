import Foundation
import Hummingbird

/// Reads and decodes a JSON request body with errors that name the field and say what is wrong.
enum JSONBody {
    static func decode<Value: Decodable>(
        _ type: Value.Type, from request: Request, limit: Int
    ) async throws -> Value {
        var request = request
        let buffer: ByteBuffer
        do {
            buffer = try await request.collectBody(upTo: limit)
        } catch let error as any HTTPResponseError where error.status == .contentTooLarge {
            throw APIError(
                .contentTooLarge, "the request body is larger than the limit of \(limit) bytes")
        }
        guard buffer.readableBytes > 0 else {
            throw APIError(.badRequest, "the request has no body; send a JSON object")
        }
        guard String(validating: buffer.readableBytesView, as: UTF8.self) != nil else {
            throw APIError(.badRequest, "the body is not valid UTF-8; send JSON encoded as UTF-8")
        }
        do {
            return try JSONDecoder().decode(Value.self, from: Data(buffer: buffer))
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
