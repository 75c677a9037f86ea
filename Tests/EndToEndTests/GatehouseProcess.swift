import Foundation
import JSON
import Testing

/// The built `gatehouse` binary, started on a free port with a fresh data
/// directory, stopped (SIGTERM) when the test is done.
final class GatehouseProcess: @unchecked Sendable {
    let process = Process()
    let dataDirectory: URL
    private(set) var endpoint = ""
    private(set) var port = 0
    private let output = Pipe()
    private let errors = Pipe()
    let arguments: [String]

    /// The binary next to the test bundle (`swift build --build-tests` builds both).
    static var binary: URL {
        let exe = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath()
        return exe.deletingLastPathComponent().appendingPathComponent("gatehouse")
    }

    init(arguments: [String] = [], dataDirectory: URL? = nil) throws {
        self.dataDirectory = dataDirectory ?? FileManager.default.temporaryDirectory
            .appendingPathComponent("gatehouse-e2e-\(UUID().uuidString)")
        self.arguments = arguments
        try start()
    }

    private func start() throws {
        process.executableURL = Self.binary
        process.arguments = ["serve", "--port", "0", "--data-dir", dataDirectory.path, "--log-level", "warning"] + arguments
        process.standardOutput = output
        process.standardError = errors
        try process.run()
        // The first line names the endpoint with the port actually bound.
        var line = ""
        let handle = output.fileHandleForReading
        while !line.contains("\n") {
            let chunk = handle.availableData
            guard !chunk.isEmpty else { break }
            line += String(decoding: chunk, as: UTF8.self)
        }
        guard let range = line.range(of: #"http://[0-9.]+:[0-9]+"#, options: .regularExpression) else {
            let log = String(decoding: errors.fileHandleForReading.availableData, as: UTF8.self)
            throw StartFailure(description: "gatehouse did not announce its endpoint: \(line) \(log)")
        }
        endpoint = String(line[range])
        port = Int(endpoint.split(separator: ":").last!)!
    }

    struct StartFailure: Error, CustomStringConvertible {
        let description: String
    }

    /// Sends `signal`; a server that has not exited 15 s later is killed, so
    /// that a hung server fails its test instead of hanging the whole run.
    func stop(signal: Int32 = SIGTERM) {
        guard process.isRunning else { return }
        kill(process.processIdentifier, signal)
        let deadline = Date().addingTimeInterval(15)
        while process.isRunning && Date() < deadline { usleep(20_000) }
        if process.isRunning {
            kill(process.processIdentifier, SIGKILL)
        }
        process.waitUntilExit()
    }

    deinit {
        stop()
        try? FileManager.default.removeItem(at: dataDirectory)
    }

    // MARK: - Driving it

    struct Result {
        var status: Int32
        var stdout: String
        var stderr: String

        var json: JSONValue? { try? JSONParser.parse(stdout) }
        var succeeded: Bool { status == 0 }

        /// The AWS error code the CLI printed: `An error occurred (Code) when calling …`.
        var errorCode: String? {
            guard let open = stderr.range(of: "An error occurred ("), let close = stderr[open.upperBound...].firstIndex(of: ")")
            else { return nil }
            return String(stderr[open.upperBound..<close])
        }
    }

    static let rootCredentials = (accessKey: "test", secret: "test")

    /// Runs the real `aws` CLI against this server.
    func aws(
        _ arguments: [String], accessKey: String = rootCredentials.accessKey, secret: String = rootCredentials.secret,
        sessionToken: String? = nil, region: String = "us-east-1"
    ) throws -> Result {
        var environment = ProcessInfo.processInfo.environment
        for key in environment.keys where key.hasPrefix("AWS_") { environment[key] = nil }
        environment["AWS_ACCESS_KEY_ID"] = accessKey
        environment["AWS_SECRET_ACCESS_KEY"] = secret
        if let sessionToken { environment["AWS_SESSION_TOKEN"] = sessionToken }
        environment["AWS_DEFAULT_REGION"] = region
        environment["AWS_CONFIG_FILE"] = "/dev/null"
        environment["AWS_SHARED_CREDENTIALS_FILE"] = "/dev/null"
        environment["AWS_PAGER"] = ""
        environment["AWS_MAX_ATTEMPTS"] = "1"
        return try Self.run("aws", ["--endpoint-url", endpoint, "--output", "json"] + arguments, environment: environment)
    }

    /// Raw HTTP with curl: (status, body).
    func curl(_ arguments: [String]) throws -> (status: Int, body: String) {
        let result = try Self.run("curl", ["-s", "-w", "\n%{http_code}"] + arguments, environment: ProcessInfo.processInfo.environment)
        let lines = result.stdout.split(separator: "\n", omittingEmptySubsequences: false)
        return (Int(lines.last ?? "") ?? 0, lines.dropLast().joined(separator: "\n"))
    }

    /// Runs `tool`; `input`, when given, is what it reads on standard input.
    static func run(_ tool: String, _ arguments: [String], environment: [String: String], input: String? = nil) throws -> Result {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = [tool] + arguments
        process.environment = environment
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        let stdin = Pipe()
        if input != nil { process.standardInput = stdin }
        try process.run()
        if let input {
            stdin.fileHandleForWriting.write(Data(input.utf8))
            try stdin.fileHandleForWriting.close()
        }
        let stdout = out.fileHandleForReading.readDataToEndOfFile()
        let stderr = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Result(
            status: process.terminationStatus, stdout: String(decoding: stdout, as: UTF8.self),
            stderr: String(decoding: stderr, as: UTF8.self))
    }
}
