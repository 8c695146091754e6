import Foundation
import Hummingbird

extension JSONBody {
    /// Reads the body (up to `limit` bytes) and decodes it.
    static func decode<Value: Decodable>(
        _ type: Value.Type, from request: Request, limit: Int
    ) async throws -> Value {
        var request = request
        return try await decode(type, from: &request, limit: limit)
    }

    /// Reads the body (up to `limit` bytes) into `request` and decodes it; the request can then be watched with
    /// `cancellingWhenClientLeaves`.
    static func decode<Value: Decodable>(
        _ type: Value.Type, from request: inout Request, limit: Int
    ) async throws -> Value {
        let buffer: ByteBuffer
        do {
            buffer = try await request.collectBody(upTo: limit)
        } catch let error as any HTTPResponseError where error.status == .contentTooLarge {
            throw APIError(
                .contentTooLarge, "the request body is larger than the limit of \(limit) bytes")
        }
        return try decode(type, from: Data(buffer: buffer))
    }
}
