import Testing

@testable import BotticelliCommands

/// toml++ (under TOMLKit 0.6.0) checks some of its parser's preconditions with `assert`, which SwiftPM leaves on
/// even in release builds: on these texts it aborts the process instead of reporting an error. They are found by
/// fuzzing; each must come back as a syntax error (without the guard, this suite crashes the test process).
@Suite("syntax errors that toml++ would abort on")
struct CrashingSyntaxTests {
    @Test(
        "each is a syntax error with its line and column",
        arguments: [
            ("[server]\ncors_origins = [ }", 2, 18, "expected a value or ']' in the array, not '}'"),
            ("a = [\n  1,\n}", 3, 1, "expected a value or ']' in the array, not '}'"),
            ("a = { b = [}] }", 1, 12, "expected a value or ']' in the array, not '}'"),
            ("# c\n[#", 2, 2, "expected a table name after '['"),
            ("[,]", 1, 2, "expected a table name after '['"),
            ("[ =]", 1, 3, "expected a table name after '['"),
            ("[[=]]", 1, 3, "expected a table name after '['"),
            ("[[[a]]]", 1, 3, "expected a table name after '['"),
            ("[server]\nhost = 1979-05-27te:a", 2, 8, "expected a time (HH:MM:SS) after the date's 'T'"),
            ("a = [1979-05-27T:]", 1, 6, "expected a time (HH:MM:SS) after the date's 'T'"),
            ("a = 1979-05-27 7 x", 1, 5, "expected a time (HH:MM:SS) after the date"),
            ("a = 1_979-05-27 7\n", 1, 5, "expected a time (HH:MM:SS) after the date"),
        ])
    func refused(text: String, line: Int, column: Int, expected: String) throws {
        let error = try #require(ConfigurationFixtures.error(text))
        #expect(error.kind == .syntax)
        #expect(
            error.description
                == "\(ConfigurationFixtures.path):\(line):\(column): TOML syntax error: \(expected)")
    }

    @Test(
        "valid neighbours of those texts are not refused",
        arguments: [
            "a = [ ]", "a = [\n  1, # }\n]", "a = [\"}\", '}', \"\"\"}\"\"\", { b = \"}\" }]", "[ server ]\n",
            "[ 'quoted' ]\n", "[[ \"models\" ]]\n", "a = 1979-05-27T07:32:00", "a = 1979-05-27t07:32:00Z",
            "a = 1979-05-27 07:32:00", "a = 1979-05-27", "a = [1979-05-27, 1979-05-27T00:00:00]", "a = 07:32:00",
        ])
    func accepted(text: String) throws {
        #expect(ConfigurationSourceMap(text: text).crashingSyntax == nil)
        _ = try ConfigurationFileParser.parseTOML(text, path: ConfigurationFixtures.path)
    }
}
