import BotticelliCommands

@main
struct Entry {
    static func main() async {
        LoggingSetup.bootstrap(arguments: CommandLine.arguments)
        await BotticelliCommand.runMain()
    }
}
