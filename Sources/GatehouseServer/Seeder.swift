#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import Hashing
import ServiceKit
import StateSnapshot
import Storage
import Synchronization

/// Puts the seeded world into a store: on first start and on reset.
final class Seeder: Sendable {
    let documents: [SeedDocument]
    /// State snapshots given with `--seed` (files or OCI layout directories),
    /// read and checked once, at start; applied after the seed documents, so
    /// they may replace seeded accounts.
    let snapshots: [(snapshot: Snapshot, layout: OCILayout?)]
    /// The first account of the bundled seed, renamed when the operator chose an id.
    let defaultAccountId: String
    let defaultRegion: String
    /// Root users' console password hashes, by account, made when first
    /// written: hashing is deliberately slow (~20 ms), a restart over an
    /// existing data directory never needs it, and a reset must not pay it again.
    private let rootPasswordHashes = Mutex<[String: String]>([:])

    init(configuration: ServerConfiguration) throws {
        var documents = [try SeedDocument(defaultSeed: configuration.dataSets)]
        var snapshots: [(Snapshot, OCILayout?)] = []
        for file in configuration.extraSeeds {
            if OCILayout.isLayout(file) {
                snapshots.append(try SnapshotFile.read(file.path))
                continue
            }
            let json = try SeedDocument.parse(file)
            if json["format"]?.stringValue == Snapshot.format {
                snapshots.append((try Snapshot(json: json, source: file.path), nil))
            } else {
                documents.append(try SeedDocument(json: json, file: file))
            }
        }
        self.snapshots = snapshots
        if let accountId = configuration.accountId, !documents[0].accounts.isEmpty {
            documents[0].accounts[0].id = accountId
        }
        guard let first = documents[0].accounts.first else {
            throw SeedDocument.FormatError(description: "the bundled seed names no account")
        }
        self.documents = documents
        self.defaultAccountId = first.id
        self.defaultRegion = documents.compactMap(\.defaultRegion).last ?? "us-east-1"
    }

    /// Seeds an empty store; leaves a store that already has accounts alone.
    func seedIfEmpty(_ store: Store, now: Double) throws {
        let empty = try store.transaction(.read) { tx in try AccountRecord.none(in: tx) }
        if empty { try seed(store, now: now) }
    }

    /// Back to the seeded world in one transaction: requests during a reset
    /// see the world before it or after it, and the seeded keys never vanish.
    func reset(_ store: Store, now: Double) throws {
        try bringBlobs(into: store, at: now)
        try store.replaceAll { tx in try insert(tx, now: now) }
    }

    private func seed(_ store: Store, now: Double) throws {
        try bringBlobs(into: store, at: now)
        try store.transaction(.write) { tx in try insert(tx, now: now) }
    }

    /// Snapshots' blobs in place before any row names them.
    private func bringBlobs(into store: Store, at time: Double) throws {
        for (snapshot, layout) in snapshots { try snapshot.bringBlobs(into: store, from: layout, at: time) }
    }

    private func insert(_ tx: Transaction, now: Double) throws {
        for document in documents {
            for key in document.signingKeys {
                try OIDCSigningKey(issuer: key.issuer, kid: key.kid, jwk: key.jwk).save(in: tx)
            }
            for account in document.accounts {
                try tx.save(AccountRecord(id: account.id, alias: account.alias, createdAt: now))
                for key in account.rootAccessKeys {
                    try tx.save(AccessKeyRecord(
                        id: key.id, secret: key.secret, accountId: account.id, userId: nil, status: "Active", createdAt: now))
                }
                if let signIn = account.rootSignIn {
                    let hash = signIn.passwordHash ?? rootPasswordHashes.withLock { hashes in
                        if let made = hashes[account.id] { return made }
                        let made = PasswordHash.make(signIn.password ?? "")
                        hashes[account.id] = made
                        return made
                    }
                    try tx.save(RootSignInRecord(accountId: account.id, email: signIn.email, passwordHash: hash))
                }
            }
        }
        for (snapshot, _) in snapshots { try snapshot.insert(tx) }
    }
}
