import Foundation

/// Turns ``DownloadProgress`` into text: a bar redrawn in place on a terminal, a plain line every few
/// seconds otherwise, or one JSON object per line for programs.
public final class ProgressRenderer: @unchecked Sendable {
    // @unchecked: the only mutable state (`lastPlainLine`) is guarded by `lock`.
    public enum Style: Sendable {
        case terminal
        case plain
        case jsonLines
    }

    public let style: Style
    private let write: @Sendable (String) -> Void
    private let plainInterval: Duration
    private let lock = NSLock()
    private var lastPlainLine: ContinuousClock.Instant?

    /// - Parameters:
    ///   - style: nil picks `.terminal` when standard error is a terminal, else `.plain`.
    ///   - write: where the text goes; standard error by default.
    public init(
        style: Style? = nil, plainInterval: Duration = .seconds(5),
        write: @escaping @Sendable (String) -> Void = { FileHandle.standardError.write(Data($0.utf8)) }
    ) {
        self.style = style ?? (isatty(STDERR_FILENO) != 0 ? .terminal : .plain)
        self.plainInterval = plainInterval
        self.write = write
    }

    /// Renders one report (a plain line only when `plainInterval` has passed, or at the end).
    public func render(_ progress: DownloadProgress) {
        guard let text = text(for: progress, now: .now) else { return }
        write(text)
    }

    func text(for progress: DownloadProgress, now: ContinuousClock.Instant) -> String? {
        switch style {
        case .terminal:
            let end = progress.phase == .finished ? "\n" : ""
            return "\r" + Self.barLine(progress) + "\u{1B}[K" + end
        case .plain:
            let due = lock.withLock {
                if progress.phase != .finished, let last = lastPlainLine, now - last < plainInterval { return false }
                lastPlainLine = now
                return true
            }
            return due ? "\(progress.filename): " + Self.summary(progress) + "\n" : nil
        case .jsonLines:
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys]
            guard let data = try? encoder.encode(progress) else { return nil }
            return String(decoding: data, as: UTF8.self) + "\n"
        }
    }

    /// `[████████░░░░] 2.1 GB / 4.8 GB  58 MB/s  46 s left`
    static func barLine(_ progress: DownloadProgress, width: Int = 24) -> String {
        let filled = Int((progress.fraction * Double(width)).rounded(.down))
        let bar = String(repeating: "█", count: filled) + String(repeating: "░", count: width - filled)
        return "[\(bar)] " + summary(progress)
    }

    static func summary(_ progress: DownloadProgress) -> String {
        var text = "\(bytes(progress.completedBytes)) / \(bytes(progress.totalBytes))"
        switch progress.phase {
        case .waitingForLock: return text + "  waiting for another download of this file"
        case .verifying: return text + "  verifying"
        case .finished: return text + "  done"
        case .downloading: break
        }
        if progress.bytesPerSecond > 0 { text += "  \(bytes(Int64(progress.bytesPerSecond)))/s" }
        if let left = progress.secondsRemaining { text += "  \(duration(left)) left" }
        return text
    }

    /// Decimal units, one decimal below 10: `2.1 GB`, `58 MB`, `512 B`.
    static func bytes(_ count: Int64) -> String {
        let units = ["B", "kB", "MB", "GB", "TB"]
        var value = Double(count)
        var unit = 0
        while value >= 1000 && unit < units.count - 1 {
            value /= 1000
            unit += 1
        }
        if unit == 0 { return "\(count) B" }
        return value < 10 ? String(format: "%.1f", value) + " " + units[unit] : "\(Int(value)) \(units[unit])"
    }

    static func duration(_ seconds: Double) -> String {
        let whole = Int(seconds.rounded(.up))
        if whole < 60 { return "\(whole) s" }
        if whole < 3600 { return "\(whole / 60) min \(whole % 60) s" }
        return "\(whole / 3600) h \(whole / 60 % 60) min"
    }
}
