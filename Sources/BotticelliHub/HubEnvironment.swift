import Foundation

/// The settings that huggingface_hub reads from the environment, gathered once so that tests can inject them.
public struct HubEnvironment: Sendable, Equatable {
    /// The Hub's base URL, without a trailing `/` (`HF_ENDPOINT`).
    public var endpoint: String
    /// The access token (`HF_TOKEN`, else the file `HF_TOKEN_PATH`, by default `$HF_HOME/token`).
    public var token: String?
    /// When true no request is made: only the cache answers (`HF_HUB_OFFLINE`).
    public var offline: Bool
    /// The root of the Hub cache (`HF_HUB_CACHE`, else `$HF_HOME/hub`).
    public var cacheDirectory: String
    /// The proxy for `https://` URLs (`HTTPS_PROXY`).
    public var httpsProxy: String?
    /// The proxy for `http://` URLs (`HTTP_PROXY`).
    public var httpProxy: String?
    /// Hosts reached without a proxy (`NO_PROXY`): exact names, domain suffixes, or `*`.
    public var noProxy: [String]

    public static let defaultEndpoint = "https://huggingface.co"

    public init(
        endpoint: String = HubEnvironment.defaultEndpoint,
        token: String? = nil,
        offline: Bool = false,
        cacheDirectory: String,
        httpsProxy: String? = nil,
        httpProxy: String? = nil,
        noProxy: [String] = []
    ) {
        var trimmed = endpoint
        while trimmed.hasSuffix("/") { trimmed.removeLast() }
        self.endpoint = trimmed
        self.token = token
        self.offline = offline
        self.cacheDirectory = cacheDirectory
        self.httpsProxy = httpsProxy
        self.httpProxy = httpProxy
        self.noProxy = noProxy
    }

    /// The environment of this process.
    public static func fromProcess() -> HubEnvironment {
        from(variables: ProcessInfo.processInfo.environment)
    }

    /// Reads the variables that huggingface_hub honours. `homeDirectory` stands for `~`.
    public static func from(
        variables: [String: String],
        homeDirectory: String = NSHomeDirectory()
    ) -> HubEnvironment {
        func value(_ name: String) -> String? {
            let found = variables[name] ?? variables[name.lowercased()]
            guard let found, !found.isEmpty else { return nil }
            return found
        }
        let cacheHome = value("XDG_CACHE_HOME") ?? "\(homeDirectory)/.cache"
        let hfHome = value("HF_HOME") ?? "\(cacheHome)/huggingface"
        let cacheDirectory = value("HF_HUB_CACHE") ?? "\(hfHome)/hub"
        var token = value("HF_TOKEN")?.trimmingCharacters(in: .whitespacesAndNewlines)
        let tokenPath = value("HF_TOKEN_PATH") ?? "\(hfHome)/token"
        if token == nil, let stored = try? String(contentsOfFile: tokenPath, encoding: .utf8) {
            let trimmed = stored.trimmingCharacters(in: .whitespacesAndNewlines)
            token = trimmed.isEmpty ? nil : trimmed
        }
        let noProxy = (value("NO_PROXY") ?? "").split(separator: ",")
            .map { $0.trimmingCharacters(in: .whitespaces) }
            .filter { !$0.isEmpty }
        return HubEnvironment(
            endpoint: value("HF_ENDPOINT") ?? defaultEndpoint,
            token: token,
            offline: isTrue(value("HF_HUB_OFFLINE")),
            cacheDirectory: cacheDirectory,
            httpsProxy: value("HTTPS_PROXY"),
            httpProxy: value("HTTP_PROXY"),
            noProxy: noProxy
        )
    }

    /// huggingface_hub's notion of a true flag.
    static func isTrue(_ value: String?) -> Bool {
        guard let value else { return false }
        return ["1", "ON", "YES", "TRUE"].contains(value.uppercased())
    }

    /// The proxy URL to use for a request to `host` over `scheme`, or nil to connect directly.
    public func proxy(scheme: String, host: String) -> String? {
        let proxy = scheme.lowercased() == "https" ? httpsProxy : httpProxy
        guard let proxy, !bypassesProxy(host: host) else { return nil }
        return proxy
    }

    /// Whether `NO_PROXY` names the host (an exact name, a domain suffix with or without a leading dot, or `*`).
    public func bypassesProxy(host: String) -> Bool {
        let host = host.lowercased()
        for entry in noProxy {
            var pattern = entry.lowercased()
            if pattern == "*" { return true }
            // "host:port" entries: the port is not compared. IPv6 literals have several colons and are kept.
            if pattern.filter({ $0 == ":" }).count == 1, let colon = pattern.firstIndex(of: ":") {
                pattern = String(pattern[..<colon])
            }
            while pattern.hasPrefix(".") || pattern.hasPrefix("*") { pattern.removeFirst() }
            if pattern.isEmpty { continue }
            if host == pattern || host.hasSuffix("." + pattern) { return true }
        }
        return false
    }
}
