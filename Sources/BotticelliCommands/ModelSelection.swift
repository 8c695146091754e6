import BotticelliCore
import BotticelliModelStore
import Foundation

/// The first-run choice of a model: the registry's models that fit this machine, smallest first, numbered, with
/// the recommended one and why; Enter takes the recommendation.
struct ModelSelection {
    let options: [ModelFit]
    /// The index in `options` of the recommended model.
    let recommended: Int?
    let reason: String
    let resources: SystemResources
    let freeDiskBytes: UInt64?

    init(store: ModelStore, resources: SystemResources = .current(), contextLength: UInt64? = nil) {
        let free = store.freeDiskBytes()
        let downloaded = store.downloadedIDs()
        let recommendation = Recommendation(
            models: store.registry.models, resources: resources, freeDiskBytes: free, contextLength: contextLength,
            downloaded: downloaded)
        options = recommendation.fits.filter { $0.overall != .no }.sorted { left, right in
            (left.model.downloadSizeBytes, left.model.id) < (right.model.downloadSizeBytes, right.model.id)
        }
        recommended = options.firstIndex { $0.model.id == recommendation.pick?.model.id }
        reason = recommendation.pick?.recommendationReason(detailed: false) ?? "no model fits this machine"
        self.resources = resources
        freeDiskBytes = free
    }

    /// The list, the machine and the recommendation, as the first run shows them.
    var menu: String {
        var lines = ["Available models:"]
        let width = String(options.count).count
        for (index, fit) in options.enumerated() {
            let spec = fit.model
            let number = String(repeating: " ", count: width - String(index + 1).count) + "\(index + 1)"
            let tight = fit.overall == .tight ? ", tight fit" : ""
            lines.append(
                "\(number). \(spec.displayName) \(spec.quantization.name) (\(ByteCount.format(spec.downloadSizeBytes)), "
                    + "\(ByteCount.format(fit.estimate.totalBytes)) RAM\(tight)) - \(spec.useCases.joined(separator: ", "))"
            )
        }
        lines.append("")
        let disk = freeDiskBytes.map { "\(ByteCount.format($0)) free disk space" } ?? "free disk space unknown"
        lines.append("Your system: \(ByteCount.format(resources.totalMemoryBytes)) RAM, \(disk)")
        if let recommended {
            let spec = options[recommended].model
            lines.append(
                "Recommended: Option \(recommended + 1) (\(spec.displayName) \(spec.quantization.name), \(spec.id)): "
                    + reason)
        }
        return lines.joined(separator: "\n") + "\n"
    }

    var prompt: String {
        let fallback = recommended.map { ", Enter for \($0 + 1)" } ?? ""
        return "\nSelect model [1-\(options.count)\(fallback)]: "
    }

    /// The model an answer names: a number, a registry id, or nothing for the recommendation; nil when invalid.
    func model(forAnswer answer: String) -> ModelSpec? {
        let text = answer.trimmingCharacters(in: .whitespaces)
        if text.isEmpty { return recommended.map { options[$0].model } }
        if let number = Int(text) { return (1...options.count).contains(number) ? options[number - 1].model : nil }
        return options.first { $0.model.id == text.lowercased() }?.model
    }

    /// Asks until the answer names a model. End of input stops with an error rather than looping.
    func ask(read: () -> String?, write: (String) -> Void) throws -> ModelSpec {
        guard !options.isEmpty else { throw SelectionError.nothingFits }
        write(menu)
        while true {
            write(prompt)
            guard let answer = read() else { throw SelectionError.endOfInput }
            if let spec = model(forAnswer: answer) { return spec }
            write("'\(answer)' is not an option: type a number from 1 to \(options.count), or press Enter.\n")
        }
    }
}

extension ModelSelection {
    /// Asks on the terminal, or takes the recommendation with `acceptRecommendation` (`--yes`); without a terminal
    /// and without `--yes`, fails with a message naming both ways to choose rather than waiting for input.
    static func choose(store: ModelStore, contextLength: UInt64?, acceptRecommendation: Bool) throws -> ModelSpec {
        let selection = ModelSelection(store: store, contextLength: contextLength)
        if acceptRecommendation {
            guard let recommended = selection.recommended else { throw SelectionError.nothingFits }
            let spec = selection.options[recommended].model
            StandardError.write("Taking the recommended model, \(spec.id) (--yes)\n")
            return spec
        }
        guard Terminal.isInteractive else {
            throw SelectionError.noTerminal(recommended: selection.recommended.map { selection.options[$0].model.id })
        }
        StandardOutput().write("No model configured.\n")
        return try selection.ask(read: { readLine() }, write: { StandardOutput().write($0) })
    }

    /// Records the choice as `[model] spec` in the configuration file, keeping the rest of the file as it is.
    static func save(_ spec: ModelSpec, to path: String) throws {
        try ModelSelectionEditor.saveModelSelection(spec: spec.id, to: path)
        StandardError.write("Saved \(spec.id) as the model in \(path)\n")
    }
}

/// Why no model could be selected.
enum SelectionError: Error, CustomStringConvertible {
    case nothingFits
    case endOfInput
    case noTerminal(recommended: String?)

    var description: String {
        switch self {
        case .nothingFits:
            return "no model in the registry fits this machine (see `botticelli_server system`); name one with "
                + "--model and --force to try anyway"
        case .endOfInput:
            return "no model was selected (end of input)"
        case .noTerminal(let recommended):
            let yes = recommended.map { ", or pass --yes to take the recommended \($0)" } ?? ""
            return "no model is configured, and there is no terminal to ask on. Name one with --model <id> "
                + "(see `botticelli_server models list`), run `botticelli_server models select` in a terminal\(yes)"
        }
    }
}
