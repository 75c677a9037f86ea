#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import HTTPTypes
import Hummingbird
import JSON
import NIOCore
import StateSnapshot
import Storage

/// State snapshots of a running server, for `gatehouse state --endpoint`:
/// a running server's caches are only invalidated by its own writes, so an
/// import must go through it rather than into its data directory.
///
/// - `GET /_gatehouse/state[?account=ID]`: the snapshot (gatehouse-state/1).
/// - `POST /_gatehouse/state`: import one; its blobs must already be here.
/// - `GET|PUT /_gatehouse/state/blobs/DIGEST`: a blob's bytes; a PUT is
///   verified against its digest before it is kept, and collected like any
///   unreferenced blob if no import claims it within the grace period.
extension AdminEndpoints {
    /// Snapshots hold metadata and manifests only; layers travel as blobs.
    static let snapshotLimit = 512 * 1024 * 1024

    @Sendable func exportState(_ request: Request, context: GatehouseRequestContext) throws -> Response {
        let accounts = request.uri.queryParameters.getAll("account").map { String($0) }
        do {
            let snapshot = try Snapshot.export(from: environment.store, accounts: accounts.isEmpty ? nil : accounts)
            return Response(
                status: .ok, headers: [.contentType: "application/json"],
                body: ResponseBody(byteBuffer: ByteBuffer(bytes: snapshot.serialized())))
        } catch let error as SnapshotError {
            throw AdminFailure(.notFound, error.description)
        }
    }

    @Sendable func importState(_ request: Request, context: GatehouseRequestContext) async throws -> Response {
        let body = try await request.body.collect(upTo: Self.snapshotLimit)
        do {
            let snapshot = try Snapshot(bytes: Array(buffer: body), source: "the snapshot")
            try snapshot.apply(to: environment.store, at: environment.clock.now().secondsSince1970)
            return Self.json(.ok) { w in
                w.key("status"); w.value("imported")
                w.key("accounts")
                w.arrayStart()
                for account in snapshot.accounts { w.value(account) }
                w.arrayEnd()
                w.key("rows"); w.value(snapshot.rowCount)
            }
        } catch let error as SnapshotError {
            throw AdminFailure(.badRequest, error.description)
        }
    }

    @Sendable func stateMethodNotAllowed(_ request: Request, context: GatehouseRequestContext) throws -> Response {
        throw AdminFailure(.methodNotAllowed, "\(request.method.rawValue) /_gatehouse/state: use GET or POST")
    }

    /// `/_gatehouse/state/blobs/DIGEST`: the digest is checked before the method.
    @Sendable func stateBlob(_ request: Request, context: GatehouseRequestContext) async throws -> Response {
        let store = environment.store
        let digest = context.parameters.getCatchAll().joined(separator: "/")
        guard BlobStore.isValidDigest(digest) else { throw AdminFailure(.badRequest, "\(digest) is not a sha256 digest") }
        switch request.method {
        case .head:
            guard let size = store.blobs.size(of: digest) else { throw AdminFailure(.notFound, "no blob \(digest)") }
            return Response(status: .ok, headers: [.contentLength: String(size)])
        case .get:
            // Only bytes that hash to the digest leave the server.
            guard let file = await store.blobs.verifiedFile(digest) else { throw AdminFailure(.notFound, "no blob \(digest)") }
            return Response(
                status: .ok, headers: [.contentType: "application/octet-stream"],
                body: FileBody.stream(path: file.path.path, offset: 0, length: file.size))
        case .put:
            return try await receiveBlob(digest, request.body)
        default:
            throw AdminFailure(.methodNotAllowed, "\(request.method.rawValue) \(request.uri.path): use GET, HEAD or PUT")
        }
    }

    /// Streams the body into a whole-blob upload (hashed as it arrives) and
    /// keeps it only if its digest checks out; the blob's row lets
    /// housekeeping collect it if no import claims it.
    private func receiveBlob(_ digest: String, _ body: RequestBody) async throws -> Response {
        let store = environment.store
        if store.blobs.exists(digest) { return Self.json(.ok) { w in w.key("digest"); w.value(digest) } }
        let upload = try store.uploads.whole("state-" + environment.ids.uuid())
        for try await buffer in body {
            try upload.write(buffer.readableBytesView)
        }
        do {
            try store.uploads.keep(upload, as: digest, at: environment.clock.now().secondsSince1970)
        } catch let mismatch as BlobUploads.DigestMismatch {
            throw AdminFailure(.badRequest, "\(mismatch)")
        }
        return Self.json(.created) { w in w.key("digest"); w.value(digest) }
    }
}
