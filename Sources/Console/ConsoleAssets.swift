import Hashing

/// The console's stylesheets and scripts, compiled into the binary
/// (`ConsoleAssets+Files.swift`, written by scripts/embed-console-assets).
/// Each is addressed with its content hash, so a browser may keep it for a
/// year and still never runs an old script against a new page.
public enum ConsoleAssets {
    public struct Asset: Sendable {
        public let name: String
        public let contentType: String
        public let body: [UInt8]
        /// The first 16 hex digits of the body's SHA-256.
        public let version: String
    }

    /// Every asset, by file name, made once.
    public static let all: [String: Asset] = files.reduce(into: [:]) { table, file in
        let body = Array((file.value + "\n").utf8)
        let type = file.key.hasSuffix(".css") ? "text/css; charset=utf-8" : "text/javascript; charset=utf-8"
        table[file.key] = Asset(name: file.key, contentType: type, body: body, version: String(Hex.encode(SHA256.hash(body)).prefix(16)))
    }

    /// The URL a page links: `/console/assets/NAME?v=VERSION`.
    static func path(_ name: String) -> String {
        "/console/assets/\(name)?v=\(all[name]?.version ?? "missing")"
    }
}
