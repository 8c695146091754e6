import BotticelliCore
import Foundation
import Hummingbird

/// /health, /metrics, /openapi.json, /tokenize, /detokenize and /apply-template.
struct OperationsRoutes<Context: RequestContext>: Sendable {
    let provider: any ModelProvider
    let metrics: ServerMetrics
    let bodyLimit: Int

    func register(on router: some RouterMethods<Context>) {
        router.get("health") { _, _ in
            try JSONResponse.make(["status": "ok"])
        }
        router.get("metrics") { _, _ in
            let text = await metrics.render(provider: provider)
            return Response(
                status: .ok, headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
                body: .init(byteBuffer: ByteBuffer(string: text)))
        }
        router.get("openapi.json") { _, _ in try OpenAPIDocument.response() }
        router.post("tokenize") { request, context in
            let body = try await JSONBody.decode(TokenizeRequest.self, from: request, limit: bodyLimit)
            let engine = try await engine(body.model)
            let tokens = try await APIError.reportingEngineErrors {
                try await engine.tokenize(body.content, addSpecial: body.addSpecial ?? false)
            }
            return try JSONResponse.make(["tokens": tokens])
        }
        // llama-server's route: the prompt a chat request would be given to the model as, without generating.
        router.post("apply-template") { request, context in
            let body = try await JSONBody.decode(ChatCompletionRequest.self, from: request, limit: bodyLimit)
            let messages = try body.checkedMessages()
            let engine = try await engine(body.model)
            let prompt = try await APIError.reportingEngineErrors {
                try await engine.renderChat(messages, addGenerationPrompt: true)
            }
            return try JSONResponse.make(["prompt": prompt])
        }
        router.post("detokenize") { request, context in
            let body = try await JSONBody.decode(DetokenizeRequest.self, from: request, limit: bodyLimit)
            let engine = try await engine(body.model)
            let content = try await APIError.reportingEngineErrors { try await engine.detokenize(body.tokens) }
            return try JSONResponse.make(["content": content])
        }
    }

    func engine(_ name: String?) async throws -> any InferenceEngine {
        do {
            return try await provider.engine(for: name)
        } catch let error as ModelLookupError {
            throw APIError.modelNotFound(error)
        }
    }
}
