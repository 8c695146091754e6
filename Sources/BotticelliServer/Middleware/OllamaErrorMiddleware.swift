import Hummingbird

/// Ollama clients read errors as `{"error": "message"}`; this answers every error on the /api routes in that shape:
/// the routes' own, the API key's 401, and unexpected failures (as 500, logged). It sits outside the API key check and
/// inside CORS, so those answers still get their CORS headers.
struct OllamaErrorMiddleware<Context: RequestContext>: RouterMiddleware {
    struct Body: Encodable {
        var error: String
    }

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws
        -> Response
    {
        guard request.uri.path.hasPrefix("/api/") else {
            return try await next(request, context)
        }
        do {
            return try await next(request, context)
        } catch let error as APIError {
            return try Self.response(error)
        } catch let error as any HTTPResponseError {
            throw error
        } catch {
            context.logger.error("unhandled error: \(error)")
            return try Self.response(APIError(.internalServerError, "internal error; see the server log"))
        }
    }

    static func response(_ error: APIError) throws -> Response {
        var response = try JSONResponse.make(Body(error: error.message), status: error.status)
        response.headers.append(contentsOf: error.headers.filter { $0.name != .contentType })
        return response
    }
}
