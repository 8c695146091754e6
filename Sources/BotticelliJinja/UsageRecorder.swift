/// Watches chosen probe values during a render and records whether the template read them and how: the way
/// llama.cpp learns a template's capabilities (does it read a system message, does it treat content as a list).
///
/// Probe strings are recognised by their distinctive text, probe lists by identity.
final class UsageRecorder {
    final class Usage {
        var used = false
        var operations: Set<String> = []
    }

    private var strings: [String: Usage] = [:]
    private var arrays: [ObjectIdentifier: Usage] = [:]

    func watch(_ text: String) -> Usage {
        let usage = Usage()
        strings[text] = usage
        return usage
    }

    func watch(_ array: ArrayStorage) -> Usage {
        let usage = Usage()
        arrays[ObjectIdentifier(array)] = usage
        return usage
    }

    private func usage(of value: Value) -> Usage? {
        switch value {
        case .string(let text): strings[text]
        case .array(let array): arrays[ObjectIdentifier(array)]
        default: nil
        }
    }

    func markUsed(_ value: Value, deep: Bool = false, depth: Int = 0) {
        usage(of: value)?.used = true
        guard deep, depth < Value.nestingLimit else { return }
        switch value {
        case .array(let array): for item in array.items { markUsed(item, deep: true, depth: depth + 1) }
        case .object(let object):
            for (key, item) in object.pairs {
                markUsed(key, deep: true, depth: depth + 1)
                markUsed(item, deep: true, depth: depth + 1)
            }
        default: break
        }
    }

    func record(_ operation: String, on value: Value) {
        usage(of: value)?.operations.insert(operation)
    }
}
