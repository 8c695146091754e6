/// The first version's command line, without subcommands, rewritten into today's:
/// `--list [--download-dir D]` is `models list [--download-dir D]`, and `--model M [--port P] [--download-dir D]` is
/// `start --model M [--port P] [--download-dir D]` (both accept `--download-dir` as `--cache-dir`). Arguments that
/// start with a subcommand are left alone.
enum LegacyArguments {
    static let flags: Set<String> = ["--list", "--model", "--port", "--download-dir"]

    static func rewrite(_ arguments: [String]) -> [String] {
        guard let first = arguments.first, flags.contains(first.split(separator: "=").first.map(String.init) ?? first)
        else { return arguments }
        if arguments.contains("--list") {
            return ["models", "list"] + arguments.filter { $0 != "--list" }
        }
        return ["start"] + arguments
    }
}
