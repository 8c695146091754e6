import ArgumentParser
import BotticelliServer

/// Flags for the HTTP server.
struct ServerOptions: ParsableArguments {
    @Option(help: "Address to listen on (default 127.0.0.1; 0.0.0.0 listens on every interface).")
    var host: String?

    @Option(help: "Port to listen on (default 8080; 0 picks a free one).")
    var port: Int?

    @Option(name: .customLong("api-key"), help: "Require 'Authorization: Bearer <key>' on every route but /health.")
    var apiKey: String?

    @Option(name: .customLong("parallel"), help: "Requests generated at once in one batch (default 4).")
    var parallel: Int?

    @Option(name: .customLong("cors-origin"), help: "An origin allowed by CORS (repeatable; * allows any).")
    var corsOrigins: [String] = []

    @Option(
        name: .customLong("keep-alive"),
        help:
            "How long a model other than --model stays loaded once idle: 30s, 5m, 1h30m, -1 (forever), 0 (default 5m)."
    )
    var keepAlive: String?

    @Option(
        name: .customLong("max-models"),
        help: "The most models loaded at once; clients may name any downloaded model (default 3).")
    var maximumModels: Int?

    func validate() throws {
        if let port, !(0...65535).contains(port) {
            throw ValidationError("--port must be between 0 and 65535, got \(port)")
        }
        if let parallel, !(1...256).contains(parallel) {
            throw ValidationError("--parallel must be between 1 and 256, got \(parallel)")
        }
        if let apiKey, apiKey.isEmpty { throw ValidationError("--api-key must not be empty") }
        if let maximumModels, !(1...64).contains(maximumModels) {
            throw ValidationError("--max-models must be between 1 and 64, got \(maximumModels)")
        }
    }

    var configuration: ServerConfiguration {
        var configuration = ServerConfiguration()
        if let host { configuration.host = host }
        if let port { configuration.port = port }
        configuration.apiKey = apiKey
        configuration.corsOrigins = corsOrigins
        return configuration
    }
}
