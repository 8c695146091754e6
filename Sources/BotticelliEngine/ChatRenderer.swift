import BotticelliCore
import BotticelliJinja
import BotticelliLlama
import Foundation

/// Turns a chat into the prompt text the model expects, by running the Jinja chat template stored in the model, as
/// llama-server does. A model without a template, or whose template does not parse, falls back to llama.cpp's
/// built-in template heuristics.
struct ChatRenderer: Sendable {
    let model: LlamaModel
    private let template: Result<ChatTemplate, any Error>?
    private let beginningOfSequence: String
    private let endOfSequence: String

    init(model: LlamaModel) {
        self.model = model
        template = model.chatTemplate.map { source in Result { try ChatTemplate(source: source) } }
        beginningOfSequence = model.beginningOfSequenceToken.map { model.vocabularyText(of: $0) } ?? ""
        endOfSequence = model.endOfSequenceToken.map { model.vocabularyText(of: $0) } ?? ""
    }

    func render(_ messages: [BotticelliCore.ChatMessage], addGenerationPrompt: Bool) throws -> String {
        guard !messages.isEmpty else {
            throw InferenceError(.invalidRequest, "a chat needs at least one message")
        }
        switch template {
        case .success(let template):
            do {
                return try template.render(
                    messages: messages.map { BotticelliJinja.ChatMessage(role: $0.role, content: .string($0.content)) },
                    addGenerationPrompt: addGenerationPrompt, bosToken: beginningOfSequence,
                    eosToken: endOfSequence, addsBOSToken: model.addsBeginningOfSequence,
                    addsEOSToken: model.addsEndOfSequence)
            } catch {
                throw InferenceError(.invalidRequest, "the model's chat template failed on this chat: \(error)")
            }
        case .failure, nil:
            do {
                return try model.renderChatWithBuiltInTemplate(
                    messages.map { ($0.role, $0.content) }, addAssistantPrompt: addGenerationPrompt)
            } catch {
                throw InferenceError(.engineFailure, "cannot render the chat: \(error.message)")
            }
        }
    }
}
