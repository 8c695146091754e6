/// How the HTTP server listens and whom it lets in.
public struct ServerConfiguration: Sendable, Hashable {
    public var host: String = "127.0.0.1"
    public var port: Int = 8080
    /// When set, every route but /health needs `Authorization: Bearer <key>`.
    public var apiKey: String?
    /// Origins allowed by CORS; `*` allows any.
    public var corsOrigins: [String] = []
    /// The largest request body accepted, in bytes.
    public var maxBodySize: Int = 8 << 20
    /// How long in-flight requests may run after SIGTERM/SIGINT before they are cancelled.
    public var shutdownGracePeriodSeconds: Double = 10

    public init() {}

    /// True when the server listens beyond this machine.
    public var bindsAllInterfaces: Bool {
        host == "0.0.0.0" || host == "::" || host == "*"
    }
}
