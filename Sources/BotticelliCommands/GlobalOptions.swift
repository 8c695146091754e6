import ArgumentParser

/// Flags every command accepts. Logging is set up by the executable before parsing, from the same flag.
struct GlobalOptions: ParsableArguments {
    @Flag(name: [.customLong("verbose"), .customShort("v")], help: "Log details, llama.cpp's included, on stderr.")
    var verbose = false
}
