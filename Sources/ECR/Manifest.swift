import AWSShapes
import JSON
import Storage

/// An image manifest as ECR accepts it: Docker image manifest v2 schema 1
/// (signed and unsigned) and schema 2, Docker manifest list, OCI image
/// manifest and OCI image index.
public struct Manifest: Sendable {
    public enum MediaType {
        public static let dockerManifest = "application/vnd.docker.distribution.manifest.v2+json"
        public static let dockerList = "application/vnd.docker.distribution.manifest.list.v2+json"
        public static let ociManifest = "application/vnd.oci.image.manifest.v1+json"
        public static let ociIndex = "application/vnd.oci.image.index.v1+json"
        /// Schema 1, pushed by Docker 1.9 and older; ECR stores it as pushed and
        /// serves it as stored ("Container image manifest format support in Amazon ECR").
        public static let dockerSchema1 = "application/vnd.docker.distribution.manifest.v1+json"
        public static let dockerSchema1Signed = "application/vnd.docker.distribution.manifest.v1+prettyjws"
        public static let all = [dockerManifest, dockerList, ociManifest, ociIndex]
        public static let schema1 = [dockerSchema1, dockerSchema1Signed]
    }

    /// Where the media type a client states comes from.
    public enum Declared: Sendable {
        /// PutImage's `imageManifestMediaType` (or a stored image's type): names
        /// the type of a manifest that has no `mediaType` of its own.
        case parameter(String?)
        /// The registry PUT's `Content-Type`: checked against the manifest's
        /// `mediaType`, but it does not stand in for a missing one — ECR's registry
        /// refuses such a manifest whatever the header says (containers/image#584:
        /// an OCI manifest without `mediaType`, sent with its Content-Type, is
        /// "UNSUPPORTED … 'Invalid JSON syntax'").
        case contentType(String?)
    }

    public struct Descriptor: Sendable {
        public var mediaType: String?
        public var digest: String
        public var size: Int64
        /// Foreign layers (with `urls`) live elsewhere and need not be uploaded.
        public var isForeign: Bool
    }

    public let mediaType: String
    public let config: Descriptor?
    /// The layers; a schema 1 manifest's `fsLayers`, whose sizes it does not say (0 here).
    public let layers: [Descriptor]
    /// Child manifests of a list or index.
    public let manifests: [Descriptor]
    public let subject: Descriptor?
    public let artifactType: String?

    public var isIndex: Bool { mediaType == MediaType.dockerList || mediaType == MediaType.ociIndex }
    public var isSchema1: Bool { MediaType.schema1.contains(mediaType) }

    /// Sum of the layer sizes (what DescribeImages reports); nil for lists and
    /// indexes, and for schema 1 (the sizes are the repository's blobs').
    public let imageSize: Int64?

    /// ECR's refusal of a manifest that has no `mediaType` and was given none
    /// (research §11: aws/aws-cli#6745, aws/aws-sdk#193; on the registry
    /// `UNSUPPORTED`, chainguard-dev/apko#450, containers/image#584).
    static let noMediaType = ManifestError.unsupported("Invalid parameter at 'ImageManifest' failed to satisfy constraint: 'Invalid JSON syntax'")

    /// Parses and validates.
    public init(bytes: [UInt8], declared: Declared) throws(ManifestError) {
        let json: JSONValue
        do {
            json = try JSONParser.parse(bytes)
        } catch {
            throw .invalid("Invalid JSON syntax")
        }
        guard case .object(let object) = json else { throw .invalid("Invalid JSON syntax") }
        let stated: String?
        let fillsIn: Bool
        switch declared {
        case .parameter(let type): (stated, fillsIn) = (type.flatMap { $0.isEmpty ? nil : $0 }, true)
        case .contentType(let type): (stated, fillsIn) = (type.flatMap { $0.isEmpty ? nil : $0 }, false)
        }
        if object["schemaVersion"] == .number(JSONNumber(1)) {
            self = try Manifest(schema1: json, bytes: bytes, stated: stated)
            return
        }
        guard object["schemaVersion"] == .number(JSONNumber(2)) else {
            throw .unsupported("Invalid parameter at 'ImageManifest' failed to satisfy constraint: 'Invalid schema version'")
        }
        let field = object["mediaType"]?.stringValue
        if let field, let stated, field != stated {
            throw .invalid("Manifest media type \(field) does not match \(stated)")
        }
        guard let resolved = field ?? (fillsIn ? stated : nil) else { throw Self.noMediaType }
        guard MediaType.all.contains(resolved) else {
            throw .unsupported("Invalid parameter at 'ImageManifest' failed to satisfy constraint: 'Unsupported manifest media type \(resolved)'")
        }
        mediaType = resolved
        subject = try object["subject"].map(Self.descriptor)
        artifactType = object["artifactType"]?.stringValue
        if resolved == MediaType.dockerList || resolved == MediaType.ociIndex {
            guard let list = object["manifests"]?.arrayValue else { throw .invalid("manifests is required") }
            manifests = try list.map(Self.descriptor)
            config = nil
            layers = []
            imageSize = nil
        } else {
            guard let configValue = object["config"] else { throw .invalid("config is required") }
            config = try Self.descriptor(configValue)
            layers = try (object["layers"]?.arrayValue ?? []).map(Self.descriptor)
            manifests = []
            // Each size fits in an Int64 but their sum need not (foreign layers are
            // never uploaded, and one blob may be listed many times): refuse, not trap.
            var total: Int64 = 0
            for layer in layers {
                let (sum, overflow) = total.addingReportingOverflow(layer.size)
                guard !overflow else { throw .invalid("Invalid descriptor size") }
                total = sum
            }
            imageSize = total
        }
    }

    /// Docker image manifest v2 schema 1 (docker/distribution docs/spec/manifest-v2-1.md):
    /// `name`, `tag`, `fsLayers` (each a `blobSum`) and as many `history` entries;
    /// signed when it carries `signatures` (its digest is then its payload's,
    /// `ManifestDigest`). The signatures are not verified.
    private init(schema1 json: JSONValue, bytes: [UInt8], stated: String?) throws(ManifestError) {
        let signed = json["signatures"] != nil
        if signed, ManifestDigest.signedPayload(bytes) == nil { throw .invalid("Invalid JSON syntax") }
        let type = signed ? MediaType.dockerSchema1Signed : MediaType.dockerSchema1
        // Clients state either schema 1 type (or plain JSON) for either form.
        if let stated, !MediaType.schema1.contains(stated), stated != "application/json" {
            throw .invalid("Manifest media type \(type) does not match \(stated)")
        }
        guard let fsLayers = json["fsLayers"]?.arrayValue, let history = json["history"]?.arrayValue,
            json["name"]?.stringValue != nil, json["tag"]?.stringValue != nil
        else { throw .invalid("Invalid JSON syntax") }
        guard fsLayers.count == history.count else { throw .invalid("mismatched history and fslayer cardinality") }
        var layers: [Descriptor] = []
        for layer in fsLayers {
            guard let digest = layer["blobSum"]?.stringValue, digest.hasPrefix("sha256:"), digest.count == 71 else {
                throw .invalid("Invalid descriptor digest")
            }
            layers.append(Descriptor(mediaType: nil, digest: digest, size: 0, isForeign: false))
        }
        mediaType = type
        config = nil
        self.layers = layers
        manifests = []
        subject = nil
        artifactType = nil
        imageSize = nil
    }

    /// The blobs (config and layers) a stored image's manifest names.
    public static func blobs(of stored: ImageRecord.StoredManifest) -> Set<String> {
        // The stored type stands in for a `mediaType` the manifest may lack (PutImage's parameter).
        guard let parsed = try? Manifest(bytes: Array(stored.manifest), declared: .parameter(stored.mediaType)) else { return [] }
        return Set(([parsed.config].compactMap { $0 } + parsed.layers).map(\.digest))
    }

    private static func descriptor(_ value: JSONValue) throws(ManifestError) -> Descriptor {
        guard let digest = value["digest"]?.stringValue, digest.hasPrefix("sha256:"), digest.count == 71 else {
            throw .invalid("Invalid descriptor digest")
        }
        guard case .number(let size)? = value["size"], let bytes = size.int64, bytes >= 0 else {
            throw .invalid("Invalid descriptor size")
        }
        return Descriptor(
            mediaType: value["mediaType"]?.stringValue, digest: digest, size: bytes,
            isForeign: !(value["urls"]?.arrayValue ?? []).isEmpty)
    }
}

/// Why a manifest is refused: ECR's InvalidParameterException at the API,
/// MANIFEST_INVALID / UNSUPPORTED at the registry.
public enum ManifestError: Error, Sendable {
    case invalid(String)
    case unsupported(String)

    public var message: String {
        switch self {
        case .invalid(let m), .unsupported(let m): m
        }
    }

    var apiError: AWSError {
        switch self {
        case .invalid(let m): ECRError.invalidParameter("ImageManifest", m)
        case .unsupported(let m): ECRShapes.Errors.invalidParameter(m)
        }
    }
}
