import BotticelliCore
import Foundation

/// Where a named model comes from, once its reference is parsed and looked up in the registry.
public enum ModelSource: Sendable, Equatable {
    /// A registry entry: a known file of a known repository, with sizes and memory needs.
    case registry(ModelSpec)
    /// `org/repo[:QUANT]`: the file is picked from the repository's listing.
    case repository(repo: String, quantization: String?, revision: String)
    /// `hf://org/repo/file.gguf`: one file of a repository.
    case hubFile(repo: String, filename: String, revision: String)
    /// A `.gguf` file on disk, used where it is.
    case localFile(path: String)

    /// The name shown to users and used as the served model's id.
    public var displayName: String {
        switch self {
        case .registry(let spec): return spec.id
        case .repository(let repo, let quantization, _): return quantization.map { "\(repo):\($0)" } ?? repo
        case .hubFile(let repo, let filename, _): return "hf://\(repo)/\(filename)"
        case .localFile(let path): return URL(fileURLWithPath: path).deletingPathExtension().lastPathComponent
        }
    }

    /// The Hub repository, for sources that come from one.
    public var repo: String? {
        switch self {
        case .registry(let spec): return spec.hfRepo
        case .repository(let repo, _, _), .hubFile(let repo, _, _): return repo
        case .localFile: return nil
        }
    }

    /// The branch, tag or commit the file is taken from.
    public var revision: String {
        switch self {
        case .registry(let spec): return spec.revision ?? "main"
        case .repository(_, _, let revision), .hubFile(_, _, let revision): return revision
        case .localFile: return "local"
        }
    }
}
