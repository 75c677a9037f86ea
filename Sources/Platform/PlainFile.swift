#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A file descriptor for the plain reads and writes Gatehouse does (standard
/// streams, an append-only log, a file sent in chunks): FoundationEssentials
/// has no `FileHandle`. Not thread-safe; owners that share one serialize.
public final class PlainFile: @unchecked Sendable {
    public struct Failure: Error, CustomStringConvertible {
        public let description: String
    }

    public let descriptor: Int32
    private let owned: Bool

    public static let standardInput = PlainFile(descriptor: 0, owned: false)
    public static let standardOutput = PlainFile(descriptor: 1, owned: false)
    public static let standardError = PlainFile(descriptor: 2, owned: false)

    private init(descriptor: Int32, owned: Bool) {
        self.descriptor = descriptor
        self.owned = owned
    }

    /// Opens `path` for reading.
    public static func reading(_ path: String) throws -> PlainFile {
        try opening(path, O_RDONLY)
    }

    /// Opens `path` for writing at its end, creating it (0644) when missing.
    public static func appending(_ path: String) throws -> PlainFile {
        try opening(path, O_WRONLY | O_CREAT | O_APPEND)
    }

    /// Creates `path` (or empties it) for writing.
    public static func creating(_ path: String) throws -> PlainFile {
        try opening(path, O_WRONLY | O_CREAT | O_TRUNC)
    }

    private static func opening(_ path: String, _ flags: Int32) throws -> PlainFile {
        let fd = path.withCString { open($0, flags | O_CLOEXEC, 0o644) }
        guard fd >= 0 else { throw Failure(description: "cannot open \(path): \(String(cString: strerror(errno)))") }
        return PlainFile(descriptor: fd, owned: true)
    }

    deinit {
        if owned { close(descriptor) }
    }

    /// Writes every byte (retrying short writes and interruptions).
    public func write(_ bytes: some Sequence<UInt8>) throws {
        let buffer = Array(bytes)
        try buffer.withUnsafeBytes { raw in
            var written = 0
            while written < raw.count {
                let n = systemWrite(descriptor, raw.baseAddress! + written, raw.count - written)
                if n < 0 {
                    if errno == EINTR { continue }
                    throw Failure(description: "write failed: \(String(cString: strerror(errno)))")
                }
                written += n
            }
        }
    }

    /// Writes the text's UTF-8 bytes.
    public func write(_ text: String) throws {
        try write(text.utf8)
    }

    /// The file's size in bytes (fstat), as it is now.
    public func size() throws -> Int64 {
        var status = stat()
        guard fstat(descriptor, &status) == 0 else { throw Failure(description: "stat failed: \(String(cString: strerror(errno)))") }
        return Int64(status.st_size)
    }

    /// Up to `count` bytes; empty at the end of the file.
    public func read(upTo count: Int) throws -> [UInt8] {
        var buffer = [UInt8](repeating: 0, count: count)
        while true {
            let n = buffer.withUnsafeMutableBytes { systemRead(descriptor, $0.baseAddress!, count) }
            if n < 0 {
                if errno == EINTR { continue }
                throw Failure(description: "read failed: \(String(cString: strerror(errno)))")
            }
            buffer.removeSubrange(n...)
            return buffer
        }
    }

    /// Everything left to read.
    public func readToEnd() throws -> [UInt8] {
        var all: [UInt8] = []
        while case let chunk = try read(upTo: 1 << 16), !chunk.isEmpty { all += chunk }
        return all
    }
}

// The C library's read and write, named apart from PlainFile's own methods.
private func systemWrite(_ fd: Int32, _ bytes: UnsafeRawPointer?, _ count: Int) -> Int { write(fd, bytes, count) }
private func systemRead(_ fd: Int32, _ bytes: UnsafeMutableRawPointer?, _ count: Int) -> Int { read(fd, bytes, count) }
