import ArgumentParser
import Foundation

extension BotticelliCommand {
    /// Parses the arguments, runs the command and exits with a code scripts can rely on:
    /// 0 success, 1 an error while running, 2 a usage error (bad flag, bad value, missing argument).
    public static func runMain(arguments: [String] = Array(CommandLine.arguments.dropFirst())) async -> Never {
        do {
            var command = try parseAsRoot(LegacyArguments.rewrite(arguments))
            if var asyncCommand = command as? any AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
            Foundation.exit(0)
        } catch {
            let code = exitCode(for: error)
            let message = fullMessage(for: error)
            if code == .success {
                // --help and --version land here.
                if !message.isEmpty { print(message) }
                Foundation.exit(0)
            }
            if !message.isEmpty {
                FileHandle.standardError.write(Data((message + "\n").utf8))
            }
            Foundation.exit(code == .validationFailure ? 2 : 1)
        }
    }
}
