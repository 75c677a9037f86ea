#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
#if canImport(Glibc)
import Glibc
#endif
import Hummingbird
import NIOCore

/// A file range as a streamed response body, read straight into buffers, so
/// memory stays flat whatever the blob size.
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
