// ECR image manifest parsing (Manifest.init, what PutImage and the registry's
// manifest PUT run on a client's bytes) with no declared media type and with
// each accepted one. Never a crash or trap; an accepted manifest has
// well-formed descriptors and a size (DescribeImages' imageSizeInBytes).
import ECR
import FuzzSupport

private let types: [String?] = [nil, ""] + Manifest.MediaType.all + Manifest.MediaType.schema1
private let declarations: [Manifest.Declared] = types.map { .parameter($0) } + types.map { .contentType($0) }

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzManifest(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let bytes = Fuzz.bytes(data, size)
    for declared in declarations {
        let manifest: Manifest
        do {
            manifest = try Manifest(bytes: bytes, declared: declared)
        } catch {
            Fuzz.require(!error.message.isEmpty, "an error without a message")
            continue
        }
        Fuzz.require((Manifest.MediaType.all + Manifest.MediaType.schema1).contains(manifest.mediaType), "accepted media type \(manifest.mediaType)")
        for descriptor in [manifest.config, manifest.subject].compactMap({ $0 }) + manifest.layers + manifest.manifests {
            Fuzz.require(descriptor.digest.hasPrefix("sha256:") && descriptor.size >= 0, "bad descriptor \(descriptor)")
        }
        if let total = manifest.imageSize {
            Fuzz.require(total >= 0, "negative image size \(total)")
        }
    }
    return 0
}

@main
struct FuzzManifestMain {
    static func main() {
        Fuzz.run(fuzzManifest)
    }
}
