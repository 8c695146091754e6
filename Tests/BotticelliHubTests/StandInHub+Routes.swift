import Foundation
import HTTPTypes
import Hummingbird

extension StandInHub {
    static func addHubRoutes(to router: Router<BasicRequestContext>, state: StandInHubState, server: String) {
        for method in [HTTPRequest.Method.head, .get] {
            router.on("{org}/{name}/resolve/{revision}/**", method: method) { request, context in
                let org = context.parameters.get("org") ?? ""
                let name = context.parameters.get("name") ?? ""
                let revision = context.parameters.get("revision") ?? ""
                let path = context.parameters.getCatchAll().joined(separator: "/").removingPercentEncoding ?? ""
                await state.record(seen(request, server: server))
                return try await resolve(
                    request: request, repo: "\(org)/\(name)", revision: revision, path: path, state: state)
            }
        }
        router.get("api/models/{org}/{name}/tree/{revision}") { request, context in
            await state.record(seen(request, server: server))
            let repo = "\(context.parameters.get("org") ?? "")/\(context.parameters.get("name") ?? "")"
            let cursor = request.uri.queryParameters.get("cursor").flatMap(Int.init) ?? 0
            let files = await state.files.values.filter { $0.repo == repo }.sorted { $0.path < $1.path }
            let pageSize = await state.treePageSize
            let page = files.dropFirst(cursor).prefix(pageSize)
            let entries: [[String: Any]] = page.map { file in
                var entry: [String: Any] = [
                    "type": "file", "path": file.path, "size": file.content.count, "oid": file.commit,
                ]
                if file.lfs { entry["lfs"] = ["oid": file.etag, "size": file.content.count, "pointerSize": 134] }
                return entry
            }
            var headers = HTTPFields()
            headers[.contentType] = "application/json"
            if cursor + pageSize < files.count {
                let base = await state.hubBase
                headers[HTTPField.Name("Link")!] =
                    "<\(base)/api/models/\(repo)/tree/main?recursive=true&cursor=\(cursor + pageSize)>; rel=\"next\""
            }
            let body = try JSONSerialization.data(withJSONObject: entries)
            return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: body)))
        }
    }

    static func addCDNRoutes(to router: Router<BasicRequestContext>, state: StandInHubState) {
        router.get("blobs/{etag}") { request, context in
            await state.record(seen(request, server: "cdn"))
            let etag = context.parameters.get("etag") ?? ""
            guard let key = await state.etags[etag], let file = await state.files[key] else {
                return Response(status: .notFound)
            }
            return await serve(file, request: request, key: key, state: state)
        }
    }

    static func seen(_ request: Request, server: String) -> SeenRequest {
        SeenRequest(
            server: server, method: request.method.rawValue, path: request.uri.path,
            authorization: request.headers[.authorization], range: request.headers[.range])
    }

    private static func error(_ status: HTTPResponse.Status, _ code: String?, commit: String? = nil) -> Response {
        var headers = HTTPFields()
        if let code { headers[HTTPField.Name("X-Error-Code")!] = code }
        headers[HTTPField.Name("X-Error-Message")!] = "stand-in hub: \(code ?? "error")"
        if let commit { headers[HTTPField.Name("X-Repo-Commit")!] = commit }
        return Response(status: status, headers: headers)
    }

    private static func resolve(
        request: Request, repo: String, revision: String, path: String, state: StandInHubState
    ) async throws -> Response {
        if let newName = await state.renamed[repo] {
            var headers = HTTPFields()
            headers[.location] = "/\(newName)/resolve/\(revision)/\(path)"
            return Response(status: .temporaryRedirect, headers: headers)
        }
        if await state.gated.contains(repo) { return error(.forbidden, "GatedRepo") }
        if let token = await state.needsToken[repo], request.headers[.authorization] != "Bearer \(token)" {
            return error(.unauthorized, "RepoNotFound")
        }
        let known = await state.files.values.contains { $0.repo == repo }
        guard known else { return error(.notFound, "RepoNotFound") }
        let knownCommit = await state.files.values.contains { $0.repo == repo && $0.commit == revision }
        guard revision == "main" || revision == commit || knownCommit else {
            return error(.notFound, "RevisionNotFound")
        }
        let key = "\(repo)/\(path)"
        guard let file = await state.files[key] else { return error(.notFound, "EntryNotFound", commit: commit) }
        if request.method == .head, case .status(let code, _) = await state.nextFault(key: "HEAD " + key) {
            return Response(status: .init(code: code))
        }

        var headers = HTTPFields()
        headers[HTTPField.Name("X-Repo-Commit")!] = file.commit
        if file.lfs {
            headers[HTTPField.Name("X-Linked-Etag")!] = "\"\(file.etag)\""
            headers[HTTPField.Name("X-Linked-Size")!] = "\(file.content.count)"
            headers[.eTag] = "\"not-the-content-etag\""
        } else {
            headers[.eTag] = "W/\"\(file.etag)\""
        }
        if await state.useCDN {
            headers[.location] = "\(await state.cdnBase)/blobs/\(file.etag)"
            return Response(status: .found, headers: headers)
        }
        if request.method == .head {
            let size = file.content.count
            return Response(
                status: .ok, headers: headers,
                body: ResponseBody(contentLength: size) { writer in
                    try await writer.finish(nil)
                })
        }
        return await serve(file, request: request, key: key, state: state)
    }

    /// Serves a file's bytes, honouring Range and injecting the next fault.
    static func serve(_ file: StoredFile, request: Request, key: String, state: StandInHubState) async -> Response {
        let fault = await state.nextFault(key: key)
        let size = file.content.count
        var start = 0
        var end = size
        var status = HTTPResponse.Status.ok
        var headers = HTTPFields()
        headers[HTTPField.Name("X-Repo-Commit")!] = file.commit
        switch fault {
        case .status(let code, let retryAfter):
            if let retryAfter { headers[.retryAfter] = "\(retryAfter)" }
            return Response(status: .init(code: code), headers: headers)
        case .rangeNotSatisfiable:
            headers[.contentRange] = "bytes */\(size)"
            return Response(status: .rangeNotSatisfiable, headers: headers)
        default:
            break
        }
        if fault != .ignoreRange, let range = request.headers[.range], let parsed = parseRange(range, size: size) {
            guard parsed.lowerBound < size else {
                headers[.contentRange] = "bytes */\(size)"
                return Response(status: .rangeNotSatisfiable, headers: headers)
            }
            (start, end) = (parsed.lowerBound, min(parsed.upperBound, size))
            status = .partialContent
            headers[.contentRange] = "bytes \(start)-\(end - 1)/\(size)"
        }
        let ranged = request.headers[.range] != nil
        var bytes = file.content.subdata(in: start..<end)
        if fault == .wrongBytes, !bytes.isEmpty { bytes[bytes.count / 2] ^= 0xFF }
        let body = bytes
        return Response(
            status: status, headers: headers,
            body: ResponseBody(contentLength: body.count) { writer in
                var sent = 0
                var stalled = false
                let slice = 64 << 10
                while sent < body.count {
                    var count = min(slice, body.count - sent)
                    switch fault {
                    case .dropAfter(let limit):
                        // Throwing mid-body makes the server close the connection.
                        if sent >= limit { throw CancellationError() }
                        count = min(count, limit - sent)
                    case .stall(let afterBytes, let seconds):
                        if !stalled, sent >= afterBytes {
                            stalled = true
                            let until = ContinuousClock.now + .seconds(seconds)
                            while ContinuousClock.now < until, await !state.stallsReleased {
                                try await Task.sleep(for: .milliseconds(50))
                            }
                        }
                        if sent < afterBytes { count = min(count, afterBytes - sent) }
                    case .throttle(let rate):
                        count = min(count, max(1, rate / 10))
                        try await Task.sleep(for: .milliseconds(100))
                    default:
                        break
                    }
                    try await writer.write(ByteBuffer(bytes: body[sent..<sent + count]))
                    sent += count
                    await state.served(count, ranged: ranged)
                }
                try await writer.finish(nil)
            })
    }

    /// `bytes=A-B` or `bytes=A-` as a half-open range.
    static func parseRange(_ header: String, size: Int) -> Range<Int>? {
        guard header.hasPrefix("bytes=") else { return nil }
        let spec = header.dropFirst("bytes=".count).split(separator: "-", omittingEmptySubsequences: false)
        guard spec.count == 2, let start = Int(spec[0]) else { return nil }
        let end = spec[1].isEmpty ? size : (Int(spec[1]).map { $0 + 1 } ?? size)
        return start..<max(start, end)
    }
}
