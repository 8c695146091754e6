import BotticelliCore

extension ModelFit {
    /// Why this model is the recommendation, as `system` and the first-run list say it; `detailed` adds what makes
    /// a tight fit tight.
    func recommendationReason(detailed: Bool) -> String {
        guard overall != .yes else { return "the largest, best-quantized model that fits with room to spare" }
        let tight = "nothing fits with room to spare; this one fits tightly"
        return detailed ? tight + ": " + problems.joined(separator: "; ") : tight
    }
}
