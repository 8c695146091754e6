import Foundation
import Testing

@testable import BotticelliJinja

/// Renders the template tests of llama.cpp's own `tests/test-jinja.cpp` and compares with what llama.cpp's engine
/// rendered for them (recorded by `scripts/template-expectations` in `engine_cases`).
@Suite("llama.cpp engine conformance")
struct EngineConformanceTests {
    /// Cases that render byte for byte as llama.cpp's engine renders them (or fail where it fails); cases llama.cpp
    /// reports as not implemented are not counted.
    static let matchingFloor = 298

    @Test func rendersLlamaCppJinjaTestsLikeLlamaCpp() throws {
        guard let document = try TemplateConformanceTests.loadExpectations() else { return }
        var now = Date(timeIntervalSince1970: 0)
        if case .int(let seconds) = document["engine_now"] { now = Date(timeIntervalSince1970: TimeInterval(seconds)) }
        let cases = document["engine_cases"].list
        var matching = 0
        var notImplemented = 0
        var report: [String] = []
        for testCase in cases {
            if testCase["not_implemented"] != nil {
                notImplemented += 1
                continue
            }
            var context: [String: JinjaValue] = [:]
            if case .object(let variables) = testCase["vars"] {
                for (name, value) in variables.pairs { context[name] = value }
            }
            let outcome = Result {
                try JinjaTemplate(source: testCase["template"].text).render(context: context, now: now)
            }
            switch (outcome, testCase["output"]) {
            case (.success(let rendered), .string(let expected)?) where rendered == expected: matching += 1
            case (.failure, nil): matching += 1
            case (.success(let rendered), _):
                report.append(
                    "\(testCase["name"].text): got \(rendered.debugDescription), llama.cpp \(testCase["output"].text.debugDescription) \(testCase["error"].text)"
                )
            case (.failure(let error), _):
                report.append(
                    "\(testCase["name"].text): failed with \(error), llama.cpp \(testCase["output"].text.debugDescription)"
                )
            }
        }
        print(
            "Jinja engine conformance: \(matching) of \(cases.count - notImplemented) llama.cpp test cases match (\(notImplemented) not implemented by llama.cpp)"
        )
        for line in report { print("  mismatch: \(line)") }
        #expect(
            !cases.isEmpty, "the expectations hold no engine_cases; regenerate them with scripts/template-expectations")
        #expect(matching >= Self.matchingFloor, "\(matching) engine cases match, fewer than \(Self.matchingFloor)")
    }
}
