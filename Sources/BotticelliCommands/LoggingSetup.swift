import Foundation
import Logging

/// Logging for the executable: standard error, level `warning` unless `--verbose` (debug) or
/// `BOTTICELLI_LOG_LEVEL` (trace, debug, info, notice, warning, error, critical) says otherwise.
public enum LoggingSetup {
    public static func bootstrap(arguments: [String]) {
        let environment = ProcessInfo.processInfo.environment["BOTTICELLI_LOG_LEVEL"].flatMap {
            Logger.Level(rawValue: $0)
        }
        let level: Logger.Level =
            arguments.contains("--verbose") || arguments.contains("-v") ? .debug : (environment ?? .warning)
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = level
            return handler
        }
    }
}
