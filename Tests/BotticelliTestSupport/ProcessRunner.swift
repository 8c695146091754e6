import Foundation

/// Runs a program to completion and captures its output, for tests that compare with llama.cpp's tools or drive
/// our own executable.
public struct ProcessResult: Sendable {
    public var status: Int32
    public var standardOutput: String
    public var standardError: String

    public init(status: Int32, standardOutput: String, standardError: String) {
        self.status = status
        self.standardOutput = standardOutput
        self.standardError = standardError
    }
}

public enum ProcessRunner {
    /// Runs `executable` with `arguments`; the output is read while the process runs so a full pipe never blocks.
    public static func run(
        _ executable: String,
        _ arguments: [String],
        environment: [String: String]? = nil,
        standardInput: String? = nil
    ) throws -> ProcessResult {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        if let environment {
            process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        }
        let output = Pipe()
        let error = Pipe()
        let input = Pipe()
        process.standardOutput = output
        process.standardError = error
        process.standardInput = input
        let collectedOutput = DataCollector(output.fileHandleForReading)
        let collectedError = DataCollector(error.fileHandleForReading)
        try process.run()
        if let standardInput {
            input.fileHandleForWriting.write(Data(standardInput.utf8))
        }
        try? input.fileHandleForWriting.close()
        process.waitUntilExit()
        return ProcessResult(
            status: process.terminationStatus,
            standardOutput: String(decoding: collectedOutput.finish(), as: UTF8.self),
            standardError: String(decoding: collectedError.finish(), as: UTF8.self))
    }
}

/// Drains a pipe on a background thread.
private final class DataCollector: @unchecked Sendable {
    // @unchecked: `data` is written only by the reading thread and read only after `group` has been waited on.
    private var data = Data()
    private let group = DispatchGroup()

    init(_ handle: FileHandle) {
        group.enter()
        DispatchQueue.global().async {
            self.data = handle.readDataToEndOfFile()
            self.group.leave()
        }
    }

    func finish() -> Data {
        group.wait()
        return data
    }
}
