import AWSShapes
import JSON

/// An image manifest as ECR accepts it: Docker image manifest v2 schema 2,
/// Docker manifest list, OCI image manifest and OCI image index.
public struct Manifest: Sendable {
    public enum MediaType {
        public static let dockerManifest = "application/vnd.docker.distribution.manifest.v2+json"
        public static let dockerList = "application/vnd.docker.distribution.manifest.list.v2+json"
        public static let ociManifest = "application/vnd.oci.image.manifest.v1+json"
        public static let ociIndex = "application/vnd.oci.image.index.v1+json"
        public static let all = [dockerManifest, dockerList, ociManifest, ociIndex]
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
    public let layers: [Descriptor]
    /// Child manifests of a list or index.
    public let manifests: [Descriptor]
    public let subject: Descriptor?
    public let artifactType: String?

    public var isIndex: Bool { mediaType == MediaType.dockerList || mediaType == MediaType.ociIndex }

    /// Sum of the layer sizes (what DescribeImages reports); nil for lists and indexes.
    public let imageSize: Int64?

    /// Parses and validates; `declared` is the media type the client states
    /// (PutImage's parameter or the registry's Content-Type).
    public init(bytes: [UInt8], declared: String?) throws(ManifestError) {
        let json: JSONValue
        do {
            json = try JSONParser.parse(bytes)
        } catch {
            throw .invalid("Invalid JSON syntax")
        }
        guard case .object(let object) = json else { throw .invalid("Invalid JSON syntax") }
        guard object["schemaVersion"] == .number(JSONNumber(2)) else {
            throw .unsupported("Invalid parameter at 'ImageManifest' failed to satisfy constraint: 'Invalid schema version'")
        }
        let field = object["mediaType"]?.stringValue
        if let field, let declared, field != declared, !declared.isEmpty {
            throw .invalid("Manifest media type \(field) does not match \(declared)")
        }
        let resolved: String
        if let type = field ?? declared.flatMap({ $0.isEmpty ? nil : $0 }) {
            resolved = type
        } else if object["manifests"] != nil {
            resolved = MediaType.ociIndex
        } else {
            resolved = MediaType.ociManifest
        }
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
