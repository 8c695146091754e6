import BotticelliLlama
import BotticelliTestSupport
import Foundation

/// The fixture model, loaded once for all tests in this process.
enum SharedModel {
    private static let loaded: Result<LlamaModel, any Error> = Result {
        try LlamaModel(path: try Fixtures.smolLM2())
    }

    static func smolLM2() throws -> LlamaModel {
        try loaded.get()
    }
}
