import ArgumentParser

/// `completions <shell>`: the shell completion script, to source from the shell's startup file.
struct CompletionsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "completions",
        abstract: "Print the completion script for bash, zsh or fish.",
        discussion: """
            bash: botticelli_server completions bash > /etc/bash_completion.d/botticelli_server
            zsh:  botticelli_server completions zsh > "${fpath[1]}/_botticelli_server"
            fish: botticelli_server completions fish > ~/.config/fish/completions/botticelli_server.fish
            """
    )

    @Argument(help: "bash, zsh or fish.")
    var shell: String

    func validate() throws {
        guard CompletionShell(rawValue: shell) != nil else {
            throw ValidationError("unknown shell '\(shell)': choose bash, zsh or fish")
        }
    }

    func run() throws {
        guard let shell = CompletionShell(rawValue: shell) else { return }
        StandardOutput().write(BotticelliCommand.completionScript(for: shell))
    }
}
