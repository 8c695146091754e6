import BotticelliCore
import Foundation
import Prometheus

/// The server's Prometheus metrics, served at /metrics. Engine load (busy sequences, queue) is sampled when the
/// metrics are read, so the numbers are current.
public final class ServerMetrics: Sendable {
    let registry = PrometheusCollectorRegistry()
    private let promptTokens: Counter
    private let generatedTokens: Counter
    private let generationsFinished: Counter
    private let tokensPerSecond: Gauge
    private let firstTokenSeconds: ValueHistogram
    private let busySequences: Gauge
    private let queuedRequests: Gauge
    private let loadedModels: Gauge
    let downloadBytes: Counter

    public init() {
        promptTokens = registry.makeCounter(
            name: "botticelli_prompt_tokens_total", help: "Prompt tokens read, cached ones included.")
        generatedTokens = registry.makeCounter(
            name: "botticelli_generated_tokens_total", help: "Tokens generated.")
        generationsFinished = registry.makeCounter(
            name: "botticelli_generations_total", help: "Generations that finished.")
        tokensPerSecond = registry.makeGauge(
            name: "botticelli_generated_tokens_per_second", help: "Generation speed of the last finished request.")
        firstTokenSeconds = registry.makeValueHistogram(
            name: "botticelli_time_to_first_token_seconds",
            buckets: [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
            help: "Time from a streaming request to its first token.")
        busySequences = registry.makeGauge(
            name: "botticelli_busy_sequences", help: "Sequences generating or processing a prompt.")
        queuedRequests = registry.makeGauge(
            name: "botticelli_queued_requests", help: "Requests waiting for a free sequence.")
        loadedModels = registry.makeGauge(name: "botticelli_loaded_models", help: "Models loaded in memory.")
        downloadBytes = registry.makeCounter(
            name: "botticelli_download_bytes_total", help: "Bytes downloaded from the Hub.")
    }

    /// Counts a request by route and status.
    func recordRequest(route: String, status: Int) {
        registry.makeCounter(
            name: "botticelli_requests_total", labels: [("route", route), ("status", String(status))],
            help: "HTTP requests by route and status."
        ).increment()
    }

    func record(_ summary: GenerationSummary) {
        promptTokens.increment(by: Int64(summary.promptTokens))
        generatedTokens.increment(by: Int64(summary.completionTokens))
        generationsFinished.increment()
        if summary.generatedTokensPerSecond > 0 { tokensPerSecond.set(summary.generatedTokensPerSecond) }
    }

    /// Records time to first token for a streaming request that started at `start`.
    func recordFirstToken(since start: ContinuousClock.Instant) {
        let elapsed = ContinuousClock.now - start
        firstTokenSeconds.record(
            Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18)
    }

    /// Refreshes the load gauges and renders the text exposition format.
    func render(provider: any ModelProvider) async -> String {
        let loaded = await provider.loadedEngines()
        loadedModels.set(Double(loaded.count))
        var busy = 0
        var queued = 0
        for engine in loaded {
            let status = await engine.status()
            busy += status.busySequences
            queued += status.queuedRequests
        }
        busySequences.set(Double(busy))
        queuedRequests.set(Double(queued))
        return registry.emitToString()
    }
}
