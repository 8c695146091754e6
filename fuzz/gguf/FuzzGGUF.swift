// libFuzzer entry point for the GGUF reader. scripts/fuzz builds it together with Sources/BotticelliCore/GGUF/*.swift
// into one module, so it calls the reader directly.
import Foundation

/// `BOTTICELLI_FUZZ_VERBOSE=1` prints what became of each input, for looking at a reproducer.
private let verbose = ProcessInfo.processInfo.environment["BOTTICELLI_FUZZ_VERBOSE"] == "1"

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzGGUF(_ bytes: UnsafePointer<UInt8>?, _ count: Int) -> CInt {
    guard let bytes else { return 0 }
    let data = Data(bytes: bytes, count: count)
    do {
        let file = try GGUFReader.read(data: data)
        // Touch every derived fact too: they do arithmetic on values the file controls.
        _ = file.architecture
        _ = file.modelName
        _ = file.contextLength
        _ = file.embeddingLength
        _ = file.blockCount
        _ = file.headCount
        _ = file.keyValueHeadCount
        _ = file.keyLength
        _ = file.valueLength
        _ = file.fileType?.name
        _ = file.parameterCount
        _ = file.chatTemplate
        _ = file.tokenizerModel
        _ = file.vocabularySize
        _ = file.beginningOfSequenceToken
        _ = file.endOfSequenceToken
        _ = file.tokenText(0)
        _ = file.tokenText(.max)
        _ = file.keyValueCacheBytes(contextLength: 1 << 20)
        _ = file.keyValueCacheBytes(contextLength: .max, bytesPerElement: .max)
        for entry in file.metadata {
            _ = entry.value.unsignedIntegerValue
            _ = entry.value.integerValue
            _ = entry.value.floatingPointValue
            _ = entry.value.boolValue
            _ = file[entry.key]
        }
        for tensor in file.tensors {
            _ = tensor.type.description
        }
        if verbose { print("read: \(file.metadata.count) metadata entries, \(file.tensors.count) tensors") }
    } catch let error as GGUFError {
        // Rejecting the input is the expected outcome for almost every mutation.
        // The message is built from values the file controls.
        let message = error.description
        if verbose { print("GGUFError: \(message)") }
    } catch {
        fatalError("the GGUF reader threw something other than GGUFError: \(error)")
    }
    return 0
}
