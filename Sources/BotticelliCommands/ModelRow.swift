import BotticelliCore

/// One registry entry as `models list` shows it, and as its `--json` form encodes it.
struct ModelRow: Encodable {
    var id: String
    var name: String
    var family: String
    var quantization: String
    var repo: String
    var filename: String
    var sizeBytes: UInt64
    var ramBytes: UInt64
    /// `yes`, `tight` or `no`: the worse of memory and disk.
    var fits: String
    var memoryFit: String
    var diskFit: String
    var problems: [String]
    var downloaded: Bool
    var recommended: Bool
    var description: String
    var useCases: [String]
    var parameterCount: UInt64
    var contextLength: UInt64
    var license: String

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

extension ModelSpec {
    /// The model's name for lists: its description up to the first comma ("Mistral 7B Instruct v0.3").
    var displayName: String {
        String(description.prefix { $0 != "," })
    }
}
