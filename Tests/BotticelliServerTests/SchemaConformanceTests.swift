import BotticelliCore
import BotticelliServer
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

/// Requests at the edges of what openapi.json allows: the decoders accept and refuse exactly what it says.
/// Each case here was a difference between the document and the server (most found by schemathesis).
@Suite("Schema conformance")
struct SchemaConformanceTests {
    static let hi = #"[{"role":"user","content":"Hi"}]"#

    @Test(
        "refused with 400 as the document says",
        arguments: [
            ("/v1/chat/completions", #"{"messages":\#(hi),"logit_bias":{"+5":1}}"#),
            ("/v1/chat/completions", #"{"messages":\#(hi),"logit_bias":{"-0":1}}"#),
            ("/v1/chat/completions", #"{"messages":\#(hi),"logit_bias":{"2147483648":1}}"#),
            (
                "/v1/chat/completions",
                #"{"messages":\#(hi),"response_format":{"type":"json_schema","json_schema":{"schema":5}}}"#
            ),
            ("/v1/chat/completions", #"{"messages":\#(hi),"max_completion_tokens":5,"max_tokens":0}"#),
            ("/v1/completions", #"{"prompt":"x","max_completion_tokens":5,"max_tokens":-1}"#),
            ("/api/chat", #"{"model":"stand-in","messages":[],"options":{"frequency_penalty":3}}"#),
            ("/api/generate", #"{"model":"stand-in","options":{"temperature":9}}"#),
            ("/api/chat", #"{"model":"stand-in","messages":\#(hi),"format":5}"#),
            ("/api/chat", #"{"model":"stand-in","messages":\#(hi),"format":[]}"#),
            ("/api/chat", #"{"model":"stand-in","messages":\#(hi),"keep_alive":"inf"}"#),
            ("/api/chat", #"{"model":"stand-in","messages":\#(hi),"keep_alive":"1e3"}"#),
            ("/api/chat", #"{"model":"stand-in","messages":\#(hi),"keep_alive":"5m3"}"#),
            ("/api/chat", #"{"model":"stand-in","messages":\#(hi),"keep_alive":"1.s"}"#),
        ])
    func refused(path: String, body: String) async throws {
        try await OpenAIRouteTests.application().test(.router) { client in
            let response = try await OpenAIRouteTests.post(client, path, body)
            #expect(response.status == .badRequest, "\(body)")
        }
    }

    @Test(
        "accepted as the document says",
        arguments: [
            ("/v1/chat/completions", #"{"messages":\#(hi),"logit_bias":{"0007":-100,"2147483647":0}}"#),
            (
                "/v1/chat/completions",
                #"{"messages":\#(hi),"response_format":{"type":"json_schema","json_schema":{"schema":{}}}}"#
            ),
            ("/api/chat", #"{"model":"stand-in","messages":\#(hi),"stream":false,"format":{"type":"object"}}"#),
            ("/api/chat", #"{"model":"stand-in","messages":\#(hi),"stream":false,"keep_alive":"-1h30m0.5s"}"#),
            ("/api/chat", #"{"model":"stand-in","messages":\#(hi),"stream":false,"keep_alive":-1}"#),
            ("/api/chat", #"{"model":"stand-in","messages":\#(hi),"stream":false,"keep_alive":"300ms"}"#),
        ])
    func accepted(path: String, body: String) async throws {
        try await OpenAIRouteTests.application().test(.router) { client in
            let response = try await OpenAIRouteTests.post(client, path, body)
            #expect(response.status == .ok, "\(body): \(String(buffer: response.body))")
        }
    }
}
