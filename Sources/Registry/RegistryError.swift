import JSON

/// How the registry says no, in its own format: `{"errors":[{"code":"NAME_UNKNOWN","message":…}]}`
/// with the status the distribution spec gives each code — or, to a request
/// without a valid password, the Basic challenge `docker login` answers.
public struct RegistryError: Error, Sendable {
    public var code: String
    public var message: String
    public var status: Int
    /// The `WWW-Authenticate` value of a challenge; nil for the JSON errors.
    var challenge: String?

    public init(_ code: String, _ message: String, status: Int) {
        self.code = code
        self.message = message
        self.status = status
    }

    /// A missing or invalid password: 401 with the Basic challenge (a plain
    /// text body, as ECR answers), which `docker login` and skopeo answer with credentials.
    static func unauthorized(realm host: String) -> RegistryError {
        var error = RegistryError("UNAUTHORIZED", "Not Authorized", status: 401)
        error.challenge = "Basic realm=\"http://\(host)/\",service=\"ecr.amazonaws.com\""
        return error
    }
    /// A path outside the distribution API's grammar.
    static let nameInvalid = RegistryError("NAME_INVALID", "Invalid repository name or path", status: 404)
    /// A failure inside Gatehouse: the detail goes to the log, never to the client.
    static let unknown = RegistryError("UNKNOWN", "unknown error", status: 500)

    static func nameUnknown(_ name: String, _ account: String) -> RegistryError {
        RegistryError("NAME_UNKNOWN", "The repository with name '\(name)' does not exist in the registry with id '\(account)'", status: 404)
    }
    static let manifestUnknown = RegistryError("MANIFEST_UNKNOWN", "Requested image not found", status: 404)
    static func blobUnknown(_ digest: String) -> RegistryError {
        RegistryError("BLOB_UNKNOWN", "Blob \(digest) was not found in the repository", status: 404)
    }
    static func uploadUnknown(_ id: String) -> RegistryError {
        RegistryError("BLOB_UPLOAD_UNKNOWN", "Upload \(id) was not found", status: 404)
    }
    /// A second request on an upload another request is still writing or
    /// completing: refused, not queued. It cannot know where the other's bytes
    /// will end, so it is out of order — answered as distribution answers a
    /// request at a stale offset (416; registry/handlers/blobupload.go, "upload
    /// resumed at wrong offset"); the client asks GET for the offset and resumes.
    static func uploadInUse(_ id: String) -> RegistryError {
        RegistryError("BLOB_UPLOAD_INVALID", "Upload \(id) is in use by another request", status: 416)
    }
    static func denied(_ message: String) -> RegistryError { RegistryError("DENIED", message, status: 403) }
    static let expiredToken = denied("Your authorization token has expired. Reauthenticate and try again.")
    static let digestMismatch = RegistryError(
        "BLOB_UPLOAD_INVALID", "None of the provided layer digests match the calculated layer digest", status: 400)
    static func digestInvalid(_ message: String) -> RegistryError { RegistryError("DIGEST_INVALID", message, status: 400) }
    static func partOutOfOrder(expected: Int64, got: Int64) -> RegistryError {
        RegistryError("BLOB_UPLOAD_INVALID", "First byte of the layer part is \(got) instead of \(expected)", status: 416)
    }
    static func manifestInvalid(_ message: String) -> RegistryError { RegistryError("MANIFEST_INVALID", message, status: 400) }
    static func unsupported(_ message: String) -> RegistryError { RegistryError("UNSUPPORTED", message, status: 405) }

    /// The error as the client sees it (before `RegistryResponse.finished`).
    public var response: RegistryResponse {
        if let challenge {
            return RegistryResponse(
                status: status, headers: [("WWW-Authenticate", challenge), ("Content-Type", "text/plain; charset=utf-8")],
                body: .bytes(Array("\(message)\n".utf8)))
        }
        var w = JSONWriter()
        w.objectStart()
        w.key("errors")
        w.arrayStart()
        w.objectStart()
        w.key("code")
        w.value(code)
        w.key("message")
        w.value(message)
        w.objectEnd()
        w.arrayEnd()
        w.objectEnd()
        return RegistryResponse(status: status, headers: [("Content-Type", "application/json; charset=utf-8")], body: .bytes(w.bytes + [0x0A]))
    }
}
