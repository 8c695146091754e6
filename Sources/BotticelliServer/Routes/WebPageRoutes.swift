import BotticelliCore
import Foundation
import Hummingbird

/// The built-in web page (`/` and `/ui/…`) and the two routes it reads besides the OpenAI and Ollama ones:
/// `/status` (what is loaded and how busy it is) and `/registry` (the models table, with this machine's fit).
struct WebPageRoutes<Context: RequestContext>: Sendable {
    let provider: any ModelProvider
    let library: (any ModelLibrary)?
    let startedAt = ContinuousClock.now

    /// `/status`: each loaded model with its sequences and queue, and the totals.
    struct Status: Encodable, Sendable {
        struct Model: Encodable, Sendable {
            var id: String
            var path: String
            var sizeBytes: Int64
            var architecture: String
            var quantization: String
            var contextSize: Int
            var parallelSequences: Int
            var busySequences: Int
            var queuedRequests: Int
            var queueCapacity: Int
        }
        var version: String
        var uptimeSeconds: Int
        var busySequences: Int
        var queuedRequests: Int
        var models: [Model]
        /// Whether `/registry`, `/api/pull` and `/api/delete` are served (they are when the server has a cache).
        var managesModels: Bool
    }

    func register(on router: some RouterMethods<Context>) {
        router.get("/") { _, _ in try WebPage.response("index.html") }
        router.get("ui/:file") { _, context in
            try WebPage.response(context.parameters.get("file") ?? "")
        }
        router.get("status") { _, _ in try JSONResponse.make(await status(), keys: .convertToSnakeCase) }
        if let library {
            router.get("registry") { _, _ in
                try JSONResponse.make(await library.catalog(), keys: .convertToSnakeCase)
            }
        }
    }

    func status() async -> Status {
        var models: [Status.Model] = []
        for engine in await provider.loadedEngines() {
            let model = engine.model
            let load = await engine.status()
            models.append(
                Status.Model(
                    id: model.id, path: model.path, sizeBytes: model.sizeBytes, architecture: model.architecture,
                    quantization: model.quantization, contextSize: load.contextSize,
                    parallelSequences: load.parallelSequences, busySequences: load.busySequences,
                    queuedRequests: load.queuedRequests, queueCapacity: load.queueCapacity))
        }
        let uptime = ContinuousClock.now - startedAt
        return Status(
            version: Botticelli.version, uptimeSeconds: Int(uptime.components.seconds),
            busySequences: models.reduce(0) { $0 + $1.busySequences },
            queuedRequests: models.reduce(0) { $0 + $1.queuedRequests }, models: models, managesModels: library != nil)
    }
}
