import BotticelliCore
import BotticelliHub
import BotticelliModelStore
import Foundation
import Testing

@testable import BotticelliCommands

/// The first-run selection, on a fixed machine and an empty cache.
@Suite struct ModelSelectionTests {
    static func selection(memoryGB: UInt64) throws -> ModelSelection {
        let cache = NSTemporaryDirectory() + "botticelli-selection-\(UUID().uuidString)"
        let store = ModelStore(
            registry: try ModelRegistry.builtIn(), environment: HubEnvironment(cacheDirectory: cache))
        let resources = SystemResources(
            hostTotalMemoryBytes: memoryGB << 30, hostAvailableMemoryBytes: memoryGB << 30, cpuCoreCount: 4)
        return ModelSelection(store: store, resources: resources)
    }

    @Test("on 4 GB only models that fit are offered, smallest first, and Enter takes the recommendation")
    func smallMachine() throws {
        let selection = try Self.selection(memoryGB: 4)
        #expect(!selection.options.isEmpty)
        #expect(selection.options.allSatisfy { $0.overall != .no })
        let sizes = selection.options.map(\.model.downloadSizeBytes)
        #expect(sizes == sizes.sorted())
        #expect(!selection.options.contains { $0.model.id.hasPrefix("llama-3.1-8b") })
        let recommended = try #require(selection.recommended)
        #expect(selection.model(forAnswer: "")?.id == selection.options[recommended].model.id)
        #expect(selection.menu.contains("Recommended: Option \(recommended + 1) "))
        #expect(selection.menu.contains("Your system: 4.3 GB RAM"))
    }

    @Test("answers: a number, an id, or nothing; anything else is refused")
    func answers() throws {
        let selection = try Self.selection(memoryGB: 16)
        #expect(selection.model(forAnswer: "1")?.id == selection.options[0].model.id)
        #expect(selection.model(forAnswer: " 2 ")?.id == selection.options[1].model.id)
        #expect(selection.model(forAnswer: "smollm2-135m-instruct-q4_1")?.id == "smollm2-135m-instruct-q4_1")
        #expect(selection.model(forAnswer: "0") == nil)
        #expect(selection.model(forAnswer: "\(selection.options.count + 1)") == nil)
        #expect(selection.model(forAnswer: "banana") == nil)
    }

    @Test("ask repeats the question after a bad answer, and stops at end of input")
    func askLoop() throws {
        let selection = try Self.selection(memoryGB: 16)
        var answers = ["x", "3"]
        var written = ""
        let chosen = try selection.ask(
            read: { answers.isEmpty ? nil : answers.removeFirst() }, write: { written += $0 })
        #expect(chosen.id == selection.options[2].model.id)
        #expect(written.contains("'x' is not an option"))
        #expect(throws: SelectionError.self) { try selection.ask(read: { nil }, write: { _ in }) }
    }

    @Test("nothing fits 1 GB: the selection says so")
    func nothingFits() throws {
        let selection = try Self.selection(memoryGB: 0)
        #expect(selection.options.isEmpty)
        #expect(throws: SelectionError.self) { try selection.ask(read: { "" }, write: { _ in }) }
    }
}
