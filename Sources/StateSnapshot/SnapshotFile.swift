import JSON
import Storage

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

import Platform

/// Where snapshots come from: a JSON file, an OCI layout directory holding
/// one (`gatehouse-state.json`), or standard input (`-`).
public enum SnapshotFile {
    public static func read(_ path: String) throws -> (snapshot: Snapshot, layout: OCILayout?) {
        if path == "-" {
            let bytes = try PlainFile.standardInput.readToEnd()
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
