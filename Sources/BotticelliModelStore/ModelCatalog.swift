import BotticelliCore

/// The registry as this machine sees it: every model with how it fits and whether it is downloaded, the machine's
/// memory and disk, and the recommendation. `models list --json` prints its entries; the server's `/registry` route
/// (the web page's model table) sends all of it.
public struct ModelCatalog: Encodable, Sendable {
    /// The memory, disk and cores the fits were worked out against.
    public struct Machine: Encodable, Sendable {
        public var totalMemoryBytes: UInt64
        public var availableMemoryBytes: UInt64
        public var cacheDirectory: String
        /// Free space where models are stored; nil when it cannot be read.
        public var freeDiskBytes: UInt64?
        public var cpuCores: Int
    }

    /// The model recommended for this machine, and why.
    public struct Pick: Encodable, Sendable {
        public var id: String
        public var reason: String
    }

    public var machine: Machine
    public var recommendation: Pick?
    /// Every registry entry (built-in and from the configuration), in registry order.
    public var models: [Entry]
}

extension ModelStore {
    /// Works out how every registry model fits `resources` at `contextLength` tokens (nil: the default context).
    public func catalog(contextLength: UInt64? = nil, resources: SystemResources = .current()) -> ModelCatalog {
        let free = freeDiskBytes()
        let downloaded = downloadedIDs()
        let recommendation = Recommendation(
            models: registry.models, resources: resources, freeDiskBytes: free, contextLength: contextLength,
            downloaded: downloaded)
        let fits = Dictionary(recommendation.fits.map { ($0.model.id, $0) }) { first, _ in first }
        let entries = registry.models.compactMap { spec in
            fits[spec.id].map { fit in
                ModelCatalog.Entry(
                    fit: fit, downloaded: downloaded.contains(spec.id),
                    recommended: recommendation.pick?.model.id == spec.id)
            }
        }
        return ModelCatalog(
            machine: .init(
                totalMemoryBytes: resources.totalMemoryBytes, availableMemoryBytes: resources.availableMemoryBytes,
                cacheDirectory: cache.root, freeDiskBytes: free, cpuCores: resources.cpuCoreCount),
            recommendation: recommendation.pick.map {
                .init(id: $0.model.id, reason: $0.recommendationReason(detailed: true))
            },
            models: entries)
    }
}
