import BotticelliCore
import Hummingbird
import Logging
import ServiceLifecycle

/// Builds the HTTP application: every route, over a model provider, with the middleware the configuration asks for.
public enum BotticelliApplication {
    /// The router alone, for tests that drive it without a socket. `/api/pull` and `/api/delete` exist only with a
    /// `library`.
    public static func router(
        provider: any ModelProvider, library: (any ModelLibrary)? = nil, configuration: ServerConfiguration,
        metrics: ServerMetrics, logger: Logger
    ) -> Router<BasicRequestContext> {
        let router = Router(context: BasicRequestContext.self)
        router.add(middleware: RequestLogMiddleware(metrics: metrics, logger: logger))
        if !configuration.corsOrigins.isEmpty {
            router.add(middleware: CORSOriginMiddleware(allowedOrigins: configuration.corsOrigins))
        }
        router.add(middleware: OllamaErrorMiddleware())
        if let apiKey = configuration.apiKey, !apiKey.isEmpty {
            router.add(middleware: APIKeyMiddleware(apiKey: apiKey))
        }
        let limit = configuration.maxBodySize
        OperationsRoutes<BasicRequestContext>(provider: provider, metrics: metrics, bodyLimit: limit)
            .register(on: router)
        OpenAIRoutes<BasicRequestContext>(provider: provider, metrics: metrics, bodyLimit: limit)
            .register(on: router)
        OllamaRoutes<BasicRequestContext>(provider: provider, metrics: metrics, bodyLimit: limit)
            .register(on: router)
        LlamaServerRoutes<BasicRequestContext>(provider: provider, metrics: metrics, bodyLimit: limit)
            .register(on: router)
        WebPageRoutes<BasicRequestContext>(provider: provider, library: library).register(on: router)
        if let library {
            OllamaModelRoutes<BasicRequestContext>(
                library: library, provider: provider, metrics: metrics, bodyLimit: limit
            )
            .register(on: router)
        }
        return router
    }

    /// The application, ready to run as a service. `onReady` is called once the port is bound.
    public static func make(
        provider: any ModelProvider,
        library: (any ModelLibrary)? = nil,
        configuration: ServerConfiguration,
        metrics: ServerMetrics = ServerMetrics(),
        logger: Logger,
        onReady: @escaping @Sendable (Int) async -> Void = { _ in }
    ) -> some ApplicationProtocol {
        let router = router(
            provider: provider, library: library, configuration: configuration, metrics: metrics, logger: logger)
        return Application(
            router: router,
            configuration: .init(
                address: .hostname(configuration.host, port: configuration.port), serverName: "botticelli"),
            onServerRunning: { channel in await onReady(channel.localAddress?.port ?? configuration.port) },
            logger: logger)
    }

    /// Runs the server, and `services` beside it (the model manager's sweeper), until SIGTERM or SIGINT, then lets
    /// in-flight requests finish for the grace period.
    public static func run(
        provider: any ModelProvider,
        library: (any ModelLibrary)? = nil,
        configuration: ServerConfiguration,
        metrics: ServerMetrics = ServerMetrics(),
        services: [any Service] = [],
        logger: Logger,
        onReady: @escaping @Sendable (Int) async -> Void = { _ in }
    ) async throws {
        if configuration.bindsAllInterfaces && configuration.apiKey == nil {
            logger.warning(
                "listening on all interfaces (\(configuration.host)) without an API key: anyone who can reach this machine can use the model; set --api-key"
            )
        }
        let application = make(
            provider: provider, library: library, configuration: configuration, metrics: metrics, logger: logger,
            onReady: onReady)
        var groupConfiguration = ServiceGroupConfiguration(
            services: [application] + services, gracefulShutdownSignals: [.sigterm, .sigint], logger: logger)
        groupConfiguration.maximumGracefulShutdownDuration = .milliseconds(
            Int64(configuration.shutdownGracePeriodSeconds * 1000))
        try await ServiceGroup(configuration: groupConfiguration).run()
    }
}
