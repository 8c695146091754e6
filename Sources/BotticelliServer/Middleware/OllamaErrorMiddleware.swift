import Hummingbird

/// Ollama clients read errors as `{"error": "message"}`; this answers the /api routes' errors in that shape.
struct OllamaErrorMiddleware<Context: RequestContext>: RouterMiddleware {
    struct Body: Encodable {
        var error: String
    }

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws
        -> Response
    {
        do {
            return try await next(request, context)
        } catch let error as APIError {
            var response = try JSONResponse.make(Body(error: error.message), status: error.status)
            response.headers.append(contentsOf: error.headers.filter { $0.name != .contentType })
            return response
        }
    }
}
