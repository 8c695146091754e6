import Foundation
import Testing

@testable import BotticelliJinja

/// Templates that crashed the interpreter under the fuzzer (`scripts/fuzz jinja`); each now renders or throws.
/// Their reproducers are also in fuzz/jinja/corpus, so every fuzzing run replays them.
@Suite("Jinja fuzzing findings")
struct JinjaFuzzFindingTests {
    /// `[[[…[x]…]]]` with `depth` brackets, or with `.append` after each, which nests bound methods instead.
    private static func nested(_ depth: Int, around inner: String, method: Bool = false) -> String {
        String(repeating: "[", count: depth) + inner + String(repeating: method ? "].append" : "]", count: depth)
    }

    /// Wraps `ns.x` in `value` 2000 times; the result outlives the loop and is freed at the end of the render.
    private static func loop(building value: String) -> String {
        "{% set ns = namespace(x=[]) %}{% for i in range(2000) %}{% set ns.x = \(value) %}{% endfor %}{{ ns.x | length }}"
    }

    /// Freeing a value nested 100 000 deep released one level inside the other and overflowed the stack at the end
    /// of the render (a crash of the whole server, from a model's chat template).
    @Test(
        "a value nested 100 000 deep is freed without overflowing the stack",
        arguments: [
            loop(building: nested(50, around: "ns.x")),
            loop(building: String(repeating: "{'k': ", count: 50) + "ns.x" + String(repeating: "}", count: 50)),
            loop(building: "[" + nested(24, around: "ns.x", method: true) + "]"),
            // Built by appending to the innermost list, so no container ever holds more than one level when made.
            """
            {%- set ns = namespace(last=[]) %}{% set root = ns.last %}{% for i in range(100000) -%}
            {%- set next = [] %}{% set _ = ns.last.append(next) %}{% set ns.last = next %}{% endfor -%}
            {{ root | length }}
            """,
        ])
    func deepValuesAreFreedIteratively(source: String) throws {
        #expect(try JinjaTemplate(source: source).render(context: [:]) == "1")
    }

    /// A container that is still referenced is not emptied when one of its holders goes away.
    @Test func sharedContainersKeepTheirContents() throws {
        let source = """
            {%- set shared = [[1, [2]], {'a': [3]}] %}{% set ns = namespace(keep=[]) -%}
            {%- for i in range(3) %}{% set ns.keep = [shared, shared.append] %}{% endfor -%}
            {{ shared | tojson }}|{{ ns.keep[0] | tojson }}
            """
        #expect(
            try JinjaTemplate(source: source).render(context: [:]) == #"[[1, [2]], {"a": [3]}]|[[1, [2]], {"a": [3]}]"#)
    }

    /// A macro calling itself from inside 290 nested blocks stayed under the parser's limit for one template (300)
    /// but ran 11 000 blocks deep and overflowed the stack; the depth is now counted through macro calls.
    @Test func recursionThroughNestedBlocksIsAnError() throws {
        let blocks =
            String(repeating: "{% if true %}", count: 290) + "{{ m(k - 1) }}"
            + String(repeating: "{% endif %}", count: 290)
        let source = "{% macro m(k) %}{% if k > 0 %}\(blocks){% endif %}{% endmacro %}{{ m(39) }}"
        let error = #expect(throws: JinjaError.self) { try JinjaTemplate(source: source).render(context: [:]) }
        #expect(error?.message.contains("nests deeper than 400 levels") == true)
        #expect(error?.line == 1)
    }

    /// A list or namespace that contains itself is a reference cycle, which was leaked with all it held after every
    /// render, also one that failed (LeakSanitizer, under the fuzzer); what grew is now emptied when a render ends.
    @Test(arguments: ["{{ items | length }}", "{{ raise_exception('stop') }}"])
    func selfContainingValuesAreFreedAfterTheRender(ending: String) throws {
        weak var list: ArrayStorage?
        weak var namespace: ObjectStorage?
        func render() throws {
            let items = ArrayStorage([.string(String(repeating: "x", count: 1000))])
            let ns = ObjectStorage()
            list = items
            namespace = ns
            let template = try JinjaTemplate(
                source: "{% set _ = items.append(items) %}{% set ns.me = ns %}{% set _ = items.append(ns) %}" + ending)
            _ = try? template.render(variables: ["items": .array(items), "ns": .object(ns)], now: Date())
            #expect(items.items.isEmpty)
        }
        try render()
        #expect(list == nil)
        #expect(namespace == nil)
    }

    @Test func chatTemplatesTakeTheirLimits() throws {
        var limits = JinjaLimits()
        limits.loopIterations = 50
        let template = try ChatTemplate(
            source: "{% for i in range(100) %}.{% endfor %}{% for m in messages %}{{ m.content }}{% endfor %}",
            limits: limits)
        #expect(template.template.limits.loopIterations == 50)
        #expect(throws: JinjaError.self) { try template.render(messages: [.user("hi")], addGenerationPrompt: false) }
    }
}
