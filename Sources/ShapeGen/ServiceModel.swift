import JSON

/// A service model as botocore ships it (the subset of traits the IAM, STS and
/// ECR models use), parsed from `Specs/*.json`.
struct ServiceModel {
    enum WireProtocol: String {
        case query
        case json
    }

    struct Member {
        let name: String
        let shape: String
    }

    enum ShapeKind: Equatable {
        case structure
        case list(member: String)
        case map(key: String, value: String)
        case string, integer, long, double, boolean, timestamp, blob
    }

    struct Shape {
        let name: String
        let kind: ShapeKind
        let members: [Member]  // sorted by name, for stable output
        let required: Set<String>
        let min: Double?
        let max: Double?
        let pattern: String?
        let enumValues: [String]?
        let sensitive: Bool
        let isException: Bool
        let errorCode: String?
        let errorStatus: Int?
        let senderFault: Bool
        let isFault: Bool
    }

    struct Operation {
        let name: String
        let input: String?
        let output: String?
        let resultWrapper: String?
        let unsigned: Bool
    }

    let fileName: String
    let wireProtocol: WireProtocol
    let serviceId: String
    let apiVersion: String
    let xmlNamespace: String?
    let targetPrefix: String?
    let signingName: String
    let shapes: [String: Shape]
    let operations: [Operation]  // sorted by name

    /// Members a model calls required that AWS leaves out of real answers
    /// (by "serviceId.Shape"), so the generated type must let them be absent:
    /// GetUser as the root user has no UserName or Path (the raw answer in
    /// brendanhay/amazonka#102 and grycap/scar#181).
    static let omittedByAWS: [String: Set<String>] = ["IAM.User": ["UserName", "Path"]]

    struct FormatError: Error, CustomStringConvertible {
        let description: String
    }

    init(fileName: String, text: String) throws {
        let root = try JSONParser.parse(text)
        guard let metadata = root["metadata"]?.objectValue, let shapesObject = root["shapes"]?.objectValue,
            let operationsObject = root["operations"]?.objectValue
        else { throw FormatError(description: "\(fileName): not a service model") }
        self.fileName = fileName
        guard let proto = metadata["protocol"]?.stringValue.flatMap(WireProtocol.init(rawValue:)) else {
            throw FormatError(description: "\(fileName): unsupported protocol")
        }
        wireProtocol = proto
        serviceId = metadata["serviceId"]?.stringValue ?? ""
        apiVersion = metadata["apiVersion"]?.stringValue ?? ""
        xmlNamespace = metadata["xmlNamespace"]?.stringValue
        targetPrefix = metadata["targetPrefix"]?.stringValue
        signingName = metadata["signingName"]?.stringValue ?? metadata["endpointPrefix"]?.stringValue ?? ""

        var shapes: [String: Shape] = [:]
        for (name, value) in shapesObject.members {
            guard let object = value.objectValue, let type = object["type"]?.stringValue else {
                throw FormatError(description: "\(fileName): shape \(name) has no type")
            }
            let kind: ShapeKind
            switch type {
            case "structure": kind = .structure
            case "list":
                guard let member = object["member"]?["shape"]?.stringValue else {
                    throw FormatError(description: "\(fileName): list \(name) has no member")
                }
                kind = .list(member: member)
            case "map":
                guard let key = object["key"]?["shape"]?.stringValue, let value = object["value"]?["shape"]?.stringValue else {
                    throw FormatError(description: "\(fileName): map \(name) has no key or value")
                }
                kind = .map(key: key, value: value)
            case "string": kind = .string
            case "integer": kind = .integer
            case "long": kind = .long
            case "double", "float": kind = .double
            case "boolean": kind = .boolean
            case "timestamp": kind = .timestamp
            case "blob": kind = .blob
            default: throw FormatError(description: "\(fileName): shape \(name) has unsupported type \(type)")
            }
            let members = (object["members"]?.objectValue?.members ?? []).compactMap { m -> Member? in
                guard let target = m.value["shape"]?.stringValue else { return nil }
                return Member(name: m.key, shape: target)
            }.sorted { $0.name < $1.name }
            let required = Set(object["required"]?.arrayValue?.compactMap(\.stringValue) ?? [])
                .subtracting(Self.omittedByAWS["\(serviceId).\(name)"] ?? [])
            let error = object["error"]?.objectValue
            shapes[name] = Shape(
                name: name, kind: kind, members: members, required: required,
                min: Self.number(object["min"]), max: Self.number(object["max"]),
                pattern: object["pattern"]?.stringValue,
                enumValues: object["enum"]?.arrayValue?.compactMap(\.stringValue),
                sensitive: object["sensitive"] == .bool(true),
                isException: object["exception"] == .bool(true),
                errorCode: error?["code"]?.stringValue,
                errorStatus: Self.number(error?["httpStatusCode"]).map { Int($0) },
                senderFault: error?["senderFault"] == .bool(true),
                isFault: object["fault"] == .bool(true))
        }
        self.shapes = shapes

        operations = operationsObject.members.map { name, value in
            let auth = value["auth"]?.arrayValue?.compactMap(\.stringValue) ?? []
            return Operation(
                name: name,
                input: value["input"]?["shape"]?.stringValue,
                output: value["output"]?["shape"]?.stringValue,
                resultWrapper: value["output"]?["resultWrapper"]?.stringValue,
                unsigned: value["authtype"]?.stringValue == "none" || auth.contains("smithy.api#noAuth"))
        }.sorted { $0.name < $1.name }
    }

    private static func number(_ value: JSONValue?) -> Double? {
        if case .number(let n) = value { return n.double }
        return nil
    }

    /// Every structure reachable from `roots`, by name.
    func structures(reachableFrom roots: [String]) -> Set<String> {
        var seen: Set<String> = []
        var stack = roots
        while let name = stack.popLast() {
            guard let shape = shapes[name] else { continue }
            switch shape.kind {
            case .structure:
                guard seen.insert(name).inserted else { continue }
                stack.append(contentsOf: shape.members.map(\.shape))
            case .list(let member): stack.append(member)
            case .map(let key, let value): stack.append(contentsOf: [key, value])
            default: break
            }
        }
        return seen
    }
}
