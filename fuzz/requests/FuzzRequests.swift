// libFuzzer entry point for the request decoders of the OpenAI, Ollama and llama-server routes. scripts/fuzz builds it together
// with the server's decoding sources (JSONBody, APIError, OpenAI/*Request*.swift, SamplingFields,
// FlexibleValues, OllamaRequests, KeepAlive, LlamaCompletionRequest) into one module, over HTTPTypes and the inference types of
// BotticelliCore built as modules of their own. Each input is a request body; it is decoded as every body the
// server accepts, the way `JSONBody` does for the routes, and each that decodes goes through the checks that turn it
// into engine requests.
import BotticelliCore
import Foundation

/// `BOTTICELLI_FUZZ_VERBOSE=1` prints what became of each input, for looking at a reproducer.
private let verbose = ProcessInfo.processInfo.environment["BOTTICELLI_FUZZ_VERBOSE"] == "1"

/// A context length for Ollama's options, as a loaded model would give.
private let contextLength = 2048

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzRequests(_ bytes: UnsafePointer<UInt8>?, _ count: Int) -> CInt {
    let body = bytes.map { Data(UnsafeBufferPointer(start: $0, count: count)) } ?? Data()
    check("chat") {
        let request = try JSONBody.decode(ChatCompletionRequest.self, from: body)
        expectSane(try request.generationRequest(), "chat")
    }
    check("completion") {
        let request = try JSONBody.decode(CompletionRequest.self, from: body)
        for generation in try request.generationRequests() { expectSane(generation, "completion") }
    }
    check("embedding") {
        _ = try JSONBody.decode(EmbeddingRequest.self, from: body).checkedFormat()
    }
    check("tokenize") { _ = try JSONBody.decode(TokenizeRequest.self, from: body) }
    check("detokenize") { _ = try JSONBody.decode(DetokenizeRequest.self, from: body) }
    check("ollama chat") {
        let request = try JSONBody.decode(OllamaChatRequest.self, from: body)
        expectForeverOrFinite(request.keepAlive)
        let messages = (request.messages ?? []).map { ChatMessage(role: $0.role, content: $0.content ?? "") }
        var generation = GenerationRequest(input: .chat(messages), constraint: request.format?.constraint)
        try request.options?.apply(to: &generation, contextSize: contextLength)
        expectSane(generation, "ollama chat")
    }
    check("ollama generate") {
        let request = try JSONBody.decode(OllamaGenerateRequest.self, from: body)
        expectForeverOrFinite(request.keepAlive)
        var generation = GenerationRequest(input: .text(request.prompt ?? ""), constraint: request.format?.constraint)
        try request.options?.apply(to: &generation, contextSize: contextLength)
        expectSane(generation, "ollama generate")
    }
    check("ollama embed") {
        let request = try JSONBody.decode(OllamaEmbedRequest.self, from: body)
        expectForeverOrFinite(request.keepAlive)
    }
    check("llama completion") {
        let request = try JSONBody.decode(LlamaCompletionRequest.self, from: body)
        let (sampling, maxTokens, _) = try request.checked(contextSize: contextLength)
        // llama-server's ranges, wider than OpenAI's: any finite temperature (0 or less is greedy), top_p 0 allowed.
        let sane =
            (maxTokens ?? 0) >= 0 && sampling.temperature >= 0 && Float(sampling.temperature).isFinite
            && (0...1).contains(sampling.topP) && sampling.topK >= 0 && (0...1).contains(sampling.minP)
            && sampling.repeatPenalty > 0 && Float(sampling.repeatPenalty).isFinite
            && Float(sampling.presencePenalty).isFinite && Float(sampling.frequencyPenalty).isFinite
            && sampling.penaltyWindow >= 0
            && (request.nProbs ?? 0) >= 0 && (request.nProbs ?? 0) <= 100 && !request.prompts.isEmpty
            && request.logitBias.allSatisfy { Float($0.bias).isFinite || $0.bias == -.infinity }
        if !sane { fatalError("llama completion: a request passed the checks with values out of range: \(request)") }
    }
    check("ollama model") { _ = try JSONBody.decode(OllamaModelRequest.self, from: body).resolvedName }
    check("ollama pull") { _ = try JSONBody.decode(OllamaPullRequest.self, from: body).resolvedName }
    return 0
}

/// Runs one decoder: it either returns or throws an `APIError` with a 4xx status and a message.
private func check(_ name: String, _ body: () throws -> Void) {
    do {
        try body()
        if verbose { print("\(name): accepted") }
    } catch let error as APIError {
        if verbose { print("\(name): \(error.status.code) \(error.param ?? "-"): \(error.message)") }
        guard (400..<500).contains(error.status.code), !error.message.isEmpty else {
            fatalError("\(name): an APIError that is not a client error: \(error.status.code) '\(error.message)'")
        }
    } catch {
        fatalError("\(name): threw something other than APIError: \(error)")
    }
}

/// What the engine may rely on once a request passed the checks.
private func expectSane(_ request: GenerationRequest, _ name: String) {
    let sampling = request.sampling
    let sane =
        (request.maxTokens ?? 0) >= 0 && (0...2).contains(sampling.temperature) && sampling.topP > 0
        && sampling.topP <= 1 && sampling.topK >= 0 && (0...1).contains(sampling.minP) && sampling.repeatPenalty > 0
        && (request.topLogprobs ?? 0) >= 0 && (request.topLogprobs ?? 0) <= 20
        && sampling.logitBias.values.allSatisfy { $0.isFinite || $0 == -.infinity }
        && sampling.penaltyWindow >= -1 && sampling.dryWindow >= -1 && (0...2).contains(sampling.mirostat)
        && (0...1).contains(sampling.xtcProbability) && (0...1).contains(sampling.xtcThreshold)
        && sampling.dryMultiplier >= 0 && sampling.dryBase >= 1 && sampling.dryAllowedLength >= 0
        && !sampling.drySequenceBreakers.isEmpty && Float(sampling.typicalP).isFinite
        && Float(sampling.mirostatTau).isFinite && Float(sampling.mirostatEta).isFinite
    if !sane { fatalError("\(name): a request passed the checks with values out of range: \(request)") }
    if case .jsonSchema(let text) = request.constraint, text.isEmpty {
        fatalError("\(name): an empty JSON schema passed the checks")
    }
}

/// The model manager turns a keep-alive into milliseconds (`Int64`); the value it keeps must allow that.
private func expectForeverOrFinite(_ keepAlive: KeepAlive?) {
    guard let keepAlive else { return }
    let seconds = KeepAlive.effectiveSeconds(keepAlive.seconds)
    guard seconds < 0 || Int64(exactly: (seconds * 1000).rounded()) != nil else {
        fatalError("keep_alive \(keepAlive.seconds) s would overflow the model manager's milliseconds")
    }
}
