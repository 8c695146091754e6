/// `POST /tokenize`, as llama-server takes it.
struct TokenizeRequest: Decodable, Sendable {
    var content: String
    var addSpecial: Bool?
    var model: String?
    enum CodingKeys: String, CodingKey {
        case content, model
        case addSpecial = "add_special"
    }
}

/// `POST /detokenize`, as llama-server takes it.
struct DetokenizeRequest: Decodable, Sendable {
    var tokens: [Int32]
    var model: String?
}
