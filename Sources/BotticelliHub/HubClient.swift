import AsyncHTTPClient
import Foundation
import Logging

/// Talks to the Hugging Face Hub (or a mirror named by `HF_ENDPOINT`): file metadata, file listings, file bytes.
///
/// The token goes only to the endpoint's own origin; redirects are followed by hand so that a redirect to a
/// CDN never carries it. Call ``shutdown()`` when done.
public final class HubClient: Sendable {
    public let environment: HubEnvironment
    let logger: Logger
    private let direct: HTTPClient
    private let httpsProxied: HTTPClient?
    private let httpProxied: HTTPClient?
    private let endpointOrigin: Origin?

    /// The User-Agent sent with every request.
    public static let userAgent = "botticelli/0.1; hf_hub-compatible"

    public init(environment: HubEnvironment, logger: Logger = Logger(label: "botticelli.hub")) {
        self.environment = environment
        self.logger = logger
        self.endpointOrigin = Origin(environment.endpoint)
        func makeClient(proxy: String?) -> HTTPClient {
            var configuration = HTTPClient.Configuration(
                redirectConfiguration: .disallow,
                timeout: .init(connect: .seconds(10), read: .seconds(60)),
                proxy: proxy.flatMap(Self.proxyConfiguration)
            )
            configuration.connectionPool.concurrentHTTP1ConnectionsPerHostSoftLimit = 32
            // Fail fast on a refused connection: the downloader's own retry rule (backoff, give-up) decides.
            configuration.connectionPool.retryConnectionEstablishment = false
            configuration.decompression = .disabled
            return HTTPClient(eventLoopGroup: HTTPClient.defaultEventLoopGroup, configuration: configuration)
        }
        direct = makeClient(proxy: nil)
        httpsProxied = environment.httpsProxy.map { makeClient(proxy: $0) }
        httpProxied = environment.httpProxy.map { makeClient(proxy: $0) }
    }

    /// Closes the connection pools. The client cannot be used afterwards.
    public func shutdown() async throws {
        try await direct.shutdown()
        try await httpsProxied?.shutdown()
        try await httpProxied?.shutdown()
    }

    static func proxyConfiguration(_ url: String) -> HTTPClient.Configuration.Proxy? {
        guard let components = URLComponents(string: url.contains("://") ? url : "http://" + url),
            let host = components.host
        else { return nil }
        let port = components.port ?? (components.scheme == "https" ? 443 : 80)
        var authorization: HTTPClient.Authorization?
        if let user = components.user {
            authorization = .basic(username: user, password: components.password ?? "")
        }
        return .server(host: host, port: port, authorization: authorization)
    }

    /// The file URL: revision fully percent-encoded, filename percent-encoded except for `/`.
    public func resolveURL(repo: String, revision: String, filename: String) -> String {
        let encodedRevision = HubNames.percentEncode(revision, keepingSlash: false)
        let encodedFilename = HubNames.percentEncode(filename, keepingSlash: true)
        return "\(environment.endpoint)/\(repo)/resolve/\(encodedRevision)/\(encodedFilename)"
    }

    /// Whether a request to `url` may carry the token: only the endpoint's own origin may.
    func isEndpointOrigin(_ url: String) -> Bool {
        guard let endpointOrigin, let origin = Origin(url) else { return false }
        return origin == endpointOrigin
    }

    private func client(for url: String) -> HTTPClient {
        guard let components = URLComponents(string: url), let host = components.host,
            environment.proxy(scheme: components.scheme ?? "https", host: host) != nil
        else { return direct }
        return (components.scheme == "http" ? httpProxied : httpsProxied) ?? direct
    }

    /// Sends one request without following redirects. The token is attached only for the endpoint's origin.
    func send(
        method: RequestMethod, url: String, headers extra: [(String, String)] = [], timeout: Duration
    ) async throws(HubError) -> HTTPClientResponse {
        guard !environment.offline else {
            throw HubError(.notCachedOffline, "HF_HUB_OFFLINE is set: refusing a request to \(url)")
        }
        var request = HTTPClientRequest(url: url)
        switch method {
        case .head: request.method = .HEAD
        case .get: request.method = .GET
        }
        request.headers.add(name: "User-Agent", value: Self.userAgent)
        for (name, value) in extra { request.headers.add(name: name, value: value) }
        if let token = environment.token, isEndpointOrigin(url) {
            request.headers.add(name: "Authorization", value: "Bearer \(token)")
        }
        let seconds = Int64(timeout.components.seconds)
        do {
            return try await client(for: url).execute(request, timeout: .seconds(max(seconds, 1)), logger: logger)
        } catch {
            throw .network(Origin(url)?.description ?? url, error)
        }
    }

    /// Resolves a `Location` header against the URL that answered with it.
    static func resolve(location: String, against base: String) -> String? {
        guard let baseURL = URL(string: base), let resolved = URL(string: location, relativeTo: baseURL) else {
            return nil
        }
        return resolved.absoluteString
    }
}

/// The methods this client sends (kept local so that callers need not import NIO).
enum RequestMethod {
    case head
    case get
}

/// Scheme, host and port: two URLs with the same origin are the same server.
struct Origin: Equatable, CustomStringConvertible {
    var scheme: String
    var host: String
    var port: Int

    init?(_ url: String) {
        guard let components = URLComponents(string: url), let scheme = components.scheme?.lowercased(),
            let host = components.host?.lowercased()
        else { return nil }
        self.scheme = scheme
        self.host = host
        self.port = components.port ?? (scheme == "https" ? 443 : 80)
    }

    var description: String { "\(scheme)://\(host):\(port)" }
}
