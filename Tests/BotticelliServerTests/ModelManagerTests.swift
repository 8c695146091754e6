import BotticelliCore
import Foundation
import Logging
import Testing

@testable import BotticelliServer

/// The model manager over stand-in engines: loading on first use, the limit on loaded models, keep-alive, and
/// refusing a model that does not fit in memory.
@Suite("Model manager")
struct ModelManagerTests {
    /// An engine that only has a name and a number of busy sequences.
    final class Engine: InferenceEngine, @unchecked Sendable {
        // @unchecked: `busy` is guarded by `lock`.
        let model: ServedModel
        private let lock = NSLock()
        private var busySequences = 0

        init(_ name: String) {
            model = ServedModel(
                id: name, path: "/models/\(name).gguf", sizeBytes: 1000, contextLength: 2048, embeddingLength: 4,
                architecture: "llama", quantization: "Q4_1", parameterCount: 1_000_000, chatTemplate: nil)
        }

        var busy: Int {
            get { lock.withLock { busySequences } }
            set { lock.withLock { busySequences = newValue } }
        }

        func generate(_ request: GenerationRequest) throws -> AsyncThrowingStream<GenerationEvent, any Error> {
            AsyncThrowingStream { $0.finish() }
        }
        func embed(_ inputs: [String]) async throws -> (vectors: [[Float]], promptTokens: Int) { ([], 0) }
        func tokenize(_ text: String, addSpecial: Bool) async throws -> [Int32] { [] }
        func detokenize(_ tokens: [Int32]) async throws -> String { "" }
        func renderChat(_ messages: [ChatMessage], addGenerationPrompt: Bool) async throws -> String { "" }
        func status() async -> EngineStatus {
            EngineStatus(
                parallelSequences: 2, busySequences: busy, queuedRequests: 0, queueCapacity: 8, contextSize: 2048)
        }
    }

    /// Knows the models "a" to "e" (each needing 100 bytes of the `memory` budget); loads take `loadTime`.
    final class Loader: ModelLoader, @unchecked Sendable {
        // @unchecked: the counters are guarded by `lock`.
        let memory: UInt64
        let loadTime: Duration
        private let lock = NSLock()
        private var loadCounts: [String: Int] = [:]
        private var unloadedNames: [String] = []
        private var engines: [String: Engine] = [:]

        init(memory: UInt64 = 10_000, loadTime: Duration = .zero) {
            self.memory = memory
            self.loadTime = loadTime
        }

        var loads: [String: Int] { lock.withLock { loadCounts } }
        var unloaded: [String] { lock.withLock { unloadedNames } }
        func engine(_ name: String) -> Engine? { lock.withLock { engines[name] } }

        func locate(_ name: String) async throws -> LoadableModel {
            guard ["a", "b", "c", "d", "e"].contains(name) else {
                throw ModelLookupError(name: name, available: ["a", "b", "c", "d", "e"])
            }
            return LoadableModel(id: name, path: "/models/\(name).gguf")
        }

        func load(_ model: LoadableModel, reservedBytes: UInt64) async throws -> LoadedEngine {
            try await Task.sleep(for: loadTime)
            guard reservedBytes + 100 <= memory else {
                throw APIError(.insufficientStorage, "cannot load '\(model.id)': not enough memory")
            }
            let engine = Engine(model.id)
            lock.withLock {
                loadCounts[model.id, default: 0] += 1
                engines[model.id] = engine
            }
            return LoadedEngine(engine: engine, memoryBytes: 100)
        }

        func unload(_ engine: any InferenceEngine) async {
            lock.withLock { unloadedNames.append(engine.model.id) }
        }

        func available() async -> [ModelListing] {
            ["a", "b", "c", "d", "e"].map {
                ModelListing(
                    id: $0, sizeBytes: 1000, modified: Date(), quantization: "Q4_1", family: "llama",
                    parameterSize: "1M")
            }
        }
    }

    /// A clock the test moves: keep-alive is checked without sleeping, however loaded the machine is.
    final class ManualTime: @unchecked Sendable {
        // @unchecked: `offset` is guarded by `lock`.
        private let start = ContinuousClock.now
        private let lock = NSLock()
        private var offset = Duration.zero

        var now: ContinuousClock.Instant { lock.withLock { start + offset } }
        func advance(_ duration: Duration) { lock.withLock { offset += duration } }
    }

    static func manager(
        _ loader: Loader, maximumLoaded: Int = 3, keepAlive: Double = 300, grace: Duration = .zero,
        time: ManualTime = ManualTime()
    ) -> (ModelManager, Engine) {
        let main = Engine("main")
        let manager = ModelManager(
            defaultEngine: LoadedEngine(engine: main, memoryBytes: 100), loader: loader,
            policy: .init(
                maximumLoaded: maximumLoaded, keepAliveSeconds: keepAlive, grace: grace, now: { time.now }),
            logger: Logger(label: "test"))
        return (manager, main)
    }

    static func ids(_ manager: ModelManager) async -> [String] {
        await manager.loadedModels().map(\.id)
    }

    @Test("the default model answers to no name, its id and its file name; others load on first use, once")
    func loadsOnDemand() async throws {
        let loader = Loader(loadTime: .milliseconds(50))
        let (manager, main) = Self.manager(loader)
        for name in [nil, "", "main", "main.gguf", "main:latest"] {
            #expect(try await manager.engine(for: name).model == main.model, "\(name ?? "nil")")
        }
        #expect(await Self.ids(manager) == ["main"])
        // Three requests at once for a model not loaded: one load.
        async let first = manager.engine(for: "a")
        async let second = manager.engine(for: "a")
        async let third = manager.engine(for: "a")
        let engines = try await [first, second, third]
        #expect(engines.allSatisfy { $0.model.id == "a" })
        #expect(loader.loads == ["a": 1])
        #expect(await Self.ids(manager) == ["main", "a"])
        // Listed: the loaded ones, then every other model on disk.
        #expect(await manager.listModels().map(\.id) == ["main", "a", "b", "c", "d", "e"])
        do {
            _ = try await manager.engine(for: "zzz")
            Issue.record("an unknown name found a model")
        } catch let error as ModelLookupError {
            // The loaded models are named first, then the rest of the cache.
            #expect(error.available == ["main", "a", "b", "c", "d", "e"])
        }
    }

    @Test("at the limit, the least recently used idle model is unloaded; when all are busy the request gets a 503")
    func limit() async throws {
        let loader = Loader()
        let time = ManualTime()
        let (manager, _) = Self.manager(loader, maximumLoaded: 3, time: time)
        for name in ["a", "b", "a", "c"] {  // b is the least recently used when c comes
            time.advance(.seconds(1))
            _ = try await manager.engine(for: name)
        }
        #expect(loader.unloaded == ["b"])
        #expect(Set(await Self.ids(manager)) == ["main", "a", "c"])

        loader.engine("a")?.busy = 1
        loader.engine("c")?.busy = 2
        do {
            _ = try await manager.engine(for: "d")
            Issue.record("loaded a fourth model while three were loaded and busy")
        } catch let error as APIError {
            #expect(error.status == .serviceUnavailable)
            #expect(error.retryAfterSeconds != nil)
            #expect(error.message.contains("--max-models"))
        }
        #expect(Set(await Self.ids(manager)) == ["main", "a", "c"])
        // The default model is never the one unloaded.
        #expect(!loader.unloaded.contains("main"))
    }

    @Test("keep-alive: an idle model is unloaded after its time, a busy one is not, -1 keeps it, 0 drops it at once")
    func keepAlive() async throws {
        let loader = Loader()
        let time = ManualTime()
        let (manager, _) = Self.manager(loader, maximumLoaded: 5, keepAlive: 300, grace: .seconds(1), time: time)
        _ = try await manager.engine(for: "a")
        _ = try await manager.engine(for: "b", keepAlive: -1)
        _ = try await manager.engine(for: "c")
        loader.engine("c")?.busy = 1
        await manager.sweep()
        #expect(Set(await Self.ids(manager)) == ["main", "a", "b", "c"])
        #expect(await manager.expiry(of: try #require(loader.engine("a")).model) != nil)
        #expect(await manager.expiry(of: try #require(loader.engine("b")).model) == nil)
        time.advance(.seconds(299))
        await manager.sweep()
        #expect(Set(await Self.ids(manager)) == ["main", "a", "b", "c"])
        time.advance(.seconds(2))
        await manager.sweep()
        #expect(Set(await Self.ids(manager)) == ["main", "b", "c"])
        // c was busy all along: it counts as used until it is idle, then waits its keep-alive again.
        loader.engine("c")?.busy = 0
        await manager.sweep()
        #expect(Set(await Self.ids(manager)).contains("c"))
        time.advance(.seconds(301))
        await manager.sweep()
        #expect(Set(await Self.ids(manager)) == ["main", "b"])

        // keep_alive 0: gone at the first sweep after the grace that lets its request reach the engine.
        _ = try await manager.engine(for: "d", keepAlive: 0)
        await manager.sweep()
        #expect(Set(await Self.ids(manager)) == ["main", "b", "d"])
        time.advance(.seconds(1))
        await manager.sweep()
        #expect(Set(await Self.ids(manager)) == ["main", "b"])
        #expect(loader.unloaded.sorted() == ["a", "c", "d"])
    }

    @Test("a keep-alive too long for a Duration keeps the model loaded instead of crashing the sweep")
    func hugeKeepAlive() async throws {
        // Found while writing fuzz/requests: `keep_alive: 1e300` (or "9999999999999999h", or `--keep-alive` of
        // Int.max seconds) trapped in the sweep's `Int64(seconds * 1000)` and took the whole server down.
        let loader = Loader()
        let time = ManualTime()
        let (manager, _) = Self.manager(loader, maximumLoaded: 5, keepAlive: Double(Int.max), time: time)
        _ = try await manager.engine(for: "a", keepAlive: 1e300)
        _ = try await manager.engine(for: "b", keepAlive: .infinity)
        _ = try await manager.engine(for: "c")
        time.advance(.seconds(3600 * 24 * 365 * 200))
        await manager.sweep()
        #expect(Set(await Self.ids(manager)) == ["main", "a", "b", "c"])
        for name in ["a", "b", "c"] {
            #expect(await manager.expiry(of: try #require(loader.engine(name)).model) == nil, "\(name)")
        }
    }

    @Test("a model that does not fit is refused with 507; idle models are unloaded first to make room")
    func memory() async throws {
        // Room for the default model and two more.
        let loader = Loader(memory: 300)
        let (manager, _) = Self.manager(loader, maximumLoaded: 5)
        _ = try await manager.engine(for: "a")
        _ = try await manager.engine(for: "b")
        loader.engine("a")?.busy = 1
        loader.engine("b")?.busy = 1
        do {
            _ = try await manager.engine(for: "c")
            Issue.record("loaded a model with no memory left")
        } catch let error as APIError {
            #expect(error.status.code == 507)
            #expect(error.message.contains("not enough memory"))
        }
        loader.engine("b")?.busy = 0
        _ = try await manager.engine(for: "c")
        #expect(Set(await Self.ids(manager)) == ["main", "a", "c"])
        #expect(loader.unloaded == ["b"])
    }

    @Test("status and metrics read the loaded engines without counting as use")
    func readingIsNotUse() async throws {
        let loader = Loader()
        let time = ManualTime()
        let (manager, _) = Self.manager(loader, keepAlive: 60, time: time)
        _ = try await manager.engine(for: "a")
        time.advance(.seconds(30))
        #expect(await manager.loadedEngines().count == 2)
        _ = await ServerMetrics().render(provider: manager)
        _ = await manager.listModels()
        time.advance(.seconds(31))
        await manager.sweep()
        #expect(await Self.ids(manager) == ["main"])
    }
}
