import CSQLite
import EmbeddedData
import Glibc

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// A `state.sqlite` with every migration applied and nothing else, compiled
/// into the binary: a fresh data directory starts as a copy of it.
///
/// Running the migrations on a fresh file was ~15 ms of a ~35 ms cold start:
/// SQLite writes ~150 pages through the WAL, one migration at a time (SQL
/// parsing is ~2 ms of it). One write of the finished file takes ~0.5 ms.
/// The migrator still runs on the copy, so a template older than the schema
/// costs only the migrations it lacks, never correctness.
/// `StateTemplateTests` fails when it is not current, and records it anew
/// with `GATEHOUSE_RECORD_STATE_TEMPLATE=1`.
///
/// Stored compacted (a fresh database's pages are mostly zeros: 600 KB hold
/// ~40 KB): a little-endian UInt32 page size, then for each page a UInt16
/// length and the page's bytes up to its last non-zero one.
struct StateTemplate {
    let pageSize: Int
    /// Where each page's stored bytes are in `compact`.
    let pages: [Range<Int>]
    let compact: UnsafeBufferPointer<UInt8>

    /// The template compiled into the binary, nil if it does not decode.
    static var embedded: StateTemplate? {
        let file = gatehouse_embedded_state_template()
        guard let bytes = file.bytes else { return nil }
        return StateTemplate(compact: UnsafeBufferPointer(start: bytes, count: file.count))
    }

    /// Reads a compacted template (which must outlive it); nil if damaged.
    init?(compact: UnsafeBufferPointer<UInt8>) {
        var offset = 0
        func integer(_ width: Int) -> Int? {
            guard compact.count - offset >= width else { return nil }
            defer { offset += width }
            return (0..<width).reversed().reduce(0) { $0 << 8 | Int(compact[offset + $1]) }
        }
        guard let pageSize = integer(4), pageSize >= 512, pageSize <= Int(UInt16.max) else { return nil }
        var pages: [Range<Int>] = []
        while offset < compact.count {
            guard let kept = integer(2), kept <= pageSize, compact.count - offset >= kept else { return nil }
            pages.append(offset..<offset + kept)
            offset += kept
        }
        guard !pages.isEmpty else { return nil }
        (self.pageSize, self.pages, self.compact) = (pageSize, pages, compact)
    }

    /// The database file, expanded in memory (tests; starts write it with `write(to:)`).
    var image: [UInt8] {
        pages.flatMap { Array(compact[$0]) + repeatElement(0, count: pageSize - $0.count) }
    }

    /// Writes the database file to `path`, atomically (a temporary file,
    /// synced, then renamed), so a start killed mid-write leaves no half a
    /// database. One writev from the compacted bytes and a page of zeros:
    /// expanding 600 KB in memory first cost ~450 page faults, ~5 ms of a start.
    func write(to path: String) throws {
        let temporary = path + ".template"
        let fd = open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw Self.failure("cannot create \(temporary)") }
        defer { close(fd) }
        let zeros = UnsafeMutableRawPointer.allocate(byteCount: pageSize, alignment: 16)
        defer { zeros.deallocate() }
        zeros.initializeMemory(as: UInt8.self, repeating: 0, count: pageSize)
        var vectors: [iovec] = []
        vectors.reserveCapacity(pages.count * 2)
        for page in pages {
            if !page.isEmpty {
                vectors.append(iovec(iov_base: UnsafeMutableRawPointer(mutating: compact.baseAddress! + page.lowerBound), iov_len: page.count))
            }
            if page.count < pageSize { vectors.append(iovec(iov_base: zeros, iov_len: pageSize - page.count)) }
        }
        var next = 0
        while next < vectors.count {
            let written = vectors[next...].withUnsafeBufferPointer { batch in
                // 1024: Linux's IOV_MAX (UIO_MAXIOV), which Glibc's module does not export.
                writev(fd, batch.baseAddress, Int32(min(batch.count, 1024)))
            }
            guard written >= 0 else {
                if errno == EINTR { continue }
                throw Self.failure("cannot write \(temporary)")
            }
            // Skip what was written; a vector written in part continues where it stopped.
            var remaining = written
            while remaining > 0, remaining >= vectors[next].iov_len {
                remaining -= vectors[next].iov_len
                next += 1
            }
            if remaining > 0 {
                vectors[next].iov_base += remaining
                vectors[next].iov_len -= remaining
            }
        }
        guard fsync(fd) == 0, rename(temporary, path) == 0 else { throw Self.failure("cannot write \(path)") }
    }

    private static func failure(_ message: String) -> DatabaseError {
        DatabaseError(resultCode: SQLITE_CANTOPEN, message: "\(message): \(String(cString: strerror(errno)))")
    }

    static func compacted(_ image: [UInt8], pageSize: Int) -> [UInt8] {
        precondition(image.count % pageSize == 0 && pageSize <= Int(UInt16.max))
        var out: [UInt8] = []
        out.reserveCapacity(image.count / 8)
        out += withUnsafeBytes(of: UInt32(pageSize).littleEndian, Array.init)
        for start in stride(from: 0, to: image.count, by: pageSize) {
            let page = image[start..<start + pageSize]
            let kept = (page.lastIndex { $0 != 0 }.map { $0 + 1 } ?? start) - start
            out += withUnsafeBytes(of: UInt16(kept).littleEndian, Array.init)
            out += page.prefix(kept)
        }
        return out
    }

    /// A fresh database file migrated to the current schema (what the
    /// template should hold), and its page size.
    static func migratedImage() throws -> (image: [UInt8], pageSize: Int) {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("gatehouse-template-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("state.sqlite").path
        var pageSize = 0
        do {
            let store = try Store(directory: directory, template: nil)
            pageSize = try store.read { db in try Int.fetchOne(db, sql: "PRAGMA page_size") ?? 0 }
            // Everything into the file: a copy of it alone is then the whole database.
            try store.checkpoint()
        }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw DatabaseError(resultCode: 14, message: "cannot read the migrated database \(path)")
        }
        return ([UInt8](data), pageSize)
    }
}
