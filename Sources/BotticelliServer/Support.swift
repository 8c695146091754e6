import Foundation
import Hummingbird

/// JSON responses with the content type set.
enum JSONResponse {
    /// - Parameter keys: `.convertToSnakeCase` for types whose Swift names are camel case (Botticelli's own routes).
    static func make(
        _ value: some Encodable, status: HTTPResponse.Status = .ok,
        keys: JSONEncoder.KeyEncodingStrategy = .useDefaultKeys, headers: HTTPFields = [:]
    ) throws -> Response {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.withoutEscapingSlashes]
        encoder.keyEncodingStrategy = keys
        let data = try encoder.encode(value)
        var fields = headers
        fields[.contentType] = "application/json"
        return Response(status: status, headers: fields, body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }
}

/// Short random identifiers for responses and requests.
enum RequestIdentifier {
    static func make() -> String {
        let alphabet = Array("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789")
        return String((0..<24).map { _ in alphabet.randomElement()! })
    }
}

/// Writes a streamed body one event at a time: OpenAI's `data: …` server-sent events, or Ollama's JSON lines.
struct EventWriter {
    var writer: any ResponseBodyWriter
    let style: Style
    private let encoder: JSONEncoder

    enum Style {
        case serverSentEvents
        case jsonLines
    }

    init(writer: any ResponseBodyWriter, style: Style) {
        self.writer = writer
        self.style = style
        encoder = JSONEncoder()
        encoder.outputFormatting = [.withoutEscapingSlashes]
    }

    mutating func send(_ value: some Encodable) async throws {
        let json = try encoder.encode(value)
        var buffer = ByteBuffer()
        switch style {
        case .serverSentEvents:
            buffer.writeString("data: ")
            buffer.writeBytes(json)
            buffer.writeString("\n\n")
        case .jsonLines:
            buffer.writeBytes(json)
            buffer.writeString("\n")
        }
        try await writer.write(buffer)
    }

    /// A server-sent-events comment, which clients skip: written while nothing else is, it finds out whether the
    /// client is still there. JSON lines have no comments, so nothing is written for them.
    mutating func sendHeartbeat() async throws {
        guard style == .serverSentEvents else { return }
        try await writer.write(ByteBuffer(string: ": waiting\n\n"))
    }

    /// OpenAI's end-of-stream marker.
    mutating func sendDone() async throws {
        try await writer.write(ByteBuffer(string: "data: [DONE]\n\n"))
    }
}

enum ServerSentEvents {
    /// A streaming response. An error after the stream has started is sent as a last event, since the status line
    /// is already out. A client that goes away cancels `produce`, and so the generation it reads, at once
    /// (`Request.cancellingWhenClientLeaves`).
    static func response(
        style: EventWriter.Style = .serverSentEvents, watching request: Request,
        _ produce: @escaping @Sendable (inout EventWriter) async throws -> Void
    ) -> Response {
        let contentType = style == .serverSentEvents ? "text/event-stream" : "application/x-ndjson"
        var headers = Request.closingHeaders
        headers[.contentType] = contentType
        headers[.cacheControl] = "no-cache"
        return Response(
            status: .ok,
            headers: headers,
            body: ResponseBody { writer in
                var events = EventWriter(writer: writer, style: style)
                do {
                    try await request.cancellingWhenClientLeaves { try await produce(&events) }
                } catch let error as APIError {
                    try await events.send(APIError.Body(error: .init(message: error.message, type: error.type)))
                } catch let error as CancellationError {
                    throw error
                } catch {
                    try await events.send(
                        APIError.Body(error: .init(message: "\(error)", type: "server_error")))
                }
                try await events.writer.finish(nil)
            })
    }
}
