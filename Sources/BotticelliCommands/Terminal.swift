import Foundation

/// Whether a person is there to answer: standard input and standard output are both terminals.
enum Terminal {
    static var isInteractive: Bool {
        isatty(STDIN_FILENO) != 0 && isatty(STDOUT_FILENO) != 0
    }
}
