import Foundation
import Testing

@testable import BotticelliJinja

@Suite("Jinja rendering")
struct JinjaTemplateTests {
    private func render(_ source: String, _ context: [String: JinjaValue] = [:]) throws -> String {
        try JinjaTemplate(source: source).render(context: context)
    }

    @Test func rendersTextAndExpressions() throws {
        #expect(try render("Hello {{ name }}!", ["name": "World"]) == "Hello World!")
        #expect(try render("{{ 1 + 2 * 3 }}|{{ 7 / 2 }}|{{ 7 % 3 }}|{{ 'a' ~ 1 ~ true }}") == "7|3.5|1|a1True")
        #expect(try render("{{ none }}{{ undefined_name }}{{ [1, 'a'] }}") == "1a")
        #expect(try render("{{ 'it\\'s' }} {{ \"q\\n\" }}") == "it's q\n")
    }

    @Test func appliesTrimAndLstripBlocksLikeLlamaCpp() throws {
        let source = "<s>\n  {% if true %}\n    yes\n  {% endif %}\nend\n"
        #expect(try render(source) == "<s>\n    yes\nend")
        #expect(try render("a  {{- ' b ' -}}  c") == "a b c")
        #expect(try render("<s>x {#- comment -#} y") == "<s>xy")
        #expect(try render("{{ 'v' }}\nafter") == "v\nafter")
    }

    @Test func loopsExposeLoopVariables() throws {
        let source = """
            {% for x in items %}{{ loop.index }}{{ loop.index0 }}{{ loop.first }}{{ loop.last }}\
            {{ loop.length }}{{ loop.revindex }}{{ loop.previtem }}{{ loop.nextitem }};{% endfor %}
            """
        #expect(try render(source, ["items": ["a", "b"]]) == "10TrueFalse22b;21FalseTrue21a;")
        #expect(try render("{% for x in [] %}x{% else %}empty{% endfor %}") == "empty")
        #expect(try render("{% for x in [1,2,3,4] if x is even %}{{ x }}{% endfor %}") == "24")
        #expect(try render("{% for k, v in {'a': 1, 'b': 2}.items() %}{{ k }}={{ v }} {% endfor %}") == "a=1 b=2 ")
        #expect(try render("{% for x in [1,2,3] %}{% if x == 2 %}{% break %}{% endif %}{{ x }}{% endfor %}") == "1")
    }

    @Test func setNamespaceMacroCallAndFilterBlocks() throws {
        let source = """
            {%- set ns = namespace(count=0) -%}
            {%- for x in [1, 2, 3] %}{% set ns.count = ns.count + x %}{% endfor -%}
            {{ ns.count }}
            {%- set a, b = 1, 2 %} {{ a }}{{ b }}
            {%- set block %}inner{% endset %} {{ block | upper }}
            {%- macro greet(name, punctuation='!') %}Hi {{ name }}{{ punctuation }}{% endmacro %} {{ greet('Bob') }}
            {%- macro wrap() %}[{{ caller() }}]{% endmacro %} {% call wrap() %}body{% endcall %}
            {%- filter upper %} shout{% endfilter %}
            """
        #expect(try render(source) == "6 12 INNER Hi Bob! [body] SHOUT")
    }

    @Test func filtersAndMethods() throws {
        #expect(
            try render("{{ '  x  ' | trim }}|{{ 'ab' | upper }}|{{ 'a-b-c'.split('-') | join(',') }}") == "x|AB|a,b,c")
        #expect(
            try render("{{ 'hello world' | title }}|{{ 'hELLO' | capitalize }}|{{ 'xxhixx'.strip('x') }}")
                == "Hello World|Hello|hi")
        #expect(
            try render("{{ [3, 1, 2] | sort | list }}|{{ [1, 2] | length }}|{{ 'abc'[::-1] }}|{{ [1,2,3,4][1:3] }}")
                == "[1, 3, 2]|2|cba|23".replacingOccurrences(of: "[1, 3, 2]", with: "123"))
        #expect(try render("{{ {'a': 1, 'b': [1, 2]} | tojson }}") == "{\"a\": 1, \"b\": [1, 2]}")
        #expect(try render("{{ {'a': 1} | tojson(indent=2) }}") == "{\n  \"a\": 1\n}")
        #expect(try render("{{ x | default('d') }}{{ none | default('n') }}") == "dn")
        #expect(try render("{{ users | map(attribute='n') | join }}", ["users": [["n": "a"], ["n": "b"]]]) == "ab")
        #expect(
            try render("{{ ms | selectattr('r', 'equalto', 'u') | list | length }}", ["ms": [["r": "u"], ["r": "s"]]])
                == "1")
        #expect(try render("{{ 'a\\nb' | indent(2, first=true) }}") == "  a\n  b")
        #expect(try render("{{ -3 | abs }}{{ 2.5 | int }}{{ '7' | int + 1 }}{{ 3.14159 | round(2) }}") == "3283.14")
    }

    @Test func testsAndOperators() throws {
        let source = """
            {{ x is defined }}{{ y is undefined }}{{ none is none }}{{ 'a' is string }}{{ 1 is number }}\
            {{ {} is mapping }}{{ 4 is divisibleby(2) }}{{ 3 is odd }}{{ 'a' in 'cat' }}{{ 1 not in [2] }}\
            {{ 'yes' if x else 'no' }}{{ not x }}{{ x and 'and' }}{{ y or 'or' }}
            """
        #expect(try render(source, ["x": 1]) == "TrueTrueTrueTrueTrueTrueTrueTrueTrueTrueyesFalseandor")
    }

    @Test func errorsNameTheConstructAndPosition() throws {
        let unknown = #expect(throws: JinjaError.self) { try render("line\n  {{ 'a' | foo }}") }
        #expect(unknown?.description == "unknown filter 'foo' for type String at line 2, column 10")
        let raised = #expect(throws: JinjaError.self) { try render("{{ raise_exception('nope') }}") }
        #expect(raised?.kind == .raised)
        #expect(raised?.description.hasPrefix("raise_exception: nope") == true)
        #expect(throws: JinjaError.self) { try render("{% if x %}") }
        #expect(throws: JinjaError.self) { try render("{{ 'unterminated }}") }
    }

    @Test func limitsStopRunawayTemplates() throws {
        #expect(throws: JinjaError.self) { try render("{% macro f() %}{{ f() }}{% endmacro %}{{ f() }}") }
        var nested = try JinjaTemplate(
            source: "{% for a in range(100) %}{% for b in range(100) %}{% endfor %}{% endfor %}")
        nested.limits.loopIterations = 1000
        #expect(throws: JinjaError.self) { try nested.render(context: [:]) }
        #expect(throws: JinjaError.self) { try render("{{ " + String(repeating: "(", count: 5000) + " }}") }
    }

    @Test func strftimeUsesTheInjectedDate() throws {
        let template = try JinjaTemplate(source: "{{ strftime_now('%Y') }}")
        #expect(try template.render(context: [:], now: Date(timeIntervalSince1970: 1_000_000_000)) == "2001")
    }
}

@Suite("Jinja limits")
struct JinjaLimitTests {
    @Test func deepButLegalNestingRenders() throws {
        let parentheses = String(repeating: "(", count: 45) + "1" + String(repeating: ")", count: 45)
        #expect(try JinjaTemplate(source: "{{ \(parentheses) }}").render(context: [:]) == "1")
        let chain = Array(repeating: "1", count: 250).joined(separator: " + ")
        #expect(try JinjaTemplate(source: "{{ \(chain) }}").render(context: [:]) == "250")
        let ifs = String(repeating: "{% if true %}", count: 90) + "x" + String(repeating: "{% endif %}", count: 90)
        #expect(try JinjaTemplate(source: ifs).render(context: [:]) == "x")
        let recursion = "{% macro f(n) %}{% if n > 0 %}{{ f(n - 1) }}{% else %}done{% endif %}{% endmacro %}{{ f(35) }}"
        #expect(try JinjaTemplate(source: recursion).render(context: [:]) == "done")
    }

    @Test func selfContainingValuesAndExponentialWorkFail() throws {
        for source in [
            "{% set l = [] %}{% set _ = l.append(l) %}{{ l }}",
            "{% set l = [] %}{% set _ = l.append(l) %}{{ l | tojson }}",
            "{% set ns = namespace() %}{% set ns.me = ns %}{{ ns | string }}",
            "{{ range(-9223372036854775807, 9223372036854775807) | length }}",
            "{{ 'x' | indent(99999999999) }}",
        ] {
            #expect(throws: JinjaError.self, "\(source)") { try JinjaTemplate(source: source).render(context: [:]) }
        }
        var branching = try JinjaTemplate(
            source: "{% macro f(n) %}{% if n > 0 %}{{ f(n-1) }}{{ f(n-1) }}{% endif %}{% endmacro %}{{ f(39) }}")
        branching.limits.loopIterations = 10_000
        #expect(throws: JinjaError.self) { try branching.render(context: [:]) }
        #expect(
            try JinjaTemplate(source: "{{ (-9223372036854775807 - 1) is divisibleby(-1) }}").render(context: [:])
                == "True")
    }

    @Test func excessiveNestingIsAnErrorNotACrash() throws {
        let chain = Array(repeating: "1", count: 100_000).joined(separator: "+")
        #expect(throws: JinjaError.self) { try JinjaTemplate(source: "{{ \(chain) }}").render(context: [:]) }
        let ifs = String(repeating: "{% if true %}", count: 5000)
        #expect(throws: JinjaError.self) { try JinjaTemplate(source: ifs) }
        #expect(throws: JinjaError.self) {
            try JinjaTemplate(source: "{{ 'ab' * 100000000 }}{{ 'x' * 1000000000000 }}").render(context: [:])
        }
    }
}
