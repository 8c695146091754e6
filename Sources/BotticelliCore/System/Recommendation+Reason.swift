extension ModelFit {
    /// Why this model is the recommendation, as `system`, the first-run list and the web page say it; `detailed`
    /// adds what makes a tight fit tight.
    public func recommendationReason(detailed: Bool) -> String {
        guard overall != .yes else { return "the largest, best-quantized model that fits with room to spare" }
        let tight = "nothing fits with room to spare; this one fits tightly"
        return detailed ? tight + ": " + problems.joined(separator: "; ") : tight
    }
}

extension Recommendation {
    /// How every model fits, the pick's included, as the recommendation already worked it out.
    public var fits: [ModelFit] {
        (pick.map { [$0] } ?? []) + passedOver.map(\.fit)
    }
}
