import Foundation

/// `swift run ShapeGen [--check] [--root DIR]`
///
/// Reads the service models in `Specs/` and writes `Sources/AWSShapes/Generated/`.
/// With `--check`, writes nothing and exits 1 when the committed files differ
/// from what the models generate (the reference test runs this).
@main
struct ShapeGen {
    static let services: [(file: String, prefix: String)] = [
        ("iam-2010-05-08.json", "IAM"),
        ("sts-2011-06-15.json", "STS"),
        ("ecr-2015-09-21.json", "ECR"),
    ]

    static func main() throws {
        var arguments = CommandLine.arguments.dropFirst()
        var check = false
        var root = FileManager.default.currentDirectoryPath
        while let argument = arguments.popFirst() {
            switch argument {
            case "--check": check = true
            case "--root": root = arguments.popFirst() ?? root
            default:
                FileHandle.standardError.write(Data("usage: ShapeGen [--check] [--root DIR]\n".utf8))
                exit(2)
            }
        }
        let outputDirectory = URL(fileURLWithPath: root).appendingPathComponent("Sources/AWSShapes/Generated")
        var expected: [String: String] = [:]
        for service in services {
            let url = URL(fileURLWithPath: root).appendingPathComponent("Specs").appendingPathComponent(service.file)
            let text = try String(contentsOf: url, encoding: .utf8)
            let model = try ServiceModel(fileName: service.file, text: text)
            for file in ServiceRenderer(model: model, prefix: service.prefix).render() {
                expected[file.name] = file.contents
            }
        }
        let existing = Set((try? FileManager.default.contentsOfDirectory(atPath: outputDirectory.path)) ?? [])
            .filter { $0.hasSuffix(".swift") }
        if check {
            var differences: [String] = []
            for (name, contents) in expected.sorted(by: { $0.key < $1.key }) {
                let current = try? String(contentsOf: outputDirectory.appendingPathComponent(name), encoding: .utf8)
                if current != contents { differences.append(name) }
            }
            differences += existing.subtracting(expected.keys).sorted().map { "\($0) (not generated)" }
            if differences.isEmpty {
                print("Generated shapes are up to date (\(expected.count) files).")
                return
            }
            print("Generated shapes differ from Specs/: \(differences.joined(separator: ", "))")
            print("Run `swift run ShapeGen` and commit the result.")
            exit(1)
        }
        try FileManager.default.createDirectory(at: outputDirectory, withIntermediateDirectories: true)
        for stale in existing.subtracting(expected.keys) {
            try FileManager.default.removeItem(at: outputDirectory.appendingPathComponent(stale))
        }
        for (name, contents) in expected {
            try contents.write(to: outputDirectory.appendingPathComponent(name), atomically: true, encoding: .utf8)
        }
        print("Wrote \(expected.count) files to \(outputDirectory.path).")
    }
}
