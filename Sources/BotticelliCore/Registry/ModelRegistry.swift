import Foundation

/// The models Botticelli knows by id: the built-in list shipped in `registry.json`, plus the user's own entries.
public struct ModelRegistry: Sendable {
    /// Every entry, built-in first, in file order.
    public let models: [ModelSpec]
    private let index: [String: Int]

    /// A registry of exactly these entries; they must be valid and their ids unique.
    public init(models: [ModelSpec]) throws {
        var index: [String: Int] = [:]
        for (position, model) in models.enumerated() {
            let problems = model.problems
            guard problems.isEmpty else {
                throw RegistryError(
                    kind: .invalidEntry, id: model.id, detail: problems.joined(separator: "; "))
            }
            guard index[model.id] == nil else {
                throw RegistryError(kind: .duplicateID, id: model.id, detail: "two entries have this id")
            }
            index[model.id] = position
        }
        self.models = models
        self.index = index
    }

    /// The registry shipped with Botticelli.
    public static func builtIn() throws -> ModelRegistry {
        guard let url = Bundle.module.url(forResource: "registry", withExtension: "json") else {
            throw RegistryError(
                kind: .unreadable, id: nil, detail: "registry.json is missing from the BotticelliCore bundle")
        }
        return try load(contentsOf: url)
    }

    /// A registry read from a JSON file of the same format as the built-in one.
    public static func load(contentsOf url: URL) throws -> ModelRegistry {
        let data: Data
        do {
            data = try Data(contentsOf: url)
        } catch {
            throw RegistryError(kind: .unreadable, id: nil, detail: "cannot read \(url.path): \(error)")
        }
        return try decode(data, source: url.path)
    }

    /// A registry decoded from JSON: `{"models": [ModelSpec…]}`.
    public static func decode(_ data: Data, source: String = "registry") throws -> ModelRegistry {
        do {
            return try ModelRegistry(models: JSONDecoder().decode(RegistryFile.self, from: data).models)
        } catch let error as RegistryError {
            throw error
        } catch {
            throw RegistryError(kind: .malformed, id: nil, detail: "\(source) is not a valid registry: \(error)")
        }
    }

    /// This registry plus the user's entries. An entry whose id is already taken is an error unless
    /// `allowOverrides` is set, in which case it replaces the existing one in place.
    public func merging(_ custom: [ModelSpec], allowOverrides: Bool = false) throws -> ModelRegistry {
        var merged = models
        var positions = index
        for model in custom {
            if let existing = positions[model.id] {
                guard allowOverrides else {
                    throw RegistryError(
                        kind: .duplicateID, id: model.id,
                        detail: "a custom entry reuses the id of an existing model; rename it, or allow overrides "
                            + "to replace the built-in entry")
                }
                merged[existing] = model
            } else {
                positions[model.id] = merged.count
                merged.append(model)
            }
        }
        return try ModelRegistry(models: merged)
    }

    /// The entry with this id (case-insensitive), if any.
    public func model(id: String) -> ModelSpec? {
        index[id.lowercased()].map { models[$0] }
    }

    /// The entry with this id, or an error that suggests similar ids.
    public func require(id: String) throws -> ModelSpec {
        if let model = model(id: id) { return model }
        let lowered = id.lowercased()
        let stem = lowered.split(separator: "-").first.map(String.init) ?? lowered
        let similar = models.map(\.id).filter { $0.hasPrefix(stem) || lowered.hasPrefix($0) }.prefix(5)
        let hint = similar.isEmpty ? "" : " Did you mean \(similar.joined(separator: ", "))?"
        throw ModelReferenceError(
            kind: .unknownModel, input: id,
            detail: "no model in the registry has this id; `botticelli_server models list` shows them.\(hint)")
    }
}

/// The registry file's top level.
private struct RegistryFile: Decodable {
    var models: [ModelSpec]
}

/// Why a registry could not be loaded or merged.
public struct RegistryError: Error, Sendable, Equatable, CustomStringConvertible {
    public enum Kind: String, Sendable, Equatable {
        case unreadable
        case malformed
        case invalidEntry
        case duplicateID
    }

    public let kind: Kind
    /// The entry concerned, if one is.
    public let id: String?
    public let detail: String

    public var description: String {
        if let id { return "model registry entry \"\(id)\": \(detail)" }
        return "model registry: \(detail)"
    }
}
