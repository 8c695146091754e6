import Hummingbird

extension Request {
    /// Runs `operation` and cancels it as soon as the client closes the connection, so a generation nobody will read
    /// stops at once, whether it is waiting for a sequence, reading its prompt or generating, and whether or not
    /// its response streams (as llama-server and Ollama stop theirs). Without this, a non-streaming request would
    /// only find out when its finished response could not be written.
    ///
    /// Watching for the close reads the rest of the connection's input, so the connection cannot carry another
    /// request afterwards: responses made under this carry `Connection: close` (`closingHeaders`).
    ///
    /// Hummingbird can only watch a body that was read with `collectBody` on the route's own request (JSONBody's
    /// `decode(_:from: &request)`), which keeps the rest of the connection's input behind the collected bytes. On
    /// any other body its watcher stops the server (a body still unread is fine, but a copy already read it, or
    /// one built by hand has no connection), so such a request runs `operation` unwatched.
    func cancellingWhenClientLeaves<Value: Sendable>(_ operation: () async throws -> Value) async throws -> Value {
        guard body.isCollectedFromConnection else { return try await operation() }
        return try await body.consumeWithCancellationOnInboundClose { _ in try await operation() }
    }

    /// Headers for a response made under `cancellingWhenClientLeaves`.
    static let closingHeaders: HTTPFields = [.connection: "close"]
}

extension RequestBody {
    /// Whether the body is bytes collected from the connection that is still attached behind them. Hummingbird keeps
    /// the kind internal (`_backing`, `.byteBuffer(buffer, original)`), so it is read by reflection; anything else,
    /// should Hummingbird's layout change, counts as "no" and is left unwatched rather than risked.
    var isCollectedFromConnection: Bool {
        guard let backing = Mirror(reflecting: self).children.first(where: { $0.label == "_backing" })?.value,
            let collected = Mirror(reflecting: backing).children.first, collected.label == "byteBuffer",
            let original = Mirror(reflecting: collected.value).children.dropFirst().first?.value
        else { return false }
        let optional = Mirror(reflecting: original)
        return optional.displayStyle == .optional && optional.children.count == 1
    }
}
