import AWSShapes
import Foundation
import Testing

@Suite("Generated shapes")
struct GeneratedShapesTests {
    @Test("policy documents are percent-encoded as IAM writes them: every byte but A-Z a-z 0-9 - _ . ~")
    func percentEncoding() {
        for byte in UInt8(0)...UInt8(127) {
            let character = String(UnicodeScalar(byte))
            let kept = ("A"..."Z").contains(character) || ("a"..."z").contains(character) || ("0"..."9").contains(character)
                || "-_.~".contains(character)
            let hex = String(byte, radix: 16, uppercase: true)
            let want = kept ? character : "%" + (hex.count == 1 ? "0" + hex : hex)
            #expect(XMLWriter.percentEncode(character) == want, "byte \(byte)")
        }
        #expect(XMLWriter.percentEncode("é{\"a\"}") == "%C3%A9%7B%22a%22%7D")
    }

    /// The package root, from this file's path.
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    @Test("the committed shapes are exactly what ShapeGen generates from Specs/")
    func generatedShapesAreCurrent() throws {
        let shapeGen = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath().deletingLastPathComponent()
            .appendingPathComponent("ShapeGen")
        let process = Process()
        process.executableURL = shapeGen
        process.arguments = ["--check", "--root", Self.root.path]
        let output = Pipe()
        process.standardOutput = output
        try process.run()
        let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(process.terminationStatus == 0, "\(text)")
    }

    @Test("every operation of the three models is in the tables", arguments: [
        ("IAM", IAMOperation.names.count, 176), ("STS", STSOperation.names.count, 11), ("ECR", ECROperation.names.count, 58),
    ])
    func operationCounts(service: String, count: Int, expected: Int) {
        #expect(count == expected, "\(service)")
    }

    @Test("a query request decodes into the typed input, nested lists included")
    func queryDecoding() {
        let (input, violations) = QueryDecoder.decode(IAMShapes.CreateRoleRequest.self, from: [
            "RoleName": "app", "AssumeRolePolicyDocument": "{}", "MaxSessionDuration": "7200",
            "Tags.member.1.Key": "team", "Tags.member.1.Value": "a",
            "Tags.member.2.Key": "env", "Tags.member.2.Value": "dev",
        ])
        #expect(violations.isEmpty)
        #expect(input.roleName == "app")
        #expect(input.maxSessionDuration == 7200)
        #expect(input.tags == [IAMShapes.Tag(key: "team", value: "a"), IAMShapes.Tag(key: "env", value: "dev")])
    }

    @Test("model constraints become AWS's validation messages")
    func validationMessages() {
        let (_, violations) = QueryDecoder.decode(IAMShapes.CreateRoleRequest.self, from: [
            "RoleName": "bad name!", "MaxSessionDuration": "60",
        ])
        #expect(ConstraintViolation.summary(violations) == "3 validation errors detected: "
            + "Value null at 'assumeRolePolicyDocument' failed to satisfy constraint: Member must not be null; "
            + "Value '60' at 'maxSessionDuration' failed to satisfy constraint: Member must have value greater than or equal to 3600; "
            + "Value 'bad name!' at 'roleName' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\w+=,.@-]+")
    }

    @Test("a JSON body with a number where a string belongs is a serialization error")
    func jsonTypeMismatch() throws {
        #expect(throws: ShapeDecodingError.self) {
            try JSONShapeDecoder.decode(ECRShapes.CreateRepositoryRequest.self, from: .object(.init([("repositoryName", .number(.init(42)))])))
        }
    }

    @Test("model patterns match whole values, Java style", arguments: [
        ("[\\w+=,.@-]+", "my-role_1", true), ("[\\w+=,.@-]+", "bad name!", false), ("[\\w+=,.@-]+", "", false),
        ("(\\u002F)|(\\u002F[\\u0021-\\u007E]+\\u002F)", "/", true), ("(\\u002F)|(\\u002F[\\u0021-\\u007E]+\\u002F)", "/a/b/", true),
        ("(\\u002F)|(\\u002F[\\u0021-\\u007E]+\\u002F)", "/a", false),
        ("(?:[a-z0-9]+(?:[._-][a-z0-9]+)*/)*[a-z0-9]+(?:[._-][a-z0-9]+)*", "team-a/alpine", true),
        ("[a-z0-9]+((\\.|_|__|-+)[a-z0-9]+)*(\\/[a-z0-9]+((\\.|_|__|-+)[a-z0-9]+)*)*", "Team-A/Alpine", false),
        ("^[a-z0-9]([a-z0-9]|-(?!-)){1,61}[a-z0-9]$", "my-alias", true), ("^[a-z0-9]([a-z0-9]|-(?!-)){1,61}[a-z0-9]$", "my--alias", false),
        ("[\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]+", "Équipe 7", true), ("^\\S+$", "a b", false), ("[0-9]{12}", "123456789012", true),
    ])
    func patterns(pattern: String, value: String, matches: Bool) {
        #expect(Pattern(pattern).matches(value) == matches)
    }

    @Test("timestamps format as IAM writes them and parse back")
    func timestamps() {
        let t = Timestamp(secondsSince1970: 1_423_248_006)
        #expect(t.iso8601 == "2015-02-06T18:40:06Z")
        #expect(t.iso8601Basic == "20150206T184006Z")
        #expect(Timestamp(iso8601: "2015-02-06T18:40:06Z") == t)
        #expect(Timestamp(iso8601: "2015-02-06T18:40:06+00:00") == t)
        #expect(Timestamp(iso8601: "20150206T184006Z") == t)
    }
}
