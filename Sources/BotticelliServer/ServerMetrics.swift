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
            descriptor: Self.named("prompt_tokens", unit: "total", "Prompt tokens read, cached ones included."))
        generatedTokens = registry.makeCounter(
            descriptor: Self.named("generated_tokens", unit: "total", "Tokens generated."))
        generationsFinished = registry.makeCounter(
            descriptor: Self.named("generations", unit: "total", "Generations that finished."))
        tokensPerSecond = registry.makeGauge(
            descriptor: Self.named(
                "generated_tokens", unit: "per_second", "Generation speed of the last finished request."))
        firstTokenSeconds = registry.makeValueHistogram(
            descriptor: Self.named(
                "time_to_first_token", unit: "seconds", "Time from a streaming request to its first token."),
            buckets: [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30])
        busySequences = registry.makeGauge(
            descriptor: Self.named("busy_sequences", "Sequences generating or processing a prompt."))
        queuedRequests = registry.makeGauge(
            descriptor: Self.named("queued_requests", "Requests waiting for a free sequence."))
        loadedModels = registry.makeGauge(descriptor: Self.named("loaded_models", "Models loaded in memory."))
        downloadBytes = registry.makeCounter(
            descriptor: Self.named("download_bytes", unit: "total", "Bytes downloaded from the Hub."))
    }

    /// A metric named `botticelli_<name>[_<unit>]`; a count of things has no unit.
    private static func named(_ name: String, unit: String = "", _ help: String) -> MetricNameDescriptor {
        MetricNameDescriptor(namespace: "botticelli", metricName: name, unitName: unit, helpText: help)
    }

    /// Counts a request by route and status.
    func recordRequest(route: String, status: Int) {
        registry.makeCounter(
            descriptor: Self.named("requests", unit: "total", "HTTP requests by route and status."),
            labels: [("route", route), ("status", String(status))]
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
