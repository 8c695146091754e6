extension Value {
    /// Empties `values`, releasing the containers in them one at a time instead of one inside another.
    ///
    /// A template can build a list nested a million deep (`{% set x = [x] %}` in a loop). Swift releases such a
    /// value recursively, a few stack frames per level, and overflows the stack at the end of the render; so
    /// a container about to be freed hands its contents to this loop instead of releasing them itself.
    static func releaseWithoutRecursion(_ values: inout [Value]) {
        guard values.contains(where: \.isContainer) else { return }
        var pending: [Value] = []
        swap(&pending, &values)
        while var value = pending.popLast() {
            // Each container is taken out of its value, and the value dropped, before checking that this is
            // the last reference: any copy still alive would make every container look shared.
            var array: ArrayStorage?
            var object: ObjectStorage?
            var function: FunctionValue?
            switch value {
            case .array(let storage): array = storage
            case .object(let storage): object = storage
            case .function(let method): function = method
            case .keyword(_, let inner): pending.append(inner)
            default: break
            }
            value = .undefined
            if isKnownUniquelyReferenced(&array) {
                pending.append(contentsOf: array?.items ?? [])
                array?.items = []
            }
            if isKnownUniquelyReferenced(&object) { object?.moveContents(into: &pending) }
            if isKnownUniquelyReferenced(&function), let receiver = function?.receiver {
                pending.append(receiver)
                function?.receiver = nil
            }
        }
    }

    private var isContainer: Bool {
        switch self {
        case .array, .object, .function, .keyword: true
        default: false
        }
    }
}
