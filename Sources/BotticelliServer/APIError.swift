import BotticelliCore
import Foundation
import Hummingbird

/// An error answered in OpenAI's shape, `{"error": {"message", "type", "param", "code"}}`, with its status.
/// Ollama routes answer the same errors as `{"error": "message"}` (see `OllamaErrorMiddleware`).
public struct APIError: Error, HTTPResponseError, Sendable {
    public var status: HTTPResponse.Status
    public var message: String
    public var type: String
    public var param: String?
    public var code: String?
    public var retryAfterSeconds: Int?

    public init(
        _ status: HTTPResponse.Status, _ message: String, type: String? = nil, param: String? = nil,
        code: String? = nil, retryAfterSeconds: Int? = nil
    ) {
        self.status = status
        self.message = message
        self.type = type ?? Self.defaultType(for: status)
        self.param = param
        self.code = code
        self.retryAfterSeconds = retryAfterSeconds
    }

    static func defaultType(for status: HTTPResponse.Status) -> String {
        switch status.code {
        case 401: "authentication_error"
        case 403: "permission_error"
        case 404: "not_found_error"
        case 413: "request_too_large"
        case 429, 503: "server_overloaded"
        case 400..<500: "invalid_request_error"
        default: "server_error"
        }
    }

    static func badField(_ param: String, _ message: String) -> APIError {
        APIError(.badRequest, message, param: param, code: "invalid_value")
    }

    static func modelNotFound(_ error: ModelLookupError) -> APIError {
        APIError(.notFound, error.description, param: "model", code: "model_not_found")
    }

    /// The status and message for an engine error.
    static func from(_ error: InferenceError) -> APIError {
        switch error.kind {
        case .busy:
            APIError(.serviceUnavailable, error.message, code: "server_busy", retryAfterSeconds: 1)
        case .contextExceeded:
            APIError(.badRequest, error.message, param: "messages", code: "context_length_exceeded")
        case .invalidRequest:
            APIError(.badRequest, error.message, code: "invalid_value")
        case .engineFailure:
            APIError(.internalServerError, error.message)
        case .shutDown:
            APIError(.serviceUnavailable, error.message, code: "shutting_down", retryAfterSeconds: 5)
        }
    }

    struct Body: Encodable {
        struct Detail: Encodable {
            var message: String
            var type: String
            var param: String?
            var code: String?

            func encode(to encoder: any Encoder) throws {
                var container = encoder.container(keyedBy: CodingKeys.self)
                try container.encode(message, forKey: .message)
                try container.encode(type, forKey: .type)
                try container.encode(param, forKey: .param)
                try container.encode(code, forKey: .code)
            }

            enum CodingKeys: String, CodingKey { case message, type, param, code }
        }

        var error: Detail
    }

    var headers: HTTPFields {
        var headers: HTTPFields = [.contentType: "application/json"]
        if let retryAfterSeconds { headers[.retryAfter] = String(retryAfterSeconds) }
        return headers
    }

    public func response(from request: Request, context: some RequestContext) throws -> Response {
        let body = Body(error: .init(message: message, type: type, param: param, code: code))
        let data = try JSONEncoder().encode(body)
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }
}

extension HTTPResponse.Status {
    /// 507: a model that does not fit in the memory left (the status HTTP has for a server out of room).
    public static let insufficientStorage = HTTPResponse.Status(code: 507, reasonPhrase: "Insufficient Storage")
}
