import Foundation
import Hummingbird

/// The OpenAPI 3.1 description of every route, served at /openapi.json. It is a resource of this target
/// (`Resources/openapi.json`), read once; a route test checks that it names every route the router has.
enum OpenAPIDocument {
    /// The document's bytes, or nil when the resource is missing from the build.
    static let bytes: Data? = Bundle.module.url(forResource: "openapi", withExtension: "json")
        .flatMap { try? Data(contentsOf: $0) }

    static func response() throws(APIError) -> Response {
        guard let bytes else {
            throw APIError(
                .internalServerError, "openapi.json is missing from this build; rebuild botticelli_server")
        }
        return Response(
            status: .ok, headers: [.contentType: "application/json"],
            body: .init(byteBuffer: ByteBuffer(bytes: bytes)))
    }
}
