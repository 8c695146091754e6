import BotticelliCore
import BotticelliLlama
import Foundation
import Logging

/// Continuous batching over one llama.cpp context: a dedicated thread that, at each step, packs the next token of
/// every generating sequence and prompt chunks of newly admitted requests into one batch, decodes it, and samples.
///
/// The thread is the serial owner of the context, the batch and the slots (as GRDB's `SerializedDatabase` owns its
/// connection). Other threads only touch the queue of waiting requests, under `condition`.
final class BatchScheduler: @unchecked Sendable {
    // @unchecked: `context`, `batch` and `slots` are used only on the scheduler thread; `waiting`, `stopping` and
    // `busyCount` only while holding `condition`.
    let context: LlamaContext
    private let batch: LlamaBatch
    private let slots: [SequenceSlot]
    private let queueCapacity: Int
    private let logger: Logger

    private let condition = NSCondition()
    private var waiting: [PendingGeneration] = []
    private var stopping = false
    private var busyCount = 0
    private var thread: Thread?
    private let finished = DispatchSemaphore(value: 0)

    init(context: LlamaContext, parallelSequences: Int, queueCapacity: Int, logger: Logger) {
        self.context = context
        self.batch = LlamaBatch(capacity: context.batchSize)
        self.slots = (0..<parallelSequences).map { SequenceSlot(sequence: Int32($0)) }
        self.queueCapacity = queueCapacity
        self.logger = logger
    }

    /// Starts the scheduler thread. Call once.
    func start() {
        let thread = Thread { [self] in
            self.loop()
            self.finished.signal()
        }
        thread.name = "botticelli-scheduler"
        thread.stackSize = 8 << 20
        self.thread = thread
        thread.start()
    }

    /// Queues requests together (the thread admits them in one step), or none of them and throws `.busy` when the
    /// queue has no room for all.
    func submit(_ requests: [PendingGeneration]) throws(InferenceError) {
        guard !requests.isEmpty else { return }
        condition.lock()
        defer { condition.unlock() }
        guard !stopping else { throw InferenceError(.shutDown, "the engine is shutting down") }
        // A group larger than the whole queue can never be taken: retrying would not help, so it is not "busy".
        guard requests.count <= queueCapacity else {
            throw InferenceError(
                .invalidRequest,
                "\(requests.count) generations at once are more than the queue holds (\(queueCapacity)); "
                    + "send at most \(queueCapacity) at a time")
        }
        guard waiting.count + requests.count <= queueCapacity else {
            throw InferenceError(
                .busy, "all \(slots.count) sequences are busy and \(waiting.count) requests are waiting; retry shortly")
        }
        waiting.append(contentsOf: requests)
        condition.signal()
    }

    /// Wakes the thread so it notices a cancellation promptly even when idle.
    func poke() {
        condition.lock()
        condition.signal()
        condition.unlock()
    }

    /// Ends every request with an error and stops the thread.
    func shutdown() {
        condition.lock()
        stopping = true
        condition.signal()
        condition.unlock()
        if thread != nil { finished.wait() }
        thread = nil
    }

    func status() -> (busy: Int, queued: Int) {
        condition.lock()
        defer { condition.unlock() }
        return (busyCount, waiting.count)
    }

    var parallelSequences: Int { slots.count }
    var capacity: Int { queueCapacity }
    var contextSize: Int { context.contextSize }

    // MARK: - The scheduler thread

    private func loop() {
        while true {
            condition.lock()
            busyCount = slots.count { $0.isBusy }
            while waiting.isEmpty && !slots.contains(where: \.isBusy) && !stopping {
                condition.wait()
            }
            if stopping {
                let abandoned = waiting
                waiting.removeAll()
                condition.unlock()
                let error = InferenceError(.shutDown, "the engine shut down before the generation finished")
                abandoned.forEach { $0.continuation.finish(throwing: error) }
                for slot in slots where slot.isBusy {
                    slot.request?.continuation.finish(throwing: error)
                    slot.finish()
                }
                return
            }
            admitWaitingRequests()
            busyCount = slots.count { $0.isBusy }
            condition.unlock()
            step()
        }
    }

    /// Moves waiting requests into free slots, preferring the slot whose cache shares the longest prefix.
    /// Called with `condition` held.
    private func admitWaitingRequests() {
        waiting.removeAll { request in
            if request.isCancelled {
                request.continuation.finish()
                return true
            }
            return false
        }
        while !waiting.isEmpty, slots.contains(where: { !$0.isBusy }) {
            let request = waiting.removeFirst()
            let (slot, shared) = bestSlot(for: request.promptTokens)
            // At least one prompt token must be decoded to get logits for the first sample.
            let reused = min(shared, request.promptTokens.count - 1)
            if reused < slot.cachedTokens.count {
                if !context.removeTokens(sequence: slot.sequence, from: Int32(reused)) {
                    context.removeTokens(sequence: slot.sequence)
                    slot.cachedTokens.removeAll()
                }
            }
            slot.start(request, reused: min(reused, slot.cachedTokens.count))
        }
    }

    private func bestSlot(for prompt: [LlamaToken]) -> (SequenceSlot, Int) {
        var best: (slot: SequenceSlot, shared: Int)?
        for slot in slots where !slot.isBusy {
            let shared = commonPrefixLength(slot.cachedTokens, prompt)
            if best == nil || shared > best!.shared || (shared == best!.shared && slot.lastUsed < best!.slot.lastUsed) {
                best = (slot, shared)
            }
        }
        return (best!.slot, best!.shared)
    }

    private func commonPrefixLength(_ a: [LlamaToken], _ b: [LlamaToken]) -> Int {
        var count = 0
        let limit = min(a.count, b.count)
        while count < limit && a[count] == b[count] { count += 1 }
        return count
    }

    /// One decode step over every busy slot.
    private func step() {
        for slot in slots where slot.isBusy && slot.request!.isCancelled {
            finishCancelled(slot)
        }
        batch.clear()
        var planned: [(slot: SequenceSlot, promptTokens: Int, output: Int32?)] = []
        for slot in slots where slot.phase == .generating {
            let output = batch.add(
                slot.nextToken, position: Int32(slot.cachedTokens.count), sequence: slot.sequence, wantsOutput: true)
            planned.append((slot, 0, output))
        }
        for slot in slots where slot.phase == .prompt && !batch.isFull {
            let prompt = slot.request!.promptTokens
            let count = min(prompt.count - slot.promptCursor, batch.capacity - batch.count)
            var output: Int32?
            for offset in 0..<count {
                let index = slot.promptCursor + offset
                output = batch.add(
                    prompt[index], position: Int32(index), sequence: slot.sequence,
                    wantsOutput: index == prompt.count - 1)
            }
            planned.append((slot, count, output))
        }
        guard batch.count > 0 else { return }

        // A long prompt chunk takes seconds on a CPU: when every request in the batch is cancelled meanwhile (its
        // clients left), llama.cpp stops between graph nodes instead of finishing work nobody will read.
        let requests = planned.compactMap { $0.slot.request }
        context.setAbortCheck { !requests.isEmpty && requests.allSatisfy(\.isCancelled) }
        do {
            try context.decode(batch)
        } catch let error where error.kind == .contextFull {
            makeRoom()
            return
        } catch let error where error.kind == .aborted {
            // The micro-batches llama.cpp finished before it stopped are in the cache but not in `cachedTokens`:
            // they are removed, and what earlier steps decoded stays cached as after any other cancellation.
            for (slot, _, _) in planned where slot.isBusy {
                slot.request?.continuation.finish()
                if context.removeTokens(sequence: slot.sequence, from: Int32(slot.cachedTokens.count)) {
                    slot.finish()
                } else {
                    forget(slot)
                }
            }
            return
        } catch {
            logger.error("decode failed: \(error)")
            for (slot, _, _) in planned {
                slot.request?.continuation.finish(throwing: InferenceError(.engineFailure, error.message))
                forget(slot)
            }
            return
        }

        for (slot, promptTokens, output) in planned {
            if slot.phase == .generating {
                slot.cachedTokens.append(slot.nextToken)
            } else {
                let prompt = slot.request!.promptTokens
                slot.cachedTokens.append(contentsOf: prompt[slot.promptCursor..<slot.promptCursor + promptTokens])
                slot.promptCursor += promptTokens
            }
            if let output {
                if slot.phase == .prompt {
                    slot.phase = .generating
                    slot.promptFinished = .now
                }
                sampleAndEmit(slot, outputIndex: output)
            }
        }
    }

    /// Samples the next token of `slot`, streams its text, and ends the generation when a limit is reached.
    private func sampleAndEmit(_ slot: SequenceSlot, outputIndex: Int32) {
        let request = slot.request!
        let alternatives = request.topLogprobs.flatMap { topLogprobs(outputIndex: outputIndex, count: $0) }
        let token = request.sampler.sample(context, outputIndex: outputIndex)
        let model = context.model
        if model.isEndOfGeneration(token) {
            complete(slot, reason: .stop, endOfGenerationToken: token)
            return
        }
        slot.generated += 1
        slot.unsentTokens.append(token)
        if let alternatives {
            slot.unsentLogprobs.append(logprob(of: token, in: alternatives))
        }
        let piece = (try? model.piece(of: token)) ?? []
        let (text, stopped) = slot.stopFilter.append(slot.decoder.append(piece))
        // The token that completed a stop string is reported even when no text is left to show, as llama-server
        // lists it.
        if !text.isEmpty || (stopped && !slot.unsentTokens.isEmpty) { send(text, from: slot) }
        if stopped {
            complete(slot, reason: .stop, flush: false, stopString: slot.stopFilter.matched)
        } else if slot.generated >= request.maxTokens || slot.cachedTokens.count + 1 >= context.sequenceContextSize {
            complete(slot, reason: .length)
        } else {
            slot.nextToken = token
        }
    }

    private func send(_ text: String, from slot: SequenceSlot) {
        slot.request!.continuation.yield(.text(text, tokens: slot.unsentTokens, logprobs: slot.unsentLogprobs))
        slot.unsentTokens.removeAll(keepingCapacity: true)
        slot.unsentLogprobs.removeAll(keepingCapacity: true)
    }

    private func complete(
        _ slot: SequenceSlot, reason: FinishReason, flush: Bool = true, stopString: String? = nil,
        endOfGenerationToken: Int32? = nil
    ) {
        let request = slot.request!
        if flush {
            let rest = slot.stopFilter.append(slot.decoder.flush()).emit + slot.stopFilter.flush()
            if !rest.isEmpty || !slot.unsentTokens.isEmpty { send(rest, from: slot) }
        }
        let now = ContinuousClock.now
        let promptEnd = slot.promptFinished ?? now
        let summary = GenerationSummary(
            finishReason: reason,
            promptTokens: request.promptTokens.count,
            cachedPromptTokens: slot.cachedPromptTokens,
            // The end-of-generation token counts as generated, as llama-server and Ollama count it.
            completionTokens: slot.generated + (endOfGenerationToken == nil ? 0 : 1),
            promptSeconds: Self.seconds(promptEnd - slot.promptStarted),
            generationSeconds: Self.seconds(now - promptEnd), stopString: stopString,
            endOfGenerationToken: endOfGenerationToken)
        request.continuation.yield(.finished(summary))
        request.continuation.finish()
        slot.finish()
    }

    /// A generation cancelled between steps gives back its sequence at once and, as llama-server does, leaves what
    /// it decoded in the cache: a client that retries or regenerates after leaving sends the same prompt again, and
    /// only the part not cached is processed. Idle caches are the first thing `makeRoom` drops.
    private func finishCancelled(_ slot: SequenceSlot) {
        slot.request?.continuation.finish()
        slot.finish()
    }

    private func forget(_ slot: SequenceSlot) {
        context.removeTokens(sequence: slot.sequence)
        slot.cachedTokens.removeAll()
        slot.finish()
    }

    /// The unified cache is full: drop idle sequences' caches first, then end the longest generation.
    private func makeRoom() {
        let idleWithCache = slots.filter { !$0.isBusy && !$0.cachedTokens.isEmpty }
        if !idleWithCache.isEmpty {
            idleWithCache.forEach(forget)
            return
        }
        guard let longest = slots.filter(\.isBusy).max(by: { $0.cachedTokens.count < $1.cachedTokens.count }) else {
            return
        }
        logger.warning("the KV cache is full; ending the longest generation (\(longest.cachedTokens.count) tokens)")
        if longest.phase == .generating {
            complete(longest, reason: .length)
            context.removeTokens(sequence: longest.sequence)
            longest.cachedTokens.removeAll()
        } else {
            longest.request?.continuation.finish(
                throwing: InferenceError(
                    .contextExceeded,
                    "the KV cache (\(context.contextSize) tokens, shared by \(slots.count) sequences) is full; "
                        + "raise --ctx-size or lower --parallel"))
            forget(longest)
        }
    }

    func contextLogits(_ outputIndex: Int32) -> UnsafeBufferPointer<Float>? {
        context.logits(at: outputIndex)
    }

    func tokenText(_ token: LlamaToken) -> String {
        String(decoding: (try? context.model.piece(of: token)) ?? [], as: UTF8.self)
    }

    private static func seconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
    }
}
