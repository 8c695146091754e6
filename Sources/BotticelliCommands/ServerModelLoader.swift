import BotticelliCore
import BotticelliEngine
import BotticelliModelStore
import BotticelliServer
import Foundation
import Logging

/// How `start` finds and loads the models its clients name: from the model store's cache (never downloading; a
/// pull does that), each in an engine of its own with the server's settings, after checking that it fits the
/// memory the loaded models leave.
struct ServerModelLoader: ModelLoader {
    let store: ModelStore
    let configuration: EngineConfiguration
    let logger: Logger

    func locate(_ name: String) async throws -> LoadableModel {
        let installed = store.installedModels()
        let names = installed.map(\.name)
        let source: ModelSource
        do {
            source = try store.resolve(name)
        } catch {
            throw ModelLookupError(name: name, available: names)
        }
        if case .localFile = source {
            // A client may not make the server open files by path: only the cache's models, and the --model file.
            throw ModelLookupError(
                name: name, available: names,
                hint: "the model '\(name)' is a path; clients name models by registry id or Hub name "
                    + "(files on disk are served with --model)")
        }
        guard let local = try? store.locate(source) else {
            throw ModelLookupError(
                name: name, available: names,
                hint: "the model '\(name)' is not downloaded; pull it first (POST /api/pull with "
                    + "{\"model\": \"\(name)\"}, or `botticelli_server models download \(name)`)")
        }
        return LoadableModel(id: local.id, path: local.path)
    }

    func load(_ model: LoadableModel, reservedBytes: UInt64) async throws -> LoadedEngine {
        let local = LocalModel(
            id: model.id, path: model.path, sizeBytes: Self.size(of: model.path), origin: .cache,
            spec: store.installedModels().first { $0.path == model.path }?.spec)
        let contextLength = UInt64(configuration.contextSize)
        let estimate: MemoryEstimate
        do {
            estimate = try store.memoryEstimate(local, contextLength: contextLength)
            // The loaded models' memory counts as used even where the system still reports it free (mapped weights
            // are page cache until they are touched).
            let current = SystemResources.current()
            let total = current.totalMemoryBytes
            let budget = min(current.availableMemoryBytes, total > reservedBytes ? total - reservedBytes : 0)
            let resources = SystemResources(
                hostTotalMemoryBytes: total, hostAvailableMemoryBytes: budget, cpuCoreCount: current.cpuCoreCount)
            for warning in try store.checkFits(local, contextLength: contextLength, resources: resources) {
                logger.warning("\(warning)")
            }
        } catch let error as PreflightError {
            throw APIError(
                .insufficientStorage,
                "cannot load '\(model.id)': \(error.description), after what the loaded models hold "
                    + "(\(ByteCount.format(reservedBytes))); unload one (a request with keep_alive 0) or free memory",
                code: "insufficient_memory")
        } catch {
            throw APIError(.internalServerError, "cannot load '\(model.id)': \(error)", code: "model_load_failed")
        }
        let configuration = self.configuration
        let logger = self.logger
        do {
            let engine = try await Task.detached {
                try LlamaServingEngine(id: model.id, path: model.path, configuration: configuration, logger: logger)
            }.value
            return LoadedEngine(engine: engine, memoryBytes: estimate.totalBytes)
        } catch {
            throw APIError(.internalServerError, "cannot load '\(model.id)': \(error)", code: "model_load_failed")
        }
    }

    func unload(_ engine: any InferenceEngine) async {
        (engine as? LlamaServingEngine)?.shutdown()
    }

    func available() async -> [ModelListing] {
        store.installedModels().map { model in
            let modified =
                (try? FileManager.default.attributesOfItem(atPath: model.path)[.modificationDate] as? Date) ?? Date()
            return ModelListing(
                id: model.name, sizeBytes: model.sizeBytes, modified: modified,
                quantization: model.spec?.quantization.name ?? "unknown", family: model.spec?.family ?? "unknown",
                parameterSize: model.spec.map { ParameterCount.describe($0.parameterCount) } ?? "unknown")
        }
    }

    static func size(of path: String) -> Int64 {
        ((try? FileManager.default.attributesOfItem(atPath: path)[.size]) as? NSNumber)?.int64Value ?? 0
    }
}
