import Foundation

/// Unbuffered writes to standard output, so streamed tokens appear as they are generated.
struct StandardOutput {
    func write(_ text: String) {
        FileHandle.standardOutput.write(Data(text.utf8))
    }
}

/// Writes to standard error, for summaries and progress that must not mix with the generated text.
enum StandardError {
    static func write(_ text: String) {
        FileHandle.standardError.write(Data(text.utf8))
    }
}
