import BotticelliCore

/// llama.cpp's samplers beyond OpenAI's fields, which llama-server takes on all its completion routes (its own
/// /completion and the OpenAI ones alike) and so do we: `repeat_last_n`, typical-p, dynamic temperature, XTC,
/// top-n-sigma, DRY and Mirostat, with llama-server's names, ranges and defaults. Encoded, it is how llama-server
/// echoes them in `generation_settings`.
struct SamplerExtras: Codable, Sendable {
    var repeatLastN: Int?
    var typicalP: Double?
    var dynatempRange: Double?
    var dynatempExponent: Double?
    var xtcProbability: Double?
    var xtcThreshold: Double?
    var topNSigma: Double?
    var dryMultiplier: Double?
    var dryBase: Double?
    var dryAllowedLength: Int?
    var dryPenaltyLastN: Int?
    var drySequenceBreakers: [String]?
    var mirostat: Int?
    var mirostatTau: Double?
    var mirostatEta: Double?
    /// The order of the samplers: names (`["top_k", "temperature"]`) or llama.cpp's letters (`"kt"`).
    var samplers: JSONValue?
    var minKeep: Int?
    var adaptiveTarget: Double?

    enum CodingKeys: String, CodingKey {
        case mirostat, samplers
        case minKeep = "min_keep"
        case adaptiveTarget = "adaptive_target"
        case repeatLastN = "repeat_last_n"
        case typicalP = "typical_p"
        case dynatempRange = "dynatemp_range"
        case dynatempExponent = "dynatemp_exponent"
        case xtcProbability = "xtc_probability"
        case xtcThreshold = "xtc_threshold"
        case topNSigma = "top_n_sigma"
        case dryMultiplier = "dry_multiplier"
        case dryBase = "dry_base"
        case dryAllowedLength = "dry_allowed_length"
        case dryPenaltyLastN = "dry_penalty_last_n"
        case drySequenceBreakers = "dry_sequence_breakers"
        case mirostatTau = "mirostat_tau"
        case mirostatEta = "mirostat_eta"
    }

    static let maximumBreakers = 32

    /// llama.cpp's names for the samplers, with the spellings it also accepts (kebab-case, no dash, short ones).
    private static let stageNames: [String: SamplerStage] = {
        var names: [String: SamplerStage] = ["nucleus": .topP, "temp": .temperature, "typ": .typicalP]
        for stage in SamplerStage.allCases {
            names[stage.rawValue] = stage
            names[stage.rawValue.replacingOccurrences(of: "_", with: "-")] = stage
            names[stage.rawValue.replacingOccurrences(of: "_", with: "")] = stage
        }
        return names
    }()

    /// llama.cpp's letters for the samplers.
    private static let stageLetters: [Character: SamplerStage] = [
        "e": .penalties, "d": .dry, "s": .topNSigma, "k": .topK, "y": .typicalP, "p": .topP, "m": .minP, "x": .xtc,
        "t": .temperature,
    ]

    /// The order `samplers` gives. As llama-server does, a name or letter it does not know is passed over; the two
    /// samplers it knows that this server lacks (infill, adaptive-p) are refused.
    static func order(_ value: JSONValue?) throws -> [SamplerStage]? {
        func refuse(_ name: String) -> APIError {
            APIError.badField("samplers", "the \(name) sampler is not supported; leave it out of samplers")
        }
        switch value {
        case nil, .null?:
            return nil
        case .array(let items)?:
            return try items.compactMap { item in
                guard case .string(let name) = item else {
                    throw APIError.badField(
                        "samplers", "samplers must be a list of sampler names or a string of letters")
                }
                let lower = name.lowercased()
                if ["infill", "adaptive_p", "adaptive-p", "adaptivep"].contains(lower) { throw refuse(lower) }
                return stageNames[lower]
            }
        case .string(let letters)?:
            return try letters.compactMap { letter in
                if letter == "i" || letter == "a" { throw refuse(letter == "i" ? "infill" : "adaptive-p") }
                return stageLetters[letter]
            }
        default:
            throw APIError.badField("samplers", "samplers must be a list of sampler names or a string of letters")
        }
    }

    /// The settings of `sampling`, every field given.
    init(_ sampling: SamplingParameters) {
        repeatLastN = sampling.penaltyWindow
        typicalP = sampling.typicalP
        dynatempRange = sampling.dynamicTemperatureRange
        dynatempExponent = sampling.dynamicTemperatureExponent
        xtcProbability = sampling.xtcProbability
        xtcThreshold = sampling.xtcThreshold
        topNSigma = sampling.topNSigma
        dryMultiplier = sampling.dryMultiplier
        dryBase = sampling.dryBase
        dryAllowedLength = sampling.dryAllowedLength
        dryPenaltyLastN = sampling.dryWindow
        drySequenceBreakers = sampling.drySequenceBreakers
        mirostat = sampling.mirostat
        mirostatTau = sampling.mirostatTau
        mirostatEta = sampling.mirostatEta
        samplers = .array(sampling.order.map { .string($0.rawValue) })
        minKeep = sampling.minKeep
    }

    /// Checks the fields and sets them on `sampling`. A window of -1 (`repeat_last_n`, `dry_penalty_last_n`) is the
    /// whole context: `contextSize` when known, else -1 for the engine to resolve.
    func apply(to sampling: inout SamplingParameters, contextSize: Int? = nil) throws {
        for (name, value) in [
            ("typical_p", typicalP), ("dynatemp_range", dynatempRange), ("dynatemp_exponent", dynatempExponent),
            ("xtc_probability", xtcProbability), ("xtc_threshold", xtcThreshold), ("top_n_sigma", topNSigma),
            ("dry_multiplier", dryMultiplier), ("dry_base", dryBase), ("mirostat_tau", mirostatTau),
            ("mirostat_eta", mirostatEta),
        ] {
            // Finite as the Float the sampler takes, too.
            if let value, !Float(value).isFinite {
                throw APIError.badField(name, "\(name) must be a finite number, got \(value)")
            }
        }
        for (name, value) in [("repeat_last_n", repeatLastN), ("dry_penalty_last_n", dryPenaltyLastN)] {
            if let value, value < -1 {
                throw APIError.badField(name, "\(name) must be -1 (the whole context), 0 or more, got \(value)")
            }
        }
        if let repeatLastN { sampling.penaltyWindow = repeatLastN == -1 ? contextSize ?? -1 : repeatLastN }
        if let typicalP { sampling.typicalP = typicalP }
        if let dynatempRange { sampling.dynamicTemperatureRange = dynatempRange }
        if let dynatempExponent { sampling.dynamicTemperatureExponent = dynatempExponent }
        for (name, value) in [("xtc_probability", xtcProbability), ("xtc_threshold", xtcThreshold)] {
            if let value, !(0...1).contains(value) {
                throw APIError.badField(name, "\(name) must be between 0 and 1, got \(value)")
            }
        }
        if let xtcProbability { sampling.xtcProbability = xtcProbability }
        if let xtcThreshold { sampling.xtcThreshold = xtcThreshold }
        if let topNSigma { sampling.topNSigma = topNSigma }
        if let dryMultiplier {
            guard dryMultiplier >= 0 else {
                throw APIError.badField(
                    "dry_multiplier", "dry_multiplier must be 0 (off) or more, got \(dryMultiplier)")
            }
            sampling.dryMultiplier = dryMultiplier
        }
        // As llama-server does, a base below 1 means the default.
        if let dryBase, dryBase >= 1 { sampling.dryBase = dryBase }
        if let dryAllowedLength {
            guard dryAllowedLength >= 0 else {
                throw APIError.badField("dry_allowed_length", "dry_allowed_length must be 0 or more")
            }
            sampling.dryAllowedLength = dryAllowedLength
        }
        if let dryPenaltyLastN { sampling.dryWindow = dryPenaltyLastN == -1 ? contextSize ?? -1 : dryPenaltyLastN }
        if let drySequenceBreakers {
            // Each breaker costs a pass over the vocabulary when the sampler is built.
            guard (1...Self.maximumBreakers).contains(drySequenceBreakers.count) else {
                throw APIError.badField(
                    "dry_sequence_breakers",
                    "dry_sequence_breakers must list 1 to \(Self.maximumBreakers) strings, got \(drySequenceBreakers.count)"
                )
            }
            sampling.drySequenceBreakers = drySequenceBreakers
        }
        if let mirostat {
            guard (0...2).contains(mirostat) else {
                throw APIError.badField("mirostat", "mirostat must be 0 (off), 1 or 2, got \(mirostat)")
            }
            sampling.mirostat = mirostat
        }
        if let mirostatTau { sampling.mirostatTau = mirostatTau }
        if let mirostatEta { sampling.mirostatEta = mirostatEta }
        if let minKeep {
            guard minKeep >= 0 else {
                throw APIError.badField("min_keep", "min_keep must be 0 or more, got \(minKeep)")
            }
            sampling.minKeep = minKeep
        }
        if let adaptiveTarget, adaptiveTarget >= 0 {
            throw APIError.badField(
                "adaptive_target", "adaptive-p sampling is not supported; send a negative adaptive_target (off)")
        }
        if let order = try Self.order(samplers) { sampling.order = order }
        guard Float(sampling.temperature + sampling.dynamicTemperatureRange).isFinite else {
            throw APIError.badField("dynatemp_range", "temperature + dynatemp_range must be a finite number")
        }
    }
}
