/// A failure of the Hub client, the cache or the downloader, with a message that says what to do next.
public struct HubError: Error, Sendable, Equatable, CustomStringConvertible {
    /// What went wrong, for callers that react differently to each case.
    public enum Code: String, Sendable, Equatable {
        case invalidName
        case repoNotFound
        case revisionNotFound
        case entryNotFound
        case gatedRepo
        case unauthorized
        case forbidden
        case unexpectedStatus
        /// 408, 429 or 5xx: the Hub is busy or failing for now; worth retrying later.
        case serverBusy
        case networkFailure
        case invalidResponse
        case notCachedOffline
        case checksumMismatch
        case sizeMismatch
        case insufficientDiskSpace
        case gaveUp
        case noMatchingFile
        case fileSystem
    }

    public let code: Code
    /// A sentence for a person: what happened and what to do about it.
    public let message: String
    /// The commit the Hub named in its reply (`X-Repo-Commit`), when it named one (`EntryNotFound` does).
    public var commit: String?

    public init(_ code: Code, _ message: String, commit: String? = nil) {
        self.code = code
        self.message = message
        self.commit = commit
    }

    public var description: String { message }
}

extension HubError {
    static func network(_ host: String, _ error: any Error) -> HubError {
        HubError(
            .networkFailure,
            "could not reach \(host): \(error); check the network connection or the proxy settings "
                + "(HTTPS_PROXY, NO_PROXY), or set HF_HUB_OFFLINE=1 to use only the cache")
    }

    static func invalidName(_ kind: String, _ value: String, _ reason: String) -> HubError {
        HubError(.invalidName, "refusing \(kind) \(String(reflecting: value)): \(reason)")
    }

    /// Maps a Hub error reply to a typed error. `errorCode` is the `X-Error-Code` header.
    static func fromReply(
        status: Int, errorCode: String?, errorMessage: String?, repo: String, revision: String, filename: String?,
        commit: String? = nil
    ) -> HubError {
        let detail = errorMessage.map { " (the Hub says: \($0))" } ?? ""
        if status == 401, errorCode != "GatedRepo" {
            // The Hub answers 401 (often with RepoNotFound) for private repositories asked without a valid token.
            return HubError(
                .unauthorized,
                "the Hub refused access to \(repo) (401)\(detail): set HF_TOKEN (or run `hf auth login`) to a "
                    + "valid token of an account that can read it; otherwise check the repository name")
        }
        switch errorCode {
        case "RepoNotFound":
            return HubError(
                .repoNotFound,
                "repository \(repo) was not found on the Hub\(detail); check the name, or set HF_TOKEN if it is private"
            )
        case "RevisionNotFound":
            return HubError(
                .revisionNotFound,
                "revision \(revision) does not exist in \(repo)\(detail); check the branch, tag or commit")
        case "EntryNotFound":
            return HubError(
                .entryNotFound,
                "file \(filename ?? "?") does not exist in \(repo) at \(revision)\(detail); list the repository's files",
                commit: commit)
        case "GatedRepo":
            return HubError(
                .gatedRepo,
                "\(repo) is gated\(detail): accept its terms on https://huggingface.co/\(repo) "
                    + "and set HF_TOKEN to a token of that account")
        default:
            break
        }
        switch status {
        case 403:
            return HubError(
                .forbidden,
                "the Hub forbids access to \(repo) (403)\(detail): the token lacks permission for it; "
                    + "use a token with read access, and accept the terms on https://huggingface.co/\(repo) if asked")
        case 404:
            return HubError(
                .repoNotFound,
                "\(repo)/\(filename ?? "") at \(revision) was not found (404)\(detail); check the names")
        case 408, 429, 500...599:
            return HubError(
                .serverBusy, "the Hub answered \(status) for \(repo)\(detail); it is busy or failing, try again later")
        default:
            return HubError(.unexpectedStatus, "the Hub answered \(status) for \(repo)\(detail)")
        }
    }
}
