import BotticelliCore
import BotticelliLlama
import Foundation

extension BatchScheduler {
    /// The log-softmax of the raw logits at `outputIndex`: the `count` most likely tokens, plus a lookup for any
    /// token (the sampled one may be outside the top `count`).
    struct LogprobTable {
        var top: [TokenLogprob.Alternative]
        var logSumExp: Float
        var logits: [Float]
    }

    func topLogprobs(outputIndex: Int32, count: Int) -> LogprobTable? {
        guard let logits = contextLogits(outputIndex) else { return nil }
        let maximum = logits.max() ?? 0
        var sum: Float = 0
        for value in logits { sum += expf(value - maximum) }
        let logSumExp = maximum + logf(sum)
        var best: [(Int32, Float)] = []
        let wanted = max(0, min(count, 20))
        if wanted > 0 {
            for (index, value) in logits.enumerated()
            where best.count < wanted || value > best[best.count - 1].1 {
                best.append((Int32(index), value))
                best.sort { $0.1 > $1.1 }
                if best.count > wanted { best.removeLast() }
            }
        }
        let top = best.map { token, value in
            TokenLogprob.Alternative(
                token: token, text: tokenText(token), logprob: Double(value - logSumExp))
        }
        return LogprobTable(top: top, logSumExp: logSumExp, logits: Array(logits))
    }

    func logprob(of token: LlamaToken, in table: LogprobTable) -> TokenLogprob {
        let value = Int(token) < table.logits.count ? table.logits[Int(token)] - table.logSumExp : -.infinity
        return TokenLogprob(token: token, text: tokenText(token), logprob: Double(value), alternatives: table.top)
    }
}
