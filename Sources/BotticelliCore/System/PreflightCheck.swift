/// The check before loading or downloading a model: refuse what cannot fit, warn about what barely does.
public enum PreflightCheck {
    /// Checks a model's memory estimate against the memory available now, and its download (if still needed)
    /// against free disk.
    ///
    /// - Parameters:
    ///   - downloadBytes: bytes still to download; 0 when the file is already on disk.
    ///   - freeDiskBytes: free space where the file goes; nil when unknown.
    ///   - force: let a model that does not fit through anyway (its problems come back as warnings).
    /// - Returns: warnings for fits that are tight, or forced.
    /// - Throws: ``PreflightError`` when the model does not fit and `force` is false.
    @discardableResult
    public static func check(
        modelName: String, estimate: MemoryEstimate, downloadBytes: UInt64, resources: SystemResources,
        freeDiskBytes: UInt64?, force: Bool = false
    ) throws -> [String] {
        var warnings: [String] = []
        var failures: [PreflightError.Failure] = []

        let available = resources.availableMemoryBytes
        let headroom = ResourceFit.memoryHeadroom(forBudget: resources.totalMemoryBytes)
        switch ResourceFit.evaluate(need: estimate.totalBytes, budget: available, headroom: headroom) {
        case .no: failures.append(.memory(required: estimate.totalBytes, available: available))
        case .tight:
            warnings.append(
                "\(modelName) needs \(ByteCount.format(estimate.totalBytes)) of the \(ByteCount.format(available)) "
                    + "of memory available: the machine may swap; close other programs or choose a smaller model")
        case .yes: break
        }

        if downloadBytes > 0, let freeDiskBytes {
            switch ResourceFit.evaluate(need: downloadBytes, budget: freeDiskBytes, headroom: ResourceFit.diskHeadroom)
            {
            case .no: failures.append(.disk(required: downloadBytes, available: freeDiskBytes))
            case .tight:
                warnings.append(
                    "downloading \(modelName) (\(ByteCount.format(downloadBytes))) leaves less than "
                        + "\(ByteCount.format(ResourceFit.diskHeadroom)) of disk free")
            case .yes: break
            }
        }

        let error = PreflightError(modelName: modelName, failures: failures)
        guard failures.isEmpty else {
            if force { return warnings + ["forced: " + error.description] }
            throw error
        }
        return warnings
    }
}

/// A model that does not fit the machine, with what it needs and what there is.
public struct PreflightError: Error, Sendable, Equatable, CustomStringConvertible {
    public enum Failure: Sendable, Equatable {
        case memory(required: UInt64, available: UInt64)
        case disk(required: UInt64, available: UInt64)
    }

    public let modelName: String
    public let failures: [Failure]

    public var description: String {
        let parts = failures.map { failure in
            switch failure {
            case .memory(let required, let available):
                return "it needs \(ByteCount.format(required)) of memory and \(ByteCount.format(available)) is "
                    + "available"
            case .disk(let required, let available):
                return "its download needs \(ByteCount.format(required)) of disk and \(ByteCount.format(available)) "
                    + "is free"
            }
        }
        return "\(modelName) does not fit this machine: " + parts.joined(separator: "; ")
            + ". Choose a smaller model or quantization, free some memory or disk space, "
            + "or pass --force to try anyway."
    }
}
