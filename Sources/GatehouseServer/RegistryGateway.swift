import AWSWire
import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import Registry

/// Adapts `/v2/…` between Hummingbird and the registry: the request body is
/// handed over as a pulled stream and file bodies are streamed back, so
/// memory stays flat whatever the blob size.
struct RegistryGateway: Sendable {
    let registry: RegistryService

    func respond(to request: Request, context: GatehouseRequestContext) async throws -> Response {
        var headers: [String: String] = [:]
        if let authority = request.head.authority { headers["host"] = authority }
        for field in request.headers { headers[field.name.canonicalName] = field.value }
        let iterator = BodyIterator(request.body.makeAsyncIterator())
        let registryRequest = RegistryRequest(
            method: request.method.rawValue, path: FormEncoding.percentDecode(request.uri.path),
            query: FormEncoding.decode(request.uri.query ?? ""), headers: headers,
            body: Registry.RequestBody { try await iterator.next() }, sourceIp: context.sourceIp)
        let answer = await registry.handle(registryRequest)
        var fields = HTTPFields()
        for (name, value) in answer.headers {
            if let field = HTTPField.Name(name) { fields.append(HTTPField(name: field, value: value)) }
        }
        let status = HTTPResponse.Status(code: answer.status)
        switch answer.body {
        case .empty:
            return Response(status: status, headers: fields)
        case .bytes(let bytes):
            return Response(status: status, headers: fields, body: ResponseBody(byteBuffer: ByteBuffer(bytes: bytes)))
        case .file(let path, let offset, let length):
            return Response(status: status, headers: fields, body: FileBody.stream(path: path, offset: offset, length: length))
        }
    }
}

/// Pulls a Hummingbird request body one buffer at a time (one task uses it).
final class BodyIterator: @unchecked Sendable {
    private var iterator: Hummingbird.RequestBody.AsyncIterator

    init(_ iterator: Hummingbird.RequestBody.AsyncIterator) {
        self.iterator = iterator
    }

    func next() async throws -> [UInt8]? {
        guard let buffer = try await iterator.next() else { return nil }
        return Array(buffer.readableBytesView)
    }
}

/// A file range as a streamed response body, read straight into buffers.
enum FileBody {
    static let chunkSize = 1 << 20

    static func stream(path: String, offset: Int64, length: Int64) -> ResponseBody {
        ResponseBody(contentLength: Int(length)) { writer in
            let fd = open(path, O_RDONLY)
            guard fd >= 0 else { throw HTTPError(.notFound) }
            defer { close(fd) }
            var position = offset
            let end = offset + length
            let allocator = ByteBufferAllocator()
            while position < end {
                let want = Int(min(Int64(chunkSize), end - position))
                var buffer = allocator.buffer(capacity: want)
                let read = buffer.writeWithUnsafeMutableBytes(minimumWritableBytes: want) { pointer in
                    max(0, pread(fd, pointer.baseAddress, want, off_t(position)))
                }
                guard read > 0 else { break }
                position += Int64(read)
                try await writer.write(buffer)
            }
            try await writer.finish(nil)
        }
    }
}
