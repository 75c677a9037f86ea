import JSON
import Storage

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Where snapshots come from: a JSON file, an OCI layout directory holding
/// one (`gatehouse-state.json`), or standard input (`-`).
public enum SnapshotFile {
    public static func read(_ path: String) throws -> (snapshot: Snapshot, layout: OCILayout?) {
        if path == "-" {
            var bytes: [UInt8] = []
            var chunk = [UInt8](repeating: 0, count: 1 << 16)
            while true {
                let count = chunk.withUnsafeMutableBytes { Glibc.read(STDIN_FILENO, $0.baseAddress, $0.count) }
                if count < 0, errno == EINTR { continue }
                guard count > 0 else { break }
                bytes += chunk[0..<count]
            }
            return (try Snapshot(bytes: bytes, source: "standard input"), nil)
        }
        let url = URL(fileURLWithPath: path)
        let layout = OCILayout.isLayout(url) ? OCILayout(root: url) : nil
        let file = layout?.snapshot ?? url
        guard let data = FileManager.default.contents(atPath: file.path) else {
            throw SnapshotError("cannot read \(file.path)")
        }
        return (try Snapshot(bytes: Array(data), source: file.path), layout)
    }
}
