import BotticelliHub
import Foundation
import Hummingbird
import HummingbirdTesting
import Logging
import Testing

@testable import BotticelliServer

/// `/api/pull` and `/api/delete` against a stand-in library.
@Suite("Ollama pull and delete")
struct OllamaModelRouteTests {
    static func application(library: StandInLibrary = StandInLibrary()) -> some ApplicationProtocol {
        let router = BotticelliApplication.router(
            provider: SingleModelProvider(engine: StandInEngine()), library: library,
            configuration: ServerConfiguration(), metrics: ServerMetrics(), logger: Logger(label: "test"))
        return Application(router: router)
    }

    static func deleteRequest(_ client: some TestClientProtocol, _ body: String) async throws -> TestResponse {
        try await client.execute(
            uri: "/api/delete", method: .delete, headers: [.contentType: "application/json"],
            body: ByteBuffer(string: body))
    }

    @Test("a pull streams the manifest, throttled progress, one 100% line, and Ollama's closing lines")
    func pullStreams() async throws {
        try await Self.application().test(.router) { client in
            let response = try await OpenAIRouteTests.post(client, "/api/pull", #"{"model":"org/model"}"#)
            #expect(response.status == .ok)
            #expect(response.headers[.contentType] == "application/x-ndjson")
            let lines = try OllamaRouteTests.lines(response.body)
            let statuses = lines.compactMap { $0["status"] as? String }
            #expect(statuses.first == "pulling manifest")
            #expect(statuses.suffix(3) == ["verifying sha256 digest", "writing manifest", "success"])
            let progress = lines.filter { $0["digest"] != nil }
            #expect(progress.count >= 2)
            #expect(progress.filter { $0["completed"] as? Int == 1000 }.count == 1)
            for line in progress {
                #expect(line["status"] as? String == "pulling 0123456789ab")
                #expect(line["digest"] as? String == "sha256:\(StandInLibrary.digest)")
                #expect(line["total"] as? Int == 1000)
            }
            #expect(progress.first?["completed"] as? Int == 0)
            #expect(progress.last?["completed"] as? Int == 1000)
        }
    }

    @Test("older clients name the model in 'name'; a cached model succeeds at once")
    func pullCached() async throws {
        try await Self.application().test(.router) { client in
            let response = try await OpenAIRouteTests.post(client, "/api/pull", #"{"name":"cached","insecure":true}"#)
            #expect(response.status == .ok)
            let lines = try OllamaRouteTests.lines(response.body)
            #expect(
                lines.map { $0["status"] as? String } == [
                    "pulling manifest", "pulling 0123456789ab", "verifying sha256 digest", "writing manifest",
                    "success",
                ])
            #expect(lines[1]["completed"] as? Int == 1000)
        }
    }

    @Test("stream false answers one success object after the download")
    func pullWithoutStreaming() async throws {
        let library = StandInLibrary()
        try await Self.application(library: library).test(.router) { client in
            let response = try await OpenAIRouteTests.post(
                client, "/api/pull", #"{"model":"org/model","stream":false}"#)
            #expect(response.status == .ok)
            #expect(response.headers[.contentType] == "application/json")
            #expect(try OpenAIRouteTests.json(response.body) as NSDictionary == ["status": "success"])
            let again = try await OpenAIRouteTests.post(client, "/api/pull", #"{"model":"org/model","stream":false}"#)
            #expect(again.status == .ok)
            let failed = try await OpenAIRouteTests.post(client, "/api/pull", #"{"model":"broken","stream":false}"#)
            #expect(failed.status == .badGateway)
            #expect(
                try OpenAIRouteTests.json(failed.body)["error"] as? String
                    == "the Hub closed the connection; pull again to resume")
        }
    }

    @Test("errors found before the download get their status and Ollama's error shape")
    func pullRefusals() async throws {
        try await Self.application().test(.router) { client in
            let unknown = try await OpenAIRouteTests.post(client, "/api/pull", #"{"model":"unknown"}"#)
            #expect(unknown.status == .notFound)
            let message = try #require(try OpenAIRouteTests.json(unknown.body)["error"] as? String)
            #expect(message.contains("models list"))
            let huge = try await OpenAIRouteTests.post(client, "/api/pull", #"{"model":"huge"}"#)
            #expect(huge.status.code == 507)
            #expect((try OpenAIRouteTests.json(huge.body)["error"] as? String)?.contains("does not fit") == true)
            let invalid = try await OpenAIRouteTests.post(client, "/api/pull", #"{"model":"bad\u0001name"}"#)
            #expect(invalid.status == .badRequest)
            for body in [#"{}"#, #"{"model":""}"#, #"{"model":5}"#, #"{"model":"x","stream":"yes"}"#] {
                let response = try await OpenAIRouteTests.post(client, "/api/pull", body)
                #expect(response.status == .badRequest, "\(body)")
                #expect(try OpenAIRouteTests.json(response.body)["error"] is String, "\(body)")
            }
        }
    }

    @Test("an error during the download is the stream's last line")
    func pullFailsMidStream() async throws {
        try await Self.application().test(.router) { client in
            let response = try await OpenAIRouteTests.post(client, "/api/pull", #"{"model":"broken"}"#)
            #expect(response.status == .ok)
            let lines = try OllamaRouteTests.lines(response.body)
            #expect(lines.first?["status"] as? String == "pulling manifest")
            #expect(lines[1]["completed"] as? Int == 100)
            #expect(
                (lines.last ?? [:]) as NSDictionary == ["error": "the Hub closed the connection; pull again to resume"])
            #expect(!lines.contains { $0["status"] as? String == "success" })
        }
    }

    @Test("progress lines: one per interval per file, a single 100% line, none while waiting for the lock")
    func progressThrottling() {
        let file = PullPlan.File(filename: "a.gguf", sizeBytes: 100, sha256: nil)
        var progress = OllamaPullProgress(plan: PullPlan(name: "a", files: [file], isCached: false))
        let start = ContinuousClock.now
        func report(_ phase: DownloadProgress.Phase, _ completed: Int64, after milliseconds: Int) -> OllamaPullStatus? {
            progress.line(
                for: DownloadProgress(
                    repo: "org/a", filename: "a.gguf", phase: phase, completedBytes: completed, totalBytes: 100),
                now: start + .milliseconds(milliseconds))
        }
        #expect(report(.waitingForLock, 0, after: 0) == nil)
        #expect(
            report(.downloading, 10, after: 0) == OllamaPullStatus(status: "pulling a.gguf", total: 100, completed: 10))
        #expect(report(.downloading, 20, after: 100) == nil)
        #expect(report(.downloading, 30, after: 260)?.completed == 30)
        #expect(report(.downloading, 100, after: 270)?.completed == 100)
        #expect(report(.verifying, 100, after: 280) == nil)
        #expect(progress.closingLines().map(\.status) == ["verifying sha256 digest", "writing manifest", "success"])
    }

    @Test("the download counter adds only the bytes each report brings, not what was on disk before")
    func downloadCounter() {
        func report(_ file: String, _ completed: Int64) -> DownloadProgress {
            DownloadProgress(
                repo: "org/m", filename: file, phase: .downloading, completedBytes: completed, totalBytes: 1000)
        }
        var counter = DownloadCounter()
        #expect(counter.newBytes(in: report("a.gguf", 400)) == 0)
        #expect(counter.newBytes(in: report("a.gguf", 650)) == 250)
        #expect(counter.newBytes(in: report("b.gguf", 0)) == 0)
        #expect(counter.newBytes(in: report("b.gguf", 100)) == 100)
        #expect(counter.newBytes(in: report("a.gguf", 1000)) == 350)
        #expect(counter.newBytes(in: report("a.gguf", 1000)) == 0)
    }

    @Test("a client that goes away cancels the download")
    func pullCancelledByDisconnect() async throws {
        let library = StandInLibrary()
        let plan = try await library.preparePull(name: "endless")
        var events = EventWriter(writer: FailingWriter(acceptedWrites: 3), style: .jsonLines)
        await #expect(throws: FailingWriter.Closed.self) {
            try await OllamaModelRoutes<BasicRequestContext>.stream(
                plan, library: library, interval: .milliseconds(10), to: &events)
        }
        #expect(library.cancelled)
    }

    @Test("delete removes a cached model, then answers 404; served and local models are refused")
    func deleteCases() async throws {
        let library = StandInLibrary()
        try await Self.application(library: library).test(.router) { client in
            let removed = try await Self.deleteRequest(client, #"{"model":"cached"}"#)
            #expect(removed.status == .ok)
            #expect(removed.body.readableBytes == 0)
            #expect(library.deleted == ["cached"])
            let again = try await Self.deleteRequest(client, #"{"name":"cached"}"#)
            #expect(again.status == .notFound)
            #expect(try OpenAIRouteTests.json(again.body) as NSDictionary == ["error": "model 'cached' not found"])
            let served = try await Self.deleteRequest(client, #"{"model":"stand-in"}"#)
            #expect(served.status == .badRequest)
            #expect((try OpenAIRouteTests.json(served.body)["error"] as? String)?.contains("being served") == true)
            let local = try await Self.deleteRequest(client, #"{"model":"/tmp/model.gguf"}"#)
            #expect(local.status == .badRequest)
            let empty = try await Self.deleteRequest(client, #"{}"#)
            #expect(empty.status == .badRequest)
        }
    }

    @Test("without a library, pull and delete are not routes")
    func withoutLibrary() {
        let router = BotticelliApplication.router(
            provider: SingleModelProvider(engine: StandInEngine()), configuration: ServerConfiguration(),
            metrics: ServerMetrics(), logger: Logger(label: "test"))
        #expect(!router.routes.contains { $0.path.description == "/api/pull" })
    }
}

/// A response body writer whose client leaves after a few writes.
struct FailingWriter: ResponseBodyWriter {
    struct Closed: Error {}
    var acceptedWrites: Int

    mutating func write(_ buffer: ByteBuffer) async throws {
        guard acceptedWrites > 0 else { throw Closed() }
        acceptedWrites -= 1
    }

    consuming func finish(_ trailingHeaders: HTTPFields?) async throws {}
}
