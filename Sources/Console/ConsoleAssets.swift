import Hashing

/// The console's stylesheets and scripts (`Assets/`), compiled into the
/// binary by SwiftPM (`.embedInCode`, as `PackageResources`). Each is
/// addressed with its content hash, so a browser may keep it for a year and
/// still never runs an old script against a new page.
public enum ConsoleAssets {
    public struct Asset: Sendable {
        public let name: String
        public let contentType: String
        public let body: [UInt8]
        /// The first 16 hex digits of the body's SHA-256.
        public let version: String
    }

    /// Every asset, by file name, made once.
    public static let all: [String: Asset] = [
        ("console.css", PackageResources.console_css), ("console.js", PackageResources.console_js),
        ("policy-editor.css", PackageResources.policy_editor_css), ("policy-editor.js", PackageResources.policy_editor_js),
        ("role-wizard.css", PackageResources.role_wizard_css), ("role-wizard.js", PackageResources.role_wizard_js),
        ("ecr.css", PackageResources.ecr_css), ("ecr.js", PackageResources.ecr_js),
        ("user-pages.css", PackageResources.user_pages_css), ("user-pages.js", PackageResources.user_pages_js),
    ].reduce(into: [:]) { table, file in
        let type = file.0.hasSuffix(".css") ? "text/css; charset=utf-8" : "text/javascript; charset=utf-8"
        table[file.0] = Asset(name: file.0, contentType: type, body: file.1, version: String(Hex.encode(SHA256.hash(file.1)).prefix(16)))
    }

    /// The URL a page links: `/console/assets/NAME?v=VERSION`.
    static func path(_ name: String) -> String {
        "/console/assets/\(name)?v=\(all[name]?.version ?? "missing")"
    }
}
