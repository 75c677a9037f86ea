import ArgumentParser
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import StateSnapshot
import Storage
import Platform

/// `gatehouse state`: the emulated world as a snapshot (gatehouse-state/1,
/// docs/state-format.md), to load a known world in one step.
struct StateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "state",
        abstract: "Export or import the emulated world as a snapshot (format gatehouse-state/1).",
        subcommands: [Export.self, Import.self])

    /// Where the state is: a data directory (default) or a running server.
    struct Location: ParsableArguments {
        @OptionGroup var data: DataDirectoryOption

        @Option(help: "Go through the server at this URL instead of a data directory (needed to import into a running server).")
        var endpoint: String?

        @Option(help: "The server's admin token, when reaching it from another host (default: GATEHOUSE_ADMIN_TOKEN).")
        var adminToken: String? = Environment.value("GATEHOUSE_ADMIN_TOKEN")

        var client: AdminClient? { endpoint.map { AdminClient(endpoint: $0, token: adminToken) } }
    }

    struct Export: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "export",
            abstract: "Write the state of every account (or those named) as a snapshot.",
            discussion: """
                The snapshot is one JSON document: every IAM entity, policy version, attachment, access key, \
                ECR repository, policy and image manifest of the accounts, plus OpenID Connect issuers' keys. \
                Image layers are named by digest; --layout DIR also writes them, as an OCI image layout \
                (DIR/gatehouse-state.json beside oci-layout, index.json and blobs/), which `state import DIR` \
                and `serve --seed DIR` read. Reading a data directory is safe while a server runs on it.
                """)

        @OptionGroup var location: Location

        @Option(help: "Only this account (repeatable).")
        var account: [String] = []

        @Option(help: "Write the snapshot here instead of standard output.")
        var output: String?

        @Option(help: "Write an OCI image layout directory holding the snapshot and every blob it names.")
        var layout: String?

        func validate() throws {
            for id in account where id.count != 12 || !id.allSatisfy(\.isNumber) {
                throw ValidationError("--account \(id): an account id is 12 digits")
            }
            if layout != nil && output != nil { throw ValidationError("--layout writes the snapshot into the layout; drop --output") }
        }

        func run() async throws {
            try await Console.reportingFailures {
                let accounts = account.isEmpty ? nil : account
                let layout = self.layout.map { OCILayout(root: URL(fileURLWithPath: $0)) }
                let snapshot: Snapshot
                if let client = location.client {
                    let body = try await client.call(
                        "GET", "/_gatehouse/state", query: account.map { URLQueryItem(name: "account", value: $0) })
                    snapshot = try Snapshot(bytes: Array(body), source: client.endpoint)
                    try await layout?.write(snapshot) { digest, _, target in
                        try await client.download("/_gatehouse/state/blobs/\(digest)", to: target)
                    }
                } else {
                    let store = try location.data.existingStore()
                    snapshot = try Snapshot.export(from: store, accounts: accounts)
                    try await layout?.write(snapshot, from: store.blobs)
                }
                if let layout {
                    Console.error("wrote \(snapshot.accounts.count) account(s), \(snapshot.rowCount) rows and \(snapshot.blobs.count) blob(s) to \(layout.root.path)")
                } else if let output {
                    try Data(snapshot.serialized()).write(to: URL(fileURLWithPath: output))
                } else {
                    try PlainFile.standardOutput.write(snapshot.serialized())
                }
            }
        }
    }

    struct Import: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "import",
            abstract: "Replace the accounts a snapshot holds with what it holds.",
            discussion: """
                SNAPSHOT is a JSON file, an OCI layout directory written by `state export --layout`, or - for \
                standard input. Everything is checked first (fields, policy grammar, manifest digests, that \
                every blob is at hand); then, in one transaction, each account the snapshot holds is replaced. \
                Other accounts are left alone. On any error nothing changes and the exit status is 1.
                A running server must do the import itself (its caches only see its own writes): pass \
                --endpoint; importing into its data directory is refused.
                """)

        @Argument(help: "The snapshot: a JSON file, an OCI layout directory, or - for standard input.")
        var snapshot: String

        @OptionGroup var location: Location

        func run() async throws {
            try await Console.reportingFailures {
                let (snapshot, layout) = try SnapshotFile.read(self.snapshot)
                if let client = location.client {
                    try await importThrough(client, snapshot, layout)
                } else {
                    try location.data.withExclusiveStore(instead: "import through it with --endpoint URL, or stop it first") { store in
                        let progress = ProgressLine()
                        try snapshot.apply(to: store, layout: layout) { progress.show("importing blobs", $0) }
                        progress.finish()
                    }
                }
                let accounts = snapshot.accounts.isEmpty ? "no account" : "\(snapshot.accounts.count) account(s): " + snapshot.accounts.joined(separator: ", ")
                Console.error("imported \(accounts) (\(snapshot.rowCount) rows)")
            }
        }

        /// Blobs the server lacks go first (each verified there), then the document.
        private func importThrough(_ client: AdminClient, _ snapshot: Snapshot, _ layout: OCILayout?) async throws {
            var missing: [(digest: String, size: Int64)] = []
            for blob in snapshot.blobs {
                let (status, _) = try await client.send("HEAD", "/_gatehouse/state/blobs/\(blob.digest)")
                if status != 200 { missing.append(blob) }
            }
            if !missing.isEmpty {
                guard let layout else {
                    throw CommandRefusal("the server lacks blob \(missing[0].digest); import the OCI layout directory `state export --layout` wrote")
                }
                let progress = ProgressLine()
                var report = ImportProgress(blobsTotal: missing.count, bytesTotal: missing.reduce(0) { $0 + $1.size })
                for blob in missing {
                    guard layout.has(blob.digest) else { throw CommandRefusal("blob \(blob.digest) is not in \(layout.root.path)") }
                    try await client.call(
                        "PUT", "/_gatehouse/state/blobs/\(blob.digest)", file: layout.path(of: blob.digest), accepted: [200, 201])
                    report.blobsDone += 1
                    report.bytesDone += blob.size
                    progress.show("sending blobs", report)
                }
                progress.finish()
            }
            try await client.call("POST", "/_gatehouse/state", body: Data(snapshot.serialized()))
        }
    }
}
