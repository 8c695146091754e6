import BotticelliCore
import Foundation
import Logging
import ServiceLifecycle

/// Serves several models, as Ollama does: the model the server was started with stays loaded; any other model on
/// disk is loaded the first time a request names it, kept while requests come, and unloaded once it has been idle
/// for its keep-alive (the server's default, or the last request's `keep_alive`). At most `maximumLoaded` models
/// are loaded at once: loading one more first unloads the least recently used idle one, and a model that does not
/// fit in the memory the others leave is refused with a message instead of being loaded into swap or the OOM
/// killer.
public actor ModelManager: ModelProvider, Service {
    /// How many models may be loaded and for how long an idle one stays.
    public struct Policy: Sendable {
        /// The most models loaded at once, the default one included.
        public var maximumLoaded: Int
        /// Seconds an idle model stays loaded: negative is forever, 0 unloads it once its request is done.
        public var keepAliveSeconds: Double
        /// How often idle models are looked for.
        public var sweepInterval: Duration
        /// How long a model handed to a request counts as in use before its request shows in the engine's status.
        public var grace: Duration
        /// The time; tests move it by hand.
        public var now: @Sendable () -> ContinuousClock.Instant

        public init(
            maximumLoaded: Int = 3, keepAliveSeconds: Double = 300, sweepInterval: Duration = .milliseconds(500),
            grace: Duration = .seconds(1), now: @escaping @Sendable () -> ContinuousClock.Instant = { .now }
        ) {
            self.maximumLoaded = max(1, maximumLoaded)
            self.keepAliveSeconds = keepAliveSeconds
            self.sweepInterval = sweepInterval
            self.grace = grace
            self.now = now
        }
    }

    struct Entry {
        let loaded: LoadedEngine
        var lastUsed: ContinuousClock.Instant
        var keepAliveSeconds: Double
        /// The model the server was started with: never unloaded.
        let pinned: Bool

        var engine: any InferenceEngine { loaded.engine }
    }

    private let loader: any ModelLoader
    private let policy: Policy
    private let logger: Logger
    private let defaultPath: String
    /// Loaded models by file path, in no order; `lastUsed` gives the order.
    private var entries: [String: Entry] = [:]
    /// Loads in progress by file path, so that two requests for one model load it once.
    private var loading: [String: Task<LoadedEngine, any Error>] = [:]

    /// - Parameter defaultEngine: the model the server was started with, already loaded.
    public init(defaultEngine: LoadedEngine, loader: any ModelLoader, policy: Policy = Policy(), logger: Logger) {
        self.loader = loader
        self.policy = policy
        self.logger = logger
        defaultPath = defaultEngine.engine.model.path
        entries[defaultPath] = Entry(
            loaded: defaultEngine, lastUsed: policy.now(), keepAliveSeconds: -1, pinned: true)
    }

    // MARK: ModelProvider

    public func engine(for name: String?) async throws -> any InferenceEngine {
        try await engine(for: name, keepAlive: nil)
    }

    public func engine(for name: String?, keepAlive: Double?) async throws -> any InferenceEngine {
        let path: String
        if let name, !name.isEmpty {
            if let found = entries.first(where: { $0.value.engine.model.answers(to: name) }) {
                path = found.key
            } else {
                let model: LoadableModel
                do {
                    model = try await loader.locate(name)
                } catch var error as ModelLookupError {
                    // The list names what a client can use: the loaded models too.
                    let loaded = orderedEntries().map(\.engine.model.id)
                    error.available = loaded + error.available.filter { !loaded.contains($0) }
                    throw error
                }
                if entries[model.path] == nil { try await load(model) }
                path = model.path
            }
        } else {
            path = defaultPath
        }
        guard var entry = entries[path] else {
            // Unloaded while this request waited for another load: load it again.
            return try await engine(for: name, keepAlive: keepAlive)
        }
        entry.lastUsed = policy.now()
        if let keepAlive, !entry.pinned { entry.keepAliveSeconds = KeepAlive.effectiveSeconds(keepAlive) }
        entries[path] = entry
        return entry.engine
    }

    public func listModels() async -> [ModelListing] {
        let loaded = entries.values.sorted { $0.pinned && !$1.pinned }.map { ModelListing($0.engine.model) }
        let loadedIDs = Set(loaded.map(\.id))
        return loaded + (await loader.available()).filter { !loadedIDs.contains($0.id) }
    }

    public func loadedModels() async -> [ServedModel] {
        orderedEntries().map(\.engine.model)
    }

    public func loadedEngines() async -> [any InferenceEngine] {
        orderedEntries().map(\.engine)
    }

    public func expiry(of model: ServedModel) async -> Date? {
        guard let entry = entries[model.path], !entry.pinned, entry.keepAliveSeconds >= 0 else { return nil }
        let idle = policy.now() - entry.lastUsed
        let idleSeconds = Double(idle.components.seconds) + Double(idle.components.attoseconds) / 1e18
        return Date().addingTimeInterval(max(0, entry.keepAliveSeconds - idleSeconds))
    }

    /// The default model first, then by most recent use.
    private func orderedEntries() -> [Entry] {
        entries.values.sorted { left, right in
            left.pinned != right.pinned ? left.pinned : left.lastUsed > right.lastUsed
        }
    }

    // MARK: Loading and unloading

    private func load(_ model: LoadableModel) async throws {
        if let pending = loading[model.path] {
            _ = try await pending.value
            return
        }
        let task = Task { try await self.makeRoomAndLoad(model) }
        loading[model.path] = task
        defer { loading[model.path] = nil }
        let loaded = try await task.value
        entries[model.path] = Entry(
            loaded: loaded, lastUsed: policy.now(),
            keepAliveSeconds: KeepAlive.effectiveSeconds(policy.keepAliveSeconds),
            pinned: false)
        logger.info("loaded \(model.id)", metadata: ["path": "\(model.path)", "loaded": "\(entries.count)"])
    }

    private func makeRoomAndLoad(_ model: LoadableModel) async throws -> LoadedEngine {
        while entries.count + loading.count > policy.maximumLoaded {
            guard await unloadLeastRecentlyUsedIdle() else {
                throw APIError(
                    .serviceUnavailable,
                    "\(policy.maximumLoaded) models are loaded and all are answering requests; '\(model.id)' can be "
                        + "loaded once one is idle (or start the server with a higher --max-models)",
                    code: "too_many_models", retryAfterSeconds: 5)
            }
        }
        do {
            return try await loader.load(model, reservedBytes: reservedBytes())
        } catch let error as APIError where error.status == .insufficientStorage {
            // Memory is short: unload every idle model but the default one and try once more.
            var freed = false
            while await unloadLeastRecentlyUsedIdle() { freed = true }
            guard freed else { throw error }
            return try await loader.load(model, reservedBytes: reservedBytes())
        }
    }

    private func reservedBytes() -> UInt64 {
        entries.values.reduce(0) { $0 + $1.loaded.memoryBytes }
    }

    /// Unloads the idle model used longest ago, never the default one; false when every other model is busy.
    private func unloadLeastRecentlyUsedIdle() async -> Bool {
        for entry in entries.values.filter({ !$0.pinned }).sorted(by: { $0.lastUsed < $1.lastUsed }) {
            if await isIdle(entry) {
                await unload(entry)
                return true
            }
        }
        return false
    }

    private func isIdle(_ entry: Entry) async -> Bool {
        guard policy.now() - entry.lastUsed >= policy.grace else { return false }
        let status = await entry.engine.status()
        return status.busySequences == 0 && status.queuedRequests == 0
    }

    private func unload(_ entry: Entry) async {
        let path = entry.engine.model.path
        // Checked again: the status call above let other requests in.
        guard let current = entries[path], current.lastUsed == entry.lastUsed else { return }
        entries[path] = nil
        await loader.unload(current.engine)
        logger.info("unloaded \(current.engine.model.id)", metadata: ["loaded": "\(entries.count)"])
    }

    /// Unloads each model idle for longer than its keep-alive. A model still generating counts as used now.
    func sweep() async {
        for entry in Array(entries.values) where !entry.pinned && entry.keepAliveSeconds >= 0 {
            let status = await entry.engine.status()
            if status.busySequences > 0 || status.queuedRequests > 0 {
                if var current = entries[entry.engine.model.path], current.lastUsed == entry.lastUsed {
                    current.lastUsed = policy.now()
                    entries[entry.engine.model.path] = current
                }
                continue
            }
            let idle = policy.now() - entry.lastUsed
            if idle >= max(.milliseconds(Int64(entry.keepAliveSeconds * 1000)), policy.grace) {
                await unload(entry)
            }
        }
    }

    // MARK: Service

    /// Sweeps for idle models until the server shuts down.
    public func run() async throws {
        await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                try? await Task.sleep(for: self.policy.sweepInterval)
                await self.sweep()
            }
        }
    }

    /// Unloads every model but the default one (the command that loaded it stops it).
    public func shutdown() async {
        for entry in entries.values where !entry.pinned {
            entries[entry.engine.model.path] = nil
            await loader.unload(entry.engine)
        }
    }
}
