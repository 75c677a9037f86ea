import AWSShapes

/// The AWS protocols Gatehouse speaks, with what differs between them:
/// how errors are written and which codes and statuses the front door uses.
public enum WireProtocol: Sendable, Equatable {
    /// Form-encoded requests, XML responses (IAM, STS).
    case query(namespace: String)
    /// JSON 1.1 with `X-Amz-Target` (ECR).
    case json
    /// REST-JSON: the operation is the method and path, members bound to the
    /// path, query string or JSON body; the error code travels in the
    /// `x-amzn-ErrorType` header (Access Analyzer, docs/research/access-analyzer.md §1.1, §1.5).
    /// Codes are JSON 1.1's; statuses are the Access Analyzer API
    /// reference's common errors (§1.4): authentication refusals are 403.
    case restJSON
}

/// The errors AWS's front door answers before a service sees the request:
/// authentication and dispatch. Codes, statuses and texts differ per protocol.
public enum FrontDoorError {
    public static func missingAuthentication(_ p: WireProtocol) -> AWSError {
        switch p {
        case .query: AWSError(code: "MissingAuthenticationToken", message: "Request is missing Authentication Token", status: 403)
        case .json: AWSError(code: "MissingAuthenticationTokenException", message: "Missing Authentication Token", status: 400)
        case .restJSON: AWSError(code: "MissingAuthenticationTokenException", message: "Missing Authentication Token", status: 403)
        }
    }

    /// An unknown, inactive or deleted access key, or a session token that
    /// does not belong to the key.
    public static func invalidClientToken(_ p: WireProtocol) -> AWSError {
        let message = "The security token included in the request is invalid."
        switch p {
        case .query: return AWSError(code: "InvalidClientTokenId", message: message, status: 403)
        case .json: return AWSError(code: "UnrecognizedClientException", message: message, status: 400)
        case .restJSON: return AWSError(code: "UnrecognizedClientException", message: message, status: 403)
        }
    }

    public static func signatureDoesNotMatch(_ p: WireProtocol, message: String? = nil) -> AWSError {
        let text = message ?? "The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details."
        switch p {
        case .query: return AWSError(code: "SignatureDoesNotMatch", message: text, status: 403)
        case .json: return AWSError(code: "InvalidSignatureException", message: text, status: 400)
        case .restJSON: return AWSError(code: "InvalidSignatureException", message: text, status: 403)
        }
    }

    public static func incompleteSignature(_ p: WireProtocol, message: String) -> AWSError {
        switch p {
        case .query: AWSError(code: "IncompleteSignature", message: message, status: 400)
        case .json: AWSError(code: "IncompleteSignatureException", message: message, status: 400)
        case .restJSON: AWSError(code: "IncompleteSignatureException", message: message, status: 403)
        }
    }

    public static func expiredToken(_ p: WireProtocol) -> AWSError {
        let message = "The security token included in the request is expired"
        switch p {
        case .query: return AWSError(code: "ExpiredToken", message: message, status: 403)
        case .json: return AWSError(code: "ExpiredTokenException", message: message, status: 400)
        case .restJSON: return AWSError(code: "ExpiredTokenException", message: message, status: 403)
        }
    }

    public static func requestExpired(_ p: WireProtocol) -> AWSError {
        switch p {
        case .query: AWSError(code: "RequestExpired", message: "Request has expired.", status: 400)
        case .json: AWSError(code: "InvalidSignatureException", message: "Signature expired", status: 400)
        case .restJSON: AWSError(code: "InvalidSignatureException", message: "Signature expired", status: 403)
        }
    }

    public static func authentication(_ failure: SigV4.Failure, _ p: WireProtocol) -> AWSError {
        switch failure {
        case .missingAuthentication: missingAuthentication(p)
        case .incompleteSignature(let message): incompleteSignature(p, message: message)
        case .signatureExpired(let message): signatureDoesNotMatch(p, message: message)
        case .requestExpired: requestExpired(p)
        case .signatureDoesNotMatch(let message): signatureDoesNotMatch(p, message: message)
        }
    }

    /// `Could not find operation X for version Y` (query) / `UnknownOperationException` (JSON).
    public static func unknownOperation(_ p: WireProtocol, action: String, version: String?) -> AWSError {
        switch p {
        case .query:
            AWSError(code: "InvalidAction", message: "Could not find operation \(action) for version \(version ?? "NO_VERSION_SPECIFIED")", status: 400)
        case .json:
            AWSError(code: "UnknownOperationException", message: nil, status: 400)
        case .restJSON:
            // 404 (Access Analyzer's common errors, §1.4); the text is Gatehouse's, naming what was asked for.
            AWSError(code: "UnknownOperationException", message: "No operation matches \(action).", status: 404)
        }
    }

    public static func serialization(_ message: String?) -> AWSError {
        AWSError(code: "SerializationException", message: message, status: 400)
    }

    /// A model operation Gatehouse does not implement yet: an honest refusal, never a fake success.
    public static func notImplemented(_ p: WireProtocol, service: String, operation: String) -> AWSError {
        let message = "Gatehouse does not implement \(service) \(operation) yet."
        switch p {
        case .query: return AWSError(code: "NotImplemented", message: message, status: 501, senderFault: false)
        case .json, .restJSON: return AWSError(code: "NotImplementedException", message: message, status: 501, senderFault: false)
        }
    }

    /// A body larger than the service reads. Gatehouse's answer: AWS's front
    /// end refuses such a body with 413 before the service sees it, in no
    /// documented format, so it is said here in the protocol's error form.
    public static func requestTooLarge(_ p: WireProtocol, limit: Int) -> AWSError {
        let message = "Request body is larger than the \(limit) bytes this service accepts."
        switch p {
        case .query: return AWSError(code: "RequestEntityTooLarge", message: message, status: 413)
        case .json, .restJSON: return AWSError(code: "RequestEntityTooLargeException", message: message, status: 413)
        }
    }

    /// Too many unauthenticated bodies in flight at once: try again (SDKs retry a 503).
    public static func serviceUnavailable(_ p: WireProtocol) -> AWSError {
        let message = "Service is unable to handle request."
        switch p {
        case .query: return AWSError(code: "ServiceUnavailable", message: message, status: 503, senderFault: false)
        case .json, .restJSON: return AWSError(code: "ServiceUnavailableException", message: message, status: 503, senderFault: false)
        }
    }

    /// A failure inside Gatehouse itself. The client learns only that it
    /// happened (and the request id, in the envelope); what failed — SQL,
    /// file paths, Swift errors — goes to the server's log, never to a client.
    /// The text is IAM's description of ServiceFailure (IAM API reference).
    public static func internalFailure(_ p: WireProtocol) -> AWSError {
        let message = "The request processing has failed because of an unknown error, exception or failure."
        switch p {
        case .query: return AWSError(code: "ServiceFailure", message: message, status: 500, senderFault: false)
        case .json: return AWSError(code: "ServerException", message: message, status: 500, senderFault: false)
        // The model's InternalServerException (§1.4).
        case .restJSON: return AWSError(code: "InternalServerException", message: message, status: 500, senderFault: false)
        }
    }
}
