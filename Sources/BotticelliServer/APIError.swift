import BotticelliCore
import HTTPTypes

/// An error answered in OpenAI's shape, `{"error": {"message", "type", "param", "code"}}`, with its status.
/// Ollama routes answer the same errors as `{"error": "message"}` (see `OllamaErrorMiddleware`).
///
/// Only HTTPTypes here, not Hummingbird (`APIError+Response.swift`), so that the request decoders that throw it build
/// without the server (fuzz/requests).
public struct APIError: Error, Sendable {
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

    /// Runs an engine call for a route, OpenAI's or Ollama's alike: an engine error becomes the API error that
    /// reports it (`from(_:)`); any other error passes unchanged.
    static func reportingEngineErrors<Value>(_ call: () throws -> Value) throws -> Value {
        do {
            return try call()
        } catch let error as InferenceError {
            throw from(error)
        }
    }

    /// `reportingEngineErrors` for an engine call that suspends.
    static func reportingEngineErrors<Value>(_ call: () async throws -> Value) async throws -> Value {
        do {
            return try await call()
        } catch let error as InferenceError {
            throw from(error)
        }
    }
}

extension HTTPResponse.Status {
    /// 507: a model that does not fit in the memory left (the status HTTP has for a server out of room).
    public static let insufficientStorage = HTTPResponse.Status(code: 507, reasonPhrase: "Insufficient Storage")
}
