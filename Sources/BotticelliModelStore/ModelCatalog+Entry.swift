import BotticelliCore

extension ModelCatalog {
    /// One registry entry as `models list` shows it, and as its `--json` form and `/registry` encode it.
    public struct Entry: Encodable, Sendable {
        public var id: String
        public var name: String
        public var family: String
        public var quantization: String
        public var repo: String
        public var filename: String
        public var sizeBytes: UInt64
        public var ramBytes: UInt64
        /// `yes`, `tight` or `no`: the worse of memory and disk.
        public var fits: String
        public var memoryFit: String
        public var diskFit: String
        public var problems: [String]
        public var downloaded: Bool
        public var recommended: Bool
        public var description: String
        public var useCases: [String]
        public var parameterCount: UInt64
        public var contextLength: UInt64
        public var license: String

        init(fit: ModelFit, downloaded: Bool, recommended: Bool) {
            let spec = fit.model
            id = spec.id
            name = spec.displayName
            family = spec.family
            quantization = spec.quantization.name
            repo = spec.hfRepo
            filename = spec.filename
            sizeBytes = spec.downloadSizeBytes
            ramBytes = fit.estimate.totalBytes
            fits = fit.overall.rawValue
            memoryFit = fit.memory.rawValue
            diskFit = fit.disk.rawValue
            problems = fit.problems
            self.downloaded = downloaded
            self.recommended = recommended
            description = spec.description
            useCases = spec.useCases
            parameterCount = spec.parameterCount
            contextLength = spec.contextLength
            license = spec.license
        }
    }
}

extension ModelSpec {
    /// The model's name for lists: its description up to the first comma ("Mistral 7B Instruct v0.3").
    public var displayName: String {
        String(description.prefix { $0 != "," })
    }
}
