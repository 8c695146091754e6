import CLlama
import Foundation
import Logging

/// Process-wide llama.cpp state: the backend is initialised once, on first use, and its log is routed to
/// swift-log under the label `llama.cpp` (debug and trace for chatter, warning and error for problems).
public enum LlamaBackend {
    private static let initialised: Bool = {
        llama_log_set(forwardLlamaLog, nil)
        llama_backend_init()
        return true
    }()

    /// Initialises llama.cpp if that has not happened yet. Every wrapper type calls this before touching C.
    public static func ensureInitialised() {
        _ = initialised
    }

    /// The version string of the llama.cpp library that is linked in.
    public static var version: String {
        String(cString: llama_version())
    }

    /// What llama.cpp reports about the CPU features it uses (AVX2, NEON, …) and its backends.
    public static var systemInfo: String {
        ensureInitialised()
        return String(cString: llama_print_system_info())
    }

    /// Whether this llama.cpp build can offload layers to a GPU.
    public static var supportsGPUOffload: Bool {
        llama_supports_gpu_offload()
    }

    static let logger = Logger(label: "llama.cpp")
}

private func forwardLlamaLog(level: ggml_log_level, text: UnsafePointer<CChar>?, userData: UnsafeMutableRawPointer?) {
    guard let text else { return }
    let message = String(cString: text).trimmingCharacters(in: .newlines)
    guard !message.isEmpty else { return }
    switch level {
    case GGML_LOG_LEVEL_ERROR where reportsAbort(message):
        // A decode stopped by the abort check (every request in it was cancelled) is not a failure.
        LlamaBackend.logger.debug("\(message)")
    case GGML_LOG_LEVEL_ERROR:
        LlamaBackend.logger.error("\(message)")
    case GGML_LOG_LEVEL_WARN:
        LlamaBackend.logger.warning("\(message)")
    case GGML_LOG_LEVEL_INFO:
        HugePageAdvisor.contextCreationLogged(message)
        LlamaBackend.logger.debug("\(message)")
    default:
        LlamaBackend.logger.trace("\(message)")
    }
}

/// The three lines llama.cpp logs as errors when the abort callback stops `llama_decode` (status 1 is
/// GGML_STATUS_ABORTED; llama_decode returns 2).
private func reportsAbort(_ message: String) -> Bool {
    message.hasSuffix("ggml_backend_sched_graph_compute_async failed with error 1")
        || message.hasSuffix("failed to compute graph, compute status: 1")
        || message.hasSuffix("failed to decode, ret = 2")
}
