import Crypto
import Foundation
import Hummingbird

/// Requires `Authorization: Bearer <key>` on every route but /health and the web page's own files (which hold no
/// data; the page asks for the key and sends it with its requests). The comparison takes the same time whatever
/// the key's prefix, and the key never appears in logs or error messages.
struct APIKeyMiddleware<Context: RequestContext>: RouterMiddleware {
    private let expectedDigest: [UInt8]

    init(apiKey: String) {
        expectedDigest = Array(SHA256.hash(data: Data(apiKey.utf8)))
    }

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws
        -> Response
    {
        let path = request.uri.path
        if path == "/health" || request.method == .options
            || (request.method == .get || request.method == .head) && WebPage.isPublic(path)
        {
            return try await next(request, context)
        }
        guard let presented = Self.bearerToken(request.headers[.authorization]) else {
            throw APIError(
                .unauthorized, "this server needs an API key: send the header 'Authorization: Bearer <key>'",
                code: "missing_api_key")
        }
        // Comparing fixed-length digests byte by byte, without an early exit, hides the key's length and content.
        let digest = Array(SHA256.hash(data: Data(presented.utf8)))
        var difference: UInt8 = 0
        for (left, right) in zip(digest, expectedDigest) { difference |= left ^ right }
        guard difference == 0 else {
            throw APIError(.unauthorized, "the API key is not valid", code: "invalid_api_key")
        }
        return try await next(request, context)
    }

    static func bearerToken(_ header: String?) -> String? {
        guard let header else { return nil }
        let parts = header.split(separator: " ", maxSplits: 1)
        guard parts.count == 2, parts[0].lowercased() == "bearer" else { return nil }
        return String(parts[1]).trimmingCharacters(in: .whitespaces)
    }
}
