import BotticelliCore
import BotticelliHub
import BotticelliModelStore

/// Turns what the user named into a model file ready to load: resolves it, downloads it when it is not cached
/// (with the progress bar; Ctrl-C keeps the partial file), and checks that it fits this machine's memory.
enum ModelPreparation {
    static func prepare(
        _ reference: String, store: ModelStore, contextSize: Int, force: Bool
    ) async throws -> LocalModel {
        try await prepare(source: try store.resolve(reference), store: store, contextSize: contextSize, force: force)
    }

    static func prepare(
        source: ModelSource, store: ModelStore, contextSize: Int, force: Bool
    ) async throws -> LocalModel {
        let renderer = ProgressRenderer()
        if case .localFile = source {
        } else if try store.locate(source) == nil, !store.environment.offline {
            StandardError.write("Downloading \(source.displayName)...\n")
        }
        let local = try await InterruptHandler.run {
            try await store.fetch(
                source, force: force, contextLength: UInt64(contextSize),
                warn: { StandardError.write("warning: \($0)\n") }, progress: { renderer.render($0) })
        }
        switch local.origin {
        case .cache: StandardError.write("Using cached model: \(local.spec?.displayName ?? local.id) (\(local.path))\n")
        case .download: StandardError.write("Model downloaded successfully: \(local.path)\n")
        case .localFile: break
        }
        for warning in try store.checkFits(local, contextLength: UInt64(contextSize), force: force) {
            StandardError.write("warning: \(warning)\n")
        }
        return local
    }
}
