import Foundation
import Testing

@testable import BotticelliJinja

@Suite("Jinja builtins")
struct JinjaBuiltinTests {
    private func render(_ source: String, _ context: [String: JinjaValue] = [:]) throws -> String {
        try JinjaTemplate(source: source).render(context: context)
    }

    @Test func stringMethods() throws {
        #expect(try render("{{ 'a,b,c'.split(',', 1) | join('|') }}") == "a|b,c")
        #expect(try render("{{ 'a,b,c'.rsplit(',', 1) | join('|') }}") == "a,b|c")
        #expect(
            try render("{{ 'aXbX'.replace('X', '-') }}|{{ 'ab'.startswith('a') }}|{{ 'ab'.endswith('a') }}")
                == "a-b-|True|False")
        #expect(
            try render("{{ '{} and {}'.format(1, 'two') }}|{{ '  pad'.lstrip() }}|{{ 'pad  '.rstrip() }}")
                == "1 and two|pad|pad")
        #expect(
            try render("{{ 'hello'[1] }}{{ 'hello'[1:3] }}{{ 'hello'[-2:] }}{{ 'hello' | length }}")
                == "eellolo5".replacingOccurrences(of: "lolo", with: "lo"))
        #expect(
            try render("{{ 'one two  three' | wordcount }}|{{ '12abc' | int }}|{{ 'x' | int(7) }}|{{ '2.5' | float }}")
                == "3|12|7|2.5")
    }

    @Test func collectionMethods() throws {
        let context: [String: JinjaValue] = [
            "d": ["b": 2, "a": 1], "items": [["n": "x", "v": 2], ["n": "y", "v": 1]],
        ]
        #expect(
            try render("{{ d.get('a') }}{{ d.get('z', 'none') }}{{ d.keys() | join }}{{ d.values() | join }}", context)
                == "1noneba21")
        #expect(try render("{% for k, v in d | dictsort %}{{ k }}{{ v }}{% endfor %}", context) == "a1b2")
        #expect(try render("{{ items | sort(attribute='v') | map(attribute='n') | join }}", context) == "yx")
        #expect(
            try render("{{ items | rejectattr('n', 'equalto', 'x') | map(attribute='n') | first }}", context) == "y")
        #expect(
            try render(
                "{{ [1, 2, 2, 3] | unique | list | length }}{{ [3, 1] | max }}{{ [3, 1] | min }}{{ [1, 2] | reverse | join }}"
            ) == "33121")
        #expect(
            try render("{% set l = [] %}{% set _ = l.append(1) %}{{ l | length }}{{ l.pop() }}{{ l | length }}")
                == "110")
        #expect(try render("{{ [1,2,3,4,5][::2] | join }}{{ [1,2,3][::-1] | join }}{{ [1,2,3][-1] }}") == "1353213")
        #expect(
            try render("{{ dict(a=1, b='x') | tojson }}{{ [1, 2] | string }}{{ ('a', 1) | string }}")
                == "{\"a\": 1, \"b\": \"x\"}[1, 2]('a', 1)")
    }

    @Test func toJSONMatchesLlamaCpp() throws {
        let context: JinjaValue = ["s": "caf\u{e9} \"q\" \\ \n", "f": 0.5, "n": .none, "l": [1, true]]
        #expect(
            try render("{{ x | tojson }}", ["x": context])
                == "{\"s\": \"caf\u{e9} \\\"q\\\" \\\\ \\n\", \"f\": 0.5, \"n\": null, \"l\": [1, true]}")
        #expect(
            try render("{{ x | tojson(ensure_ascii=true) }}", ["x": "\u{e9}\u{1F600}"]) == "\"\\u00e9\\ud83d\\ude00\"")
        #expect(try render("{{ x | tojson(separators=(',', ':')) }}", ["x": ["a": [1, 2]]]) == "{\"a\":[1,2]}")
        #expect(
            try render("{{ x | tojson(indent=2) }}", ["x": ["a": [1], "b": [:] as JinjaValue]])
                == "{\n  \"a\": [\n    1\n  ],\n  \"b\": {}\n}")
    }

    @Test func contextFunctionsAreCallable() throws {
        let shout = JinjaCallable(name: "shout") { positional, keywords in
            guard case .string(let text) = positional.first else { return .none }
            return .string(
                text.uppercased() + (keywords["suffix"].map { if case .string(let s) = $0 { s } else { "" } } ?? ""))
        }
        #expect(try render("{{ shout('hi', suffix='!') }}", ["shout": .callable(shout)]) == "HI!")
    }

    @Test func llamaCppQuirksArePreserved() throws {
        // none renders as nothing and counts as missing for `default`; lists print their items back to back.
        #expect(try render("[{{ none }}]{{ none | default('d') }}{{ ['a', 'b'] }}") == "[]dab")
        // `+` between a string and none or undefined treats the missing side as empty.
        #expect(try render("{{ 'a' + none }}{{ missing ~ 'b' }}") == "ab")
        // A for loop's else runs when no iteration completed, even if items were skipped with continue.
        #expect(try render("{% for x in [1] %}{% continue %}{% else %}else{% endfor %}") == "else")
        // Macros see the variables of the place they are called from.
        #expect(try render("{% macro m() %}{{ v }}{% endmacro %}{% set v = 'late' %}{{ m() }}") == "late")
        // Integers and floats compare by value, and 1 == true.
        #expect(try render("{{ 1 == 1.0 }}{{ 1 == true }}{{ '1' == 1 }}") == "TrueTrueFalse")
    }

    @Test func unknownNamesFailWithTheirPosition() throws {
        let test = #expect(throws: JinjaError.self) { try render("{{ 1 is shiny }}") }
        #expect(test?.description == "unknown test 'shiny' at line 1, column 6")
        let statement = #expect(throws: JinjaError.self) { try render("\n{% frobnicate %}") }
        #expect(statement?.description == "unknown statement 'frobnicate' at line 2, column 4")
        let call = #expect(throws: JinjaError.self) { try render("{{ nothing() }}") }
        #expect(call?.description == "'nothing' is not callable at line 1, column 11")
    }
}
