import Testing

@testable import BotticelliCommands

@Suite("keep_alive durations")
struct ModelKeepAliveTests {
    @Test(
        "durations, seconds, forever and at once",
        arguments: [
            ("5m", ModelKeepAlive.seconds(300)), ("30s", .seconds(30)), ("1h", .seconds(3600)),
            ("1h30m", .seconds(5400)), ("2m5s", .seconds(125)), ("300", .seconds(300)), (" 90 ", .seconds(90)),
            ("-1", .forever), ("-5m", .forever), ("0", .unloadImmediately), ("0s", .unloadImmediately),
        ])
    func parses(text: String, expected: ModelKeepAlive) {
        #expect(ModelKeepAlive(parsing: text) == expected)
    }

    @Test(
        "anything else is rejected",
        arguments: ["", "-", "m", "5x", "5 m", "1.5h", "5m3", "forever", "99999999999999999999", "9999999999999999h"])
    func rejects(text: String) {
        #expect(ModelKeepAlive(parsing: text) == nil)
    }

    @Test("the description is the shortest text that parses back")
    func description() {
        for value in [ModelKeepAlive.forever, .unloadImmediately, .seconds(300), .seconds(5400), .seconds(3605)] {
            #expect(ModelKeepAlive(parsing: value.description) == value)
        }
        #expect(ModelKeepAlive.seconds(5400).description == "1h30m")
        #expect(ModelKeepAlive.defaultValue.description == "5m")
        #expect(ModelKeepAlive.forever.duration == nil)
        #expect(ModelKeepAlive.seconds(30).duration == .seconds(30))
    }
}
