import ECR
import Testing

@Suite("Manifest")
struct ManifestTests {
    static let digest = "sha256:" + String(repeating: "a", count: 64)

    static func manifest(layerSizes: [String], urls: Bool = false) -> [UInt8] {
        let layers = layerSizes.map {
            #"{"mediaType":"application/vnd.oci.image.layer.v1.tar","digest":"\#(digest)","size":\#($0)\#(urls ? #","urls":["https://example.com/l"]"# : "")}"#
        }
        return Array(#"{"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json","config":{"mediaType":"application/vnd.oci.image.config.v1+json","digest":"\#(digest)","size":2},"layers":[\#(layers.joined(separator: ","))]}"#.utf8)
    }

    @Test("the image size is the sum of the layer sizes")
    func imageSize() throws {
        #expect(try Manifest(bytes: Self.manifest(layerSizes: ["5", "7"]), declared: .parameter(nil)).imageSize == 12)
        #expect(try Manifest(bytes: Self.manifest(layerSizes: ["9223372036854775807"]), declared: .parameter(nil)).imageSize == Int64.max)
    }

    /// Found writing the manifest fuzz target (its image-size check): layer sizes whose sum overflows Int64
    /// trapped when PutImage or the registry's manifest PUT asked for the image
    /// size; foreign layers (with `urls`) need no upload, so any client could.
    @Test("layer sizes whose sum overflows are refused, not a trap")
    func overflowingSizes() {
        for urls in [false, true] {
            #expect(throws: ManifestError.self) {
                try Manifest(bytes: Self.manifest(layerSizes: ["9223372036854775807", "1"], urls: urls), declared: .parameter(nil))
            }
        }
    }
}
