/// The best model for a machine, and why each other model was passed over.
///
/// "Best" means the most parameters, then the highest-quality quantization: a larger model at 4 bits beats a
/// smaller one at 8. The pick must fit with headroom (``ResourceFit/yes``); only when nothing does is the best
/// tight fit offered, flagged by its ``ModelFit/overall``.
public struct Recommendation: Sendable {
    /// A model that was not picked, and why.
    public struct PassedOver: Sendable, Equatable {
        public let fit: ModelFit
        public let reason: String
    }

    /// The recommended model and how it fits, or nil when no model fits at all.
    public let pick: ModelFit?
    /// Every other model, best first, each with its reason.
    public let passedOver: [PassedOver]

    /// Recommends among `models` for `resources`.
    /// - Parameters:
    ///   - freeDiskBytes: free space where models are stored; nil when unknown (disk is then not checked).
    ///   - contextLength: the context the model will run with; nil for ``MemoryEstimate/defaultContextLength``.
    ///   - downloaded: ids of models already on disk, which need no space.
    public init(
        models: [ModelSpec], resources: SystemResources, freeDiskBytes: UInt64?, contextLength: UInt64? = nil,
        downloaded: Set<String> = []
    ) {
        let ranked = models.sorted { left, right in
            if left.parameterCount != right.parameterCount { return left.parameterCount > right.parameterCount }
            if left.quantization.qualityRank != right.quantization.qualityRank {
                return left.quantization.qualityRank > right.quantization.qualityRank
            }
            return left.id < right.id
        }
        let fits = ranked.map { model in
            ModelFit(
                model: model, resources: resources, freeDiskBytes: freeDiskBytes, contextLength: contextLength,
                alreadyDownloaded: downloaded.contains(model.id))
        }
        let pick = fits.first { $0.overall == .yes } ?? fits.first { $0.overall == .tight }
        self.pick = pick
        passedOver = fits.filter { $0.model.id != pick?.model.id }.map { fit in
            let reason: String
            if fit.overall == .yes || (fit.overall == .tight && pick?.overall == .tight) {
                reason = "fits, but \(pick?.model.id ?? "another model") is larger or better quantized"
            } else {
                reason = fit.problems.joined(separator: "; ")
            }
            return PassedOver(fit: fit, reason: reason)
        }
    }
}
