import CLlama
import Foundation

/// A token id in the model's vocabulary.
public typealias LlamaToken = Int32

extension LlamaModel {
    /// Splits `text` into token ids.
    /// - Parameters:
    ///   - addSpecial: add the beginning-of-sequence token when the model asks for it.
    ///   - parseSpecial: read special-token text such as `<|im_start|>` as the special token, not as plain text.
    public func tokenize(_ text: String, addSpecial: Bool = true, parseSpecial: Bool = true) throws(LlamaError)
        -> [LlamaToken]
    {
        var utf8 = Array(text.utf8)
        let byteCount = Int32(clamping: utf8.count)
        var tokens = [LlamaToken](repeating: 0, count: utf8.count + 2)
        let count = try LlamaCall.sizedOutput(initialCapacity: tokens.count, what: "tokenizing \(utf8.count) bytes") {
            capacity in
            if tokens.count < Int(capacity) { tokens = [LlamaToken](repeating: 0, count: Int(capacity)) }
            return utf8.withUnsafeMutableBufferPointer { bytes in
                bytes.withMemoryRebound(to: CChar.self) { characters in
                    llama_tokenize(
                        vocabulary, characters.baseAddress, byteCount, &tokens, capacity, addSpecial, parseSpecial)
                }
            }
        }
        return Array(tokens.prefix(count))
    }

    /// The bytes of one token. A token may hold part of a UTF-8 character; join pieces with `TokenTextDecoder`.
    /// - Parameter special: render control tokens such as `<|im_end|>` as their text.
    public func piece(of token: LlamaToken, special: Bool = false) throws(LlamaError) -> [UInt8] {
        var buffer = [CChar](repeating: 0, count: 32)
        let count = try LlamaCall.sizedOutput(initialCapacity: buffer.count, what: "rendering token \(token)") {
            capacity in
            if buffer.count < Int(capacity) { buffer = [CChar](repeating: 0, count: Int(capacity)) }
            return llama_token_to_piece(vocabulary, token, &buffer, capacity, 0, special)
        }
        return buffer.prefix(count).map { UInt8(bitPattern: $0) }
    }

    /// The text of a token sequence, as llama.cpp's detokenizer renders it.
    public func detokenize(_ tokens: [LlamaToken], removeSpecial: Bool = false, renderSpecial: Bool = false)
        throws(LlamaError) -> String
    {
        var buffer = [CChar](repeating: 0, count: max(16, tokens.count * 8))
        let count = try LlamaCall.sizedOutput(
            initialCapacity: buffer.count, what: "detokenizing \(tokens.count) tokens"
        ) {
            capacity in
            if buffer.count < Int(capacity) { buffer = [CChar](repeating: 0, count: Int(capacity)) }
            return llama_detokenize(
                vocabulary, tokens, Int32(clamping: tokens.count), &buffer, capacity, removeSpecial, renderSpecial)
        }
        return String(decoding: buffer.prefix(count).map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// Whether `token` ends generation (end of sequence, end of turn, …).
    public func isEndOfGeneration(_ token: LlamaToken) -> Bool {
        llama_vocab_is_eog(vocabulary, token)
    }

    /// The beginning-of-sequence token, if the vocabulary has one.
    public var beginningOfSequenceToken: LlamaToken? {
        let token = llama_vocab_bos(vocabulary)
        return token == LLAMA_TOKEN_NULL ? nil : token
    }

    /// The end-of-sequence token, if the vocabulary has one.
    public var endOfSequenceToken: LlamaToken? {
        let token = llama_vocab_eos(vocabulary)
        return token == LLAMA_TOKEN_NULL ? nil : token
    }

    /// The text of a token as stored in the vocabulary (e.g. `<|im_end|>`).
    public func vocabularyText(of token: LlamaToken) -> String {
        guard let text = llama_vocab_get_text(vocabulary, token) else { return "" }
        return String(cString: text)
    }
}

extension LlamaModel {
    /// Renders a chat with llama.cpp's built-in template heuristics (`llama_chat_apply_template`).
    ///
    /// These recognise common template families but do not run the Jinja template itself (a default system
    /// prompt a template injects is missing, for example); the engine uses them only when the Jinja rendering fails.
    public func renderChatWithBuiltInTemplate(
        _ messages: [(role: String, content: String)], addAssistantPrompt: Bool
    ) throws(LlamaError) -> String {
        let template = llama_model_chat_template(handle, nil)
        let roles = messages.map { strdup($0.role) }
        let contents = messages.map { strdup($0.content) }
        defer {
            roles.forEach { free($0) }
            contents.forEach { free($0) }
        }
        let chat = zip(roles, contents).map { llama_chat_message(role: $0, content: $1) }
        let totalLength = messages.reduce(0) { $0 + $1.role.utf8.count + $1.content.utf8.count }
        var buffer = [CChar](repeating: 0, count: totalLength * 2 + 256)
        var written = llama_chat_apply_template(
            template, chat, chat.count, addAssistantPrompt, &buffer, Int32(clamping: buffer.count))
        if written > Int32(buffer.count) {
            buffer = [CChar](repeating: 0, count: Int(written) + 1)
            written = llama_chat_apply_template(
                template, chat, chat.count, addAssistantPrompt, &buffer, Int32(clamping: buffer.count))
        }
        guard written >= 0 else {
            throw LlamaError(.invalidArgument, "llama.cpp does not recognise this model's chat template")
        }
        return String(decoding: buffer.prefix(Int(written)).map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}

extension LlamaModel {
    /// Whether tokenization with `addSpecial` puts a beginning-of-sequence token first.
    public var addsBeginningOfSequence: Bool { llama_vocab_get_add_bos(vocabulary) }
    /// Whether tokenization with `addSpecial` puts an end-of-sequence token last.
    public var addsEndOfSequence: Bool { llama_vocab_get_add_eos(vocabulary) }
}
