import BotticelliHub
import Foundation
import Hummingbird

/// Ollama's `/api/pull` and `/api/delete`, over a model library: downloads into the cache and removals from it.
struct OllamaModelRoutes<Context: RequestContext>: Sendable {
    let library: any ModelLibrary
    let provider: any ModelProvider
    var metrics: ServerMetrics?
    let bodyLimit: Int
    var progressInterval: Duration = .milliseconds(250)

    func register(on router: some RouterMethods<Context>) {
        let group = router.group("api")
        group.post("pull") { request, context in try await pull(request, context) }
        group.delete("delete") { request, context in try await delete(request, context) }
    }

    /// Errors found before the download (a bad or unknown name, a model that does not fit) get their status; once
    /// the stream has started, an error is its last line. A client that goes away cancels the download; what was
    /// downloaded stays, and the next pull resumes from it.
    func pull(_ request: Request, _ context: Context) async throws -> Response {
        let body = try await JSONBody.decode(OllamaPullRequest.self, from: request, limit: bodyLimit)
        guard let name = body.resolvedName, !name.isEmpty else {
            throw APIError.badField("model", "give the model's name in 'model'")
        }
        let library = self.library
        let plan = try await Self.answering { try await library.preparePull(name: name) }
        context.logger.info("pulling \(name)", metadata: ["cached": "\(plan.isCached)"])
        guard body.stream ?? true else {
            try await Self.answering { try await library.pull(plan) { _ in } }
            return try JSONResponse.make(OllamaPullStatus(status: "success"))
        }
        let interval = progressInterval
        let metrics = self.metrics
        return Response(
            status: .ok, headers: [.contentType: "application/x-ndjson", .cacheControl: "no-cache"],
            body: ResponseBody { writer in
                var events = EventWriter(writer: writer, style: .jsonLines)
                try await Self.stream(plan, library: library, interval: interval, metrics: metrics, to: &events)
                try await events.writer.finish(nil)
            })
    }

    static func stream(
        _ plan: PullPlan, library: any ModelLibrary, interval: Duration, metrics: ServerMetrics? = nil,
        to events: inout EventWriter
    ) async throws {
        var progress = OllamaPullProgress(plan: plan, interval: interval)
        // Bytes this pull transferred, per file: what a resumed partial already held is not counted.
        var transferred = DownloadCounter()
        try await events.send(OllamaPullStatus(status: "pulling manifest"))
        let (reports, report, finish) = DownloadProgress.makeStream(bufferingNewest: 64)
        // The download is a child task: when a write fails (the client left), leaving the group cancels it.
        let failure: String? = try await withThrowingTaskGroup(of: Void.self, returning: String?.self) { group in
            group.addTask {
                defer { finish() }
                try await library.pull(plan, progress: report)
            }
            for await update in reports {
                metrics?.downloadBytes.increment(by: transferred.newBytes(in: update))
                if let line = progress.line(for: update, now: .now) { try await events.send(line) }
            }
            do {
                try await group.waitForAll()
                return nil
            } catch let error as ModelLibraryError {
                return error.message
            } catch let error as CancellationError {
                throw error
            } catch {
                return "\(error)"
            }
        }
        if let failure {
            try await events.send(OllamaErrorMiddleware<Context>.Body(error: failure))
            return
        }
        for line in progress.closingLines() { try await events.send(line) }
    }

    /// 200 with an empty body once removed; the model being served is refused.
    func delete(_ request: Request, _ context: Context) async throws -> Response {
        let body = try await JSONBody.decode(OllamaModelRequest.self, from: request, limit: bodyLimit)
        guard let name = body.resolvedName, !name.isEmpty else {
            throw APIError.badField("model", "give the model's name in 'model'")
        }
        let served = await provider.loadedModels().map(\.path)
        let library = self.library
        try await Self.answering { try await library.delete(name: name, servedPaths: served) }
        context.logger.info("deleted \(name)")
        return Response(status: .ok)
    }

    /// Runs `body`, answering a ``ModelLibraryError`` with its status and message.
    static func answering<Result: Sendable>(_ body: () async throws -> Result) async throws -> Result {
        do {
            return try await body()
        } catch let error as ModelLibraryError {
            throw APIError(error.status, error.message, code: error.kind.rawValue)
        }
    }
}

/// Turns cumulative progress reports into the bytes that arrived since the previous report of the same file.
struct DownloadCounter {
    private var seen: [String: Int64] = [:]

    mutating func newBytes(in update: DownloadProgress) -> Int64 {
        let key = update.repo + "/" + update.filename
        guard let previous = seen[key] else {
            // The first report says what was on disk before this pull.
            seen[key] = update.completedBytes
            return 0
        }
        seen[key] = max(previous, update.completedBytes)
        return max(0, update.completedBytes - previous)
    }
}
