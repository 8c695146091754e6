import Foundation

/// Foundation's processor count, kept behind one name so the wrapper's public API does not leak Foundation types.
enum ProcessInfoShim {
    static var activeProcessorCount: Int { ProcessInfo.processInfo.activeProcessorCount }
}
