// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "Botticelli",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "botticelli_server", targets: ["botticelli_server"]),
        .library(name: "BotticelliCore", targets: ["BotticelliCore"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-crypto", "3.12.3"..<"5.0.0"),
        .package(url: "https://github.com/apple/swift-metrics", from: "2.13.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/apple/swift-http-types", from: "1.8.0"),
        .package(url: "https://github.com/swift-server/async-http-client", from: "1.37.0"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.4.1"),
        .package(url: "https://github.com/LebJe/TOMLKit", from: "0.6.0"),
    ],
    targets: [
        // llama.cpp, found through pkg-config: scripts/provision-llama builds it when no package provides it.
        .systemLibrary(
            name: "CLlama",
            pkgConfig: "llama",
            providers: [.brew(["llama.cpp"]), .apt(["libllama-dev"])]
        ),
        // The only target that imports CLlama: owns every C handle and checks every return code.
        .target(
            name: "BotticelliLlama",
            dependencies: [
                "CLlama",
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        // Domain: registry, GGUF inspection, hub, configuration and the inference protocol. No llama.cpp.
        .target(
            name: "BotticelliCore",
            dependencies: [
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            resources: [.copy("Resources/registry.json")]
        ),
        // A Jinja interpreter for the chat templates that models ship in their GGUF files. No dependencies.
        .target(name: "BotticelliJinja"),
        // The Hugging Face Hub client and the resumable, verified download engine over the Hub's cache layout.
        .target(
            name: "BotticelliHub",
            dependencies: [
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        // Model names to files: the registry, the Hub cache and downloads, local paths; used by the CLI and server.
        .target(
            name: "BotticelliModelStore",
            dependencies: [
                "BotticelliCore",
                "BotticelliHub",
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        // The serving engine: the inference protocol of the core, implemented over the wrapper.
        .target(
            name: "BotticelliEngine",
            dependencies: [
                "BotticelliCore",
                "BotticelliJinja",
                "BotticelliLlama",
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        // The HTTP server: OpenAI- and Ollama-compatible routes over the inference protocol.
        .target(
            name: "BotticelliServer",
            dependencies: [
                "BotticelliCore",
                "BotticelliHub",
                "BotticelliModelStore",
                .product(name: "Hummingbird", package: "hummingbird"),
                // APIError and the request decoders need only HTTPTypes, so fuzz/requests builds them without the rest.
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            resources: [.copy("Resources/openapi.json"), .copy("Resources/web")]
        ),
        // The command line: one file per subcommand; `run()` wires the libraries together.
        .target(
            name: "BotticelliCommands",
            dependencies: [
                "BotticelliCore",
                "BotticelliEngine",
                "BotticelliHub",
                "BotticelliModelStore",
                "BotticelliServer",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "TOMLKit", package: "TOMLKit"),
            ]
        ),
        .executableTarget(
            name: "botticelli_server",
            dependencies: ["BotticelliCommands"]
        ),
        .target(
            name: "BotticelliTestSupport",
            dependencies: ["BotticelliCore"],
            path: "Tests/BotticelliTestSupport"
        ),
        .testTarget(
            name: "BotticelliCoreTests",
            dependencies: ["BotticelliCore", "BotticelliTestSupport"]
        ),
        .testTarget(
            name: "BotticelliJinjaTests",
            dependencies: ["BotticelliJinja"]
        ),
        .testTarget(
            name: "BotticelliHubTests",
            dependencies: [
                "BotticelliHub",
                "BotticelliTestSupport",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]
        ),
        .testTarget(
            name: "BotticelliLlamaTests",
            dependencies: ["BotticelliLlama", "BotticelliTestSupport"]
        ),
        .testTarget(
            name: "BotticelliEngineTests",
            dependencies: ["BotticelliEngine", "BotticelliCore", "BotticelliTestSupport"]
        ),
        .testTarget(
            name: "BotticelliServerTests",
            dependencies: [
                "BotticelliServer",
                "BotticelliHub",
                "BotticelliModelStore",
                "BotticelliCore",
                "BotticelliEngine",
                "BotticelliTestSupport",
                .product(name: "HummingbirdTesting", package: "hummingbird"),
            ]
        ),
        .testTarget(
            name: "BotticelliCommandsTests",
            dependencies: [
                "BotticelliCommands", "BotticelliModelStore", "BotticelliHub", "BotticelliCore",
                "BotticelliTestSupport",
            ]
        ),
    ],
    swiftLanguageModes: [.v6]
)
