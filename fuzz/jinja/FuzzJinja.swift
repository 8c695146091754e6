// libFuzzer entry point for the chat-template interpreter. scripts/fuzz builds it together with
// Sources/BotticelliJinja/*.swift into one module. Each input is a template source, as a model file would carry it.
import Foundation

/// A conversation that reaches every role and the fields templates read: a system prompt, a tool call with its
/// result, reasoning, typed content parts and a final user turn.
private let conversation: [ChatMessage] = [
    .system("You are terse."),
    .user("What is the weather in Paris?"),
    ChatMessage(
        role: "assistant", content: "", reasoningContent: "The user wants the weather.",
        additionalFields: JinjaObject([
            (
                "tool_calls",
                [
                    [
                        "id": "call00001", "type": "function",
                        "function": ["name": "weather", "arguments": "{\"city\": \"Paris\"}"],
                    ]
                ]
            )
        ])),
    ChatMessage(role: "tool", content: "18 C", additionalFields: JinjaObject([("tool_call_id", "call00001")])),
    .assistant("It is 18 C."),
    ChatMessage(role: "user", content: [["type": "text", "text": "And tomorrow?"]]),
]

private let tools: JinjaValue = [
    [
        "type": "function",
        "function": [
            "name": "weather", "description": "Current weather",
            "parameters": ["type": "object", "properties": ["city": ["type": "string"]], "required": ["city"]],
        ],
    ]
]

/// Smaller budgets than production's, so that a template that loops until stopped costs milliseconds rather than
/// a second of the fuzzer's time; the same checks run, only sooner. Capability detection renders up to five
/// probes, each allowed the whole duration, so even a template that used every millisecond finishes well inside
/// libFuzzer's -timeout: a run that hits the timeout is a path where the limits do not hold.
private let limits = JinjaLimits(loopIterations: 20_000, outputLength: 1 << 20, duration: .milliseconds(250))

/// `BOTTICELLI_FUZZ_VERBOSE=1` prints what became of each input, for looking at a reproducer.
private let verbose = ProcessInfo.processInfo.environment["BOTTICELLI_FUZZ_VERBOSE"] == "1"

/// A fixed date keeps `strftime_now` deterministic.
private let now = Date(timeIntervalSince1970: 1_750_000_000)

/// Renders run on a thread with a small stack, as on macOS, where threads other than the main one get 512 KB.
/// AddressSanitizer's frames are about four times larger than a release build's, so 2 MB here stands for
/// about that, and recursion that grows with the input overflows at a depth a render reaches within its time.
private let stackSize = 2 << 20

/// The one thread that renders every input. A thread per input would leave its allocations behind until it
/// exits, which libFuzzer takes for a possible leak and checks, at great cost, after every input.
private final class RenderThread: @unchecked Sendable {
    // Safe without a lock: `source` is written before `request` is signalled and read only after the wait.
    private var source = ""
    private let request = DispatchSemaphore(value: 0)
    private let finished = DispatchSemaphore(value: 0)

    init() {
        let thread = Thread { [self] in
            while true {
                request.wait()
                renderChatTemplate(source)
                source = ""
                finished.signal()
            }
        }
        thread.stackSize = stackSize
        thread.start()
    }

    func run(_ input: String) {
        source = input
        request.signal()
        finished.wait()
    }
}

private let renderThread = RenderThread()

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzJinja(_ bytes: UnsafePointer<UInt8>?, _ count: Int) -> CInt {
    guard let bytes else { return 0 }
    renderThread.run(String(decoding: UnsafeBufferPointer(start: bytes, count: count), as: UTF8.self))
    return 0
}

private func renderChatTemplate(_ source: String) {
    do {
        let template = try ChatTemplate(source: source, limits: limits)
        let prompt = try template.render(
            messages: conversation, addGenerationPrompt: true, bosToken: "<s>", eosToken: "</s>", addsBOSToken: true,
            tools: tools, extraContext: ["reasoning_effort": "low"], now: now)
        if verbose { print("rendered \(prompt.utf8.count) bytes, \(template.capabilities):\n\(prompt.prefix(2000))") }
    } catch let error as JinjaError {
        // A syntax error, a runtime error or a limit: the expected outcome for almost every mutation.
        if verbose { print("JinjaError: \(error)") }
    } catch {
        fatalError("the Jinja interpreter threw something other than JinjaError: \(error)")
    }
}
