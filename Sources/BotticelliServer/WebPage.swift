import Foundation
import Hummingbird

/// The built-in web page: `Resources/web`, bundled with this target and read once. Only the files listed here are
/// served, so no request path reaches the file system.
enum WebPage {
    /// A file of the page, with its media type.
    struct File: Sendable {
        let bytes: Data
        let contentType: String
    }

    static let fileNames: [String: String] = [
        "index.html": "text/html; charset=utf-8",
        "app.js": "text/javascript; charset=utf-8",
        "markdown.js": "text/javascript; charset=utf-8",
        "style.css": "text/css; charset=utf-8",
        "icon.svg": "image/svg+xml",
    ]

    static let files: [String: File] = {
        guard let folder = Bundle.module.url(forResource: "web", withExtension: nil) else { return [:] }
        var files: [String: File] = [:]
        for (name, type) in fileNames {
            if let bytes = try? Data(contentsOf: folder.appendingPathComponent(name)) {
                files[name] = File(bytes: bytes, contentType: type)
            }
        }
        return files
    }()

    /// The page's own paths, which carry no data and so are served without the API key: the page asks for it.
    static func isPublic(_ path: String) -> Bool {
        path == "/" || path.hasPrefix("/ui/")
    }

    /// Scripts, styles and requests only from this server, no inline script, no framing by other sites: model
    /// output that slipped past the renderer as markup still could not run.
    static let securityPolicy =
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; "
        + "base-uri 'none'; form-action 'none'; frame-ancestors 'none'"

    static func response(_ name: String) throws(APIError) -> Response {
        guard let file = files[name] else {
            if fileNames[name] != nil {
                throw APIError(
                    .internalServerError, "the web page's \(name) is missing from this build; rebuild botticelli_server"
                )
            }
            throw APIError(.notFound, "no such file of the web page: \(name)", code: "not_found")
        }
        return Response(
            status: .ok,
            headers: [
                .contentType: file.contentType, .cacheControl: "no-cache",
                .contentSecurityPolicy: securityPolicy, .xContentTypeOptions: "nosniff",
            ],
            body: .init(byteBuffer: ByteBuffer(bytes: file.bytes)))
    }
}
