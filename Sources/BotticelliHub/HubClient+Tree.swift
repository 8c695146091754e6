import AsyncHTTPClient
import Foundation

extension HubClient {
    /// Lists every file of a repository at a revision, following `Link: <…>; rel="next"` pages.
    public func listFiles(repo: String, revision: String = "main") async throws(HubError) -> [HubRepoFile] {
        try HubNames.validateRepo(repo)
        try HubNames.validateRevision(revision)
        let encodedRevision = HubNames.percentEncode(revision, keepingSlash: false)
        var next: String? = "\(environment.endpoint)/api/models/\(repo)/tree/\(encodedRevision)?recursive=true"
        var files: [HubRepoFile] = []
        var pages = 0
        while let url = next, pages < 10_000 {
            pages += 1
            let response = try await send(method: .get, url: url, timeout: .seconds(30))
            let status = Int(response.status.code)
            guard (200..<300).contains(status) else {
                throw HubError.fromReply(
                    status: status, errorCode: response.headers.first(name: "X-Error-Code"),
                    errorMessage: response.headers.first(name: "X-Error-Message"), repo: repo,
                    revision: revision, filename: nil)
            }
            let body: Data
            do {
                body = Data(try await response.body.collect(upTo: 64 << 20).readableBytesView)
            } catch {
                throw HubError.network(url, error)
            }
            let entries: [HubRepoFile]
            do {
                entries = try JSONDecoder().decode([HubRepoFile].self, from: body)
            } catch {
                throw HubError(.invalidResponse, "the file listing of \(repo) could not be read: \(error)")
            }
            for entry in entries where entry.type == "file" {
                try HubNames.validateFilename(entry.path)
                files.append(entry)
            }
            next = Self.nextPage(linkHeader: response.headers["Link"].joined(separator: ","))
                .flatMap { Self.resolve(location: $0, against: url) }
        }
        return files
    }

    /// The `rel="next"` target of a `Link` header, if any.
    static func nextPage(linkHeader: String) -> String? {
        for link in linkHeader.split(separator: ",") {
            let parts = link.split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces) }
            guard let target = parts.first, target.hasPrefix("<"), target.hasSuffix(">") else { continue }
            let isNext = parts.dropFirst().contains { parameter in
                let compact = parameter.replacingOccurrences(of: " ", with: "").lowercased()
                return compact == "rel=\"next\"" || compact == "rel=next"
            }
            if isNext { return String(target.dropFirst().dropLast()) }
        }
        return nil
    }
}
