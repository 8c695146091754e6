/// The variables visible to a part of a template.
///
/// Like llama.cpp's engine, a new scope (a `for` loop, a macro call) starts as a copy of the enclosing one, so
/// `set` inside it is not seen outside, while arrays and objects are shared and their changes are.
struct Scope {
    var variables: [String: Value]

    init(variables: [String: Value] = [:]) {
        self.variables = variables
        for (name, value) in [("true", true), ("True", true), ("false", false), ("False", false)] {
            self.variables[name] = .bool(value)
        }
        self.variables["none"] = Value.none
        self.variables["None"] = Value.none
    }

    subscript(name: String) -> Value? {
        get { variables[name] }
        set { variables[name] = newValue }
    }
}
