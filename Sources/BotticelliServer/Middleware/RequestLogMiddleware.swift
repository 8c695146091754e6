import Foundation
import Hummingbird
import Logging

/// Gives each request an id (echoed as `X-Request-Id`), writes one access-log line per request, and counts
/// requests by route and status for /metrics. Headers are never logged, so keys and tokens stay out of logs.
struct RequestLogMiddleware<Context: RequestContext>: RouterMiddleware {
    let metrics: ServerMetrics
    let logger: Logger

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws
        -> Response
    {
        let started = ContinuousClock.now
        let requestID =
            request.headers[.init("X-Request-Id")!].flatMap { $0.count <= 64 ? $0 : nil }
            ?? RequestIdentifier.make()
        var context = context
        context.logger[metadataKey: "request_id"] = .string(requestID)
        var response: Response
        do {
            response = try await next(request, context)
        } catch let error as HTTPResponseError {
            response = try error.response(from: request, context: context)
        } catch {
            context.logger.error("unhandled error: \(error)")
            response = try APIError(.internalServerError, "internal error; see the server log (\(requestID))")
                .response(from: request, context: context)
        }
        response.headers[.init("X-Request-Id")!] = requestID
        let route = context.endpointPath ?? "unmatched"
        metrics.recordRequest(route: route, status: Int(response.status.code))
        let elapsed = ContinuousClock.now - started
        let milliseconds = Double(elapsed.components.seconds) * 1000 + Double(elapsed.components.attoseconds) / 1e15
        logger.info(
            "\(request.method) \(request.uri.path) \(response.status.code) \(String(format: "%.1f", milliseconds)) ms",
            metadata: ["request_id": .string(requestID)])
        return response
    }
}
