/// A list or object that gained an element during a render, held weakly so that noting it keeps nothing alive.
struct GrownContainer {
    weak var array: ArrayStorage?
    weak var object: ObjectStorage?
}

extension Interpreter {
    /// Remembers that `array` gained an element: only a container that grows after it is made can close a
    /// reference cycle, since a new one can only refer to older ones.
    func noteGrowth(of array: ArrayStorage) {
        guard !array.isNotedAsGrown else { return }
        array.isNotedAsGrown = true
        grownContainers.append(GrownContainer(array: array))
    }

    func noteGrowth(of object: ObjectStorage) {
        guard !object.isNotedAsGrown else { return }
        object.isNotedAsGrown = true
        grownContainers.append(GrownContainer(object: object))
    }

    /// Empties every container that grew during the render and is still alive.
    ///
    /// `{% set _ = l.append(l) %}` or `{% set ns.me = ns %}` makes a reference cycle, which Swift never frees: each
    /// render would leak it with everything it holds (a template can put 64 MB in it). A render returns only text,
    /// so once it ends no list or object of it is read again, and emptying these breaks every cycle.
    func breakCycles() {
        for container in grownContainers {
            if let array = container.array { Value.releaseWithoutRecursion(&array.items) }
            if let object = container.object {
                var contents: [Value] = []
                object.moveContents(into: &contents)
                Value.releaseWithoutRecursion(&contents)
            }
        }
        grownContainers = []
    }
}
