/// What a `/v2/…` path addresses. Repository names contain slashes, so the
/// path is read from its end, as the distribution spec's grammar implies.
enum RegistryRoute: Equatable {
    case base
    case catalog
    case manifest(name: String, reference: String)
    case blob(name: String, digest: String)
    case uploads(name: String)
    case upload(name: String, id: String)
    case tags(name: String)
    case referrers(name: String, digest: String)

    init?(path: String) {
        guard path.hasPrefix("/v2") else { return nil }
        let rest = path.dropFirst(3)
        if rest.isEmpty || rest == "/" {
            self = .base
            return
        }
        if rest == "/_catalog" {
            self = .catalog
            return
        }
        var parts = rest.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        guard parts.first == "" else { return nil }
        parts.removeFirst()
        if parts.last == "" { parts.removeLast() }
        func name(_ count: Int) -> String? {
            let head = parts.dropLast(count)
            return head.isEmpty ? nil : head.joined(separator: "/")
        }
        let n = parts.count
        if n >= 3, parts[n - 3] == "blobs", parts[n - 2] == "uploads", let name = name(3) {
            self = .upload(name: name, id: parts[n - 1])
        } else if n >= 2, parts[n - 2] == "blobs", parts[n - 1] == "uploads", let name = name(2) {
            self = .uploads(name: name)
        } else if n >= 2, parts[n - 2] == "blobs", let name = name(2) {
            self = .blob(name: name, digest: parts[n - 1])
        } else if n >= 2, parts[n - 2] == "manifests", let name = name(2) {
            self = .manifest(name: name, reference: parts[n - 1])
        } else if n >= 2, parts[n - 2] == "tags", parts[n - 1] == "list", let name = name(2) {
            self = .tags(name: name)
        } else if n >= 2, parts[n - 2] == "referrers", let name = name(2) {
            self = .referrers(name: name, digest: parts[n - 1])
        } else {
            return nil
        }
    }
}
