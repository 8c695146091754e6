import AsyncHTTPClient
import Foundation

extension HubClient {
    /// HEAD on the file's resolve URL: the commit, etag, size and download location.
    ///
    /// Redirects within the endpoint's origin are followed; a redirect elsewhere (a CDN) ends the walk and its
    /// reply's headers are read, as huggingface_hub does.
    public func fileMetadata(repo: String, filename: String, revision: String = "main") async throws(HubError)
        -> HubFileMetadata
    {
        try HubNames.validateRepo(repo)
        try HubNames.validateFilename(filename)
        try HubNames.validateRevision(revision)
        var url = resolveURL(repo: repo, revision: revision, filename: filename)
        for _ in 0..<10 {
            let response = try await send(
                method: .head, url: url, headers: [("Accept-Encoding", "identity")], timeout: .seconds(10))
            let headers = response.headers
            let status = Int(response.status.code)
            if (300..<400).contains(status), let location = headers.first(name: "Location") {
                guard let next = Self.resolve(location: location, against: url) else {
                    throw HubError(.invalidResponse, "the Hub sent an unreadable redirect: \(location)")
                }
                if isEndpointOrigin(next) {
                    url = next
                    continue
                }
                return try metadata(response, location: next, sizeFromLength: false, url: url)
            }
            guard (200..<300).contains(status) else {
                throw HubError.fromReply(
                    status: status, errorCode: headers.first(name: "X-Error-Code"),
                    errorMessage: headers.first(name: "X-Error-Message"), repo: repo, revision: revision,
                    filename: filename, commit: headers.first(name: "X-Repo-Commit"))
            }
            return try metadata(response, location: url, sizeFromLength: true, url: url)
        }
        throw HubError(.invalidResponse, "too many redirects from \(url)")
    }

    private func metadata(
        _ response: HTTPClientResponse, location: String, sizeFromLength: Bool, url: String
    ) throws(HubError) -> HubFileMetadata {
        let headers = response.headers
        guard let commit = headers.first(name: "X-Repo-Commit"), !commit.isEmpty else {
            throw HubError(
                .invalidResponse,
                "\(url) did not say which commit it serves (no X-Repo-Commit header); is HF_ENDPOINT a Hub?")
        }
        guard let rawEtag = headers.first(name: "X-Linked-Etag") ?? headers.first(name: "ETag") else {
            throw HubError(.invalidResponse, "\(url) sent no ETag, so the download could not be verified")
        }
        let sizeText =
            headers.first(name: "X-Linked-Size") ?? (sizeFromLength ? headers.first(name: "Content-Length") : nil)
        guard let sizeText, let size = Int64(sizeText), size >= 0 else {
            throw HubError(.invalidResponse, "\(url) did not say how big the file is (no X-Linked-Size)")
        }
        let etag = HubFileMetadata.normalizeEtag(rawEtag)
        guard !etag.isEmpty, !etag.contains("/"), etag != ".", etag != ".." else {
            throw HubError(.invalidResponse, "\(url) sent an unusable ETag \(String(reflecting: rawEtag))")
        }
        try HubNames.validateFilename(commit)
        return HubFileMetadata(commit: commit, etag: etag, size: size, location: location)
    }
}
