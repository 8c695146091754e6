// libFuzzer entry point for the GGUF reader. Built by run.sh together with Sources/BotticelliCore/GGUF/*.swift
// into one module, so it calls the reader directly.
import Foundation

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzGGUF(_ bytes: UnsafePointer<UInt8>?, _ count: Int) -> CInt {
    guard let bytes else { return 0 }
    let data = Data(bytes: bytes, count: count)
    do {
        let file = try GGUFReader.read(data: data)
        // Touch every derived fact too: they do arithmetic on values the file controls.
        _ = file.architecture
        _ = file.contextLength
        _ = file.keyValueHeadCount
        _ = file.keyLength
        _ = file.fileType?.name
        _ = file.parameterCount
        _ = file.chatTemplate
        _ = file.beginningOfSequenceToken
        _ = file.endOfSequenceToken
        _ = file.tokenText(.max)
        _ = file.keyValueCacheBytes(contextLength: 1 << 20)
        _ = file.keyValueCacheBytes(contextLength: .max, bytesPerElement: .max)
        for entry in file.metadata {
            _ = entry.value.unsignedIntegerValue
            _ = entry.value.integerValue
        }
    } catch is GGUFError {
        // Rejecting the input is the expected outcome for almost every mutation.
    } catch {
        fatalError("the GGUF reader threw something other than GGUFError: \(error)")
    }
    return 0
}
