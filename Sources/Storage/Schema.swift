/// The database schema as a history of migrations.
///
/// A migration is never edited once it has shipped; changes are new
/// migrations. Raw table and column names only: the schema must not move when
/// a Swift type does. SQLite enforces what it can (keys, uniqueness with
/// IAM's case-insensitive names, cascades), so invariants hold even if a
/// handler forgets.
public enum Schema {
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1: accounts and IAM", migrate: v1)
        migrator.registerMigration("ecr-1: repositories, images and blobs", migrate: ecr1)
        migrator.registerMigration("sts-1: OpenID Connect signing keys", migrate: sts1)
        migrator.registerMigration("iam-2: credentials, providers and reports", migrate: iam2)
        migrator.registerMigration("ecr-2: scans, lifecycle previews, archiving, pull-through cache rules, creation templates", migrate: ecr2)
        migrator.registerMigration("iam-3: trust policy principals by unique id", migrate: iam3)
        migrator.registerMigration("iam-4: listing order indexes", migrate: iam4)
        migrator.registerMigration("iam-5: listing order indexes for users, groups and credentials", migrate: iam5)
        migrator.registerMigration("ecr-3: listing order indexes", migrate: ecr3)
        migrator.registerMigration("iam-6: listing order indexes for policies, instance profiles and providers", migrate: iam6)
        migrator.registerMigration("console-1: console sessions and root user sign-in", migrate: console1)
        migrator.registerMigration("console-2: a console session switched to a role, in a region", migrate: console2)
        migrator.registerMigration("lab-1: an instructor's learners", migrate: lab1)
        migrator.registerMigration("policy-usage-1: attachments by account", migrate: policyUsage1)
        migrator.registerMigration("ecr-replication-1: how each pushed image's replications ended", migrate: ecrReplication1)
        migrator.registerMigration("usage-1: services each user and role used, account preferences, access report jobs", migrate: usage1)
        migrator.registerMigration("access-analyzer-1: policy generation jobs", migrate: accessAnalyzer1)
        return migrator
    }

    private static func v1(_ db: Database) throws {
        try db.execute(sql: """
            CREATE TABLE account (
                id TEXT PRIMARY KEY NOT NULL,
                alias TEXT UNIQUE,
                createdAt REAL NOT NULL
            );

            -- Long-term keys: the root user's (userId NULL) and IAM users'.
            CREATE TABLE accessKey (
                id TEXT PRIMARY KEY NOT NULL,
                secret TEXT NOT NULL,
                accountId TEXT NOT NULL REFERENCES account(id) ON DELETE CASCADE,
                userId TEXT REFERENCES user(id) ON DELETE CASCADE,
                status TEXT NOT NULL,
                createdAt REAL NOT NULL,
                lastUsedAt REAL,
                lastUsedService TEXT,
                lastUsedRegion TEXT
            );
            CREATE INDEX accessKeyByUser ON accessKey(userId);

            CREATE TABLE user (
                id TEXT PRIMARY KEY NOT NULL,
                accountId TEXT NOT NULL REFERENCES account(id) ON DELETE CASCADE,
                name TEXT NOT NULL COLLATE NOCASE,
                path TEXT NOT NULL,
                createdAt REAL NOT NULL,
                permissionsBoundaryArn TEXT,
                passwordLastUsedAt REAL,
                UNIQUE (accountId, name)
            );

            CREATE TABLE role (
                id TEXT PRIMARY KEY NOT NULL,
                accountId TEXT NOT NULL REFERENCES account(id) ON DELETE CASCADE,
                name TEXT NOT NULL COLLATE NOCASE,
                path TEXT NOT NULL,
                trustPolicy TEXT NOT NULL,
                description TEXT,
                maxSessionDuration INTEGER NOT NULL,
                createdAt REAL NOT NULL,
                permissionsBoundaryArn TEXT,
                lastUsedAt REAL,
                lastUsedRegion TEXT,
                UNIQUE (accountId, name)
            );

            CREATE TABLE iamGroup (
                id TEXT PRIMARY KEY NOT NULL,
                accountId TEXT NOT NULL REFERENCES account(id) ON DELETE CASCADE,
                name TEXT NOT NULL COLLATE NOCASE,
                path TEXT NOT NULL,
                createdAt REAL NOT NULL,
                UNIQUE (accountId, name)
            );

            CREATE TABLE groupMembership (
                groupId TEXT NOT NULL REFERENCES iamGroup(id) ON DELETE CASCADE,
                userId TEXT NOT NULL REFERENCES user(id) ON DELETE CASCADE,
                addedAt REAL NOT NULL,
                PRIMARY KEY (groupId, userId)
            );
            CREATE INDEX groupMembershipByUser ON groupMembership(userId);

            -- Customer managed policies. AWS managed policies come from the seed
            -- catalog and are never rows here.
            CREATE TABLE managedPolicy (
                arn TEXT PRIMARY KEY NOT NULL,
                id TEXT NOT NULL UNIQUE,
                accountId TEXT NOT NULL REFERENCES account(id) ON DELETE CASCADE,
                name TEXT NOT NULL COLLATE NOCASE,
                path TEXT NOT NULL,
                description TEXT,
                defaultVersionId TEXT NOT NULL,
                nextVersionNumber INTEGER NOT NULL,
                createdAt REAL NOT NULL,
                updatedAt REAL NOT NULL,
                UNIQUE (accountId, name)
            );

            CREATE TABLE policyVersion (
                policyArn TEXT NOT NULL REFERENCES managedPolicy(arn) ON DELETE CASCADE,
                versionId TEXT NOT NULL,
                document TEXT NOT NULL,
                createdAt REAL NOT NULL,
                PRIMARY KEY (policyArn, versionId)
            );

            -- principalId is a user, role or group id; policyArn may name an AWS
            -- managed policy, so it has no foreign key.
            CREATE TABLE policyAttachment (
                principalId TEXT NOT NULL,
                principalType TEXT NOT NULL,
                accountId TEXT NOT NULL REFERENCES account(id) ON DELETE CASCADE,
                policyArn TEXT NOT NULL,
                attachedAt REAL NOT NULL,
                PRIMARY KEY (principalId, policyArn)
            );
            CREATE INDEX policyAttachmentByPolicy ON policyAttachment(policyArn);

            CREATE TABLE inlinePolicy (
                principalId TEXT NOT NULL,
                principalType TEXT NOT NULL,
                accountId TEXT NOT NULL REFERENCES account(id) ON DELETE CASCADE,
                name TEXT NOT NULL,
                document TEXT NOT NULL,
                PRIMARY KEY (principalId, name)
            );

            CREATE TABLE instanceProfile (
                id TEXT PRIMARY KEY NOT NULL,
                accountId TEXT NOT NULL REFERENCES account(id) ON DELETE CASCADE,
                name TEXT NOT NULL COLLATE NOCASE,
                path TEXT NOT NULL,
                createdAt REAL NOT NULL,
                UNIQUE (accountId, name)
            );

            CREATE TABLE instanceProfileRole (
                profileId TEXT NOT NULL REFERENCES instanceProfile(id) ON DELETE CASCADE,
                roleId TEXT NOT NULL REFERENCES role(id) ON DELETE CASCADE,
                PRIMARY KEY (profileId, roleId)
            );
            CREATE INDEX instanceProfileRoleByRole ON instanceProfileRole(roleId);

            -- Tags of any resource, by the resource's id (IAM) or ARN (ECR).
            CREATE TABLE tag (
                resourceId TEXT NOT NULL,
                key TEXT NOT NULL,
                value TEXT NOT NULL,
                PRIMARY KEY (resourceId, key)
            );

            CREATE TABLE loginProfile (
                userId TEXT PRIMARY KEY NOT NULL REFERENCES user(id) ON DELETE CASCADE,
                passwordHash TEXT NOT NULL,
                passwordResetRequired INTEGER NOT NULL,
                createdAt REAL NOT NULL
            );

            CREATE TABLE mfaDevice (
                serialNumber TEXT PRIMARY KEY NOT NULL,
                accountId TEXT NOT NULL REFERENCES account(id) ON DELETE CASCADE,
                name TEXT,
                path TEXT,
                seed BLOB,
                userId TEXT REFERENCES user(id) ON DELETE SET NULL,
                enabledAt REAL,
                createdAt REAL NOT NULL
            );

            CREATE TABLE sshPublicKey (
                id TEXT PRIMARY KEY NOT NULL,
                userId TEXT NOT NULL REFERENCES user(id) ON DELETE CASCADE,
                body TEXT NOT NULL,
                fingerprint TEXT NOT NULL,
                status TEXT NOT NULL,
                uploadedAt REAL NOT NULL
            );

            CREATE TABLE signingCertificate (
                id TEXT PRIMARY KEY NOT NULL,
                userId TEXT NOT NULL REFERENCES user(id) ON DELETE CASCADE,
                body TEXT NOT NULL,
                status TEXT NOT NULL,
                uploadedAt REAL NOT NULL
            );

            CREATE TABLE serverCertificate (
                id TEXT PRIMARY KEY NOT NULL,
                accountId TEXT NOT NULL REFERENCES account(id) ON DELETE CASCADE,
                name TEXT NOT NULL COLLATE NOCASE,
                path TEXT NOT NULL,
                body TEXT NOT NULL,
                chain TEXT,
                expiresAt REAL,
                uploadedAt REAL NOT NULL,
                UNIQUE (accountId, name)
            );

            CREATE TABLE oidcProvider (
                arn TEXT PRIMARY KEY NOT NULL,
                accountId TEXT NOT NULL REFERENCES account(id) ON DELETE CASCADE,
                url TEXT NOT NULL,
                clientIds TEXT NOT NULL,
                thumbprints TEXT NOT NULL,
                createdAt REAL NOT NULL
            );

            CREATE TABLE samlProvider (
                arn TEXT PRIMARY KEY NOT NULL,
                accountId TEXT NOT NULL REFERENCES account(id) ON DELETE CASCADE,
                name TEXT NOT NULL,
                metadata TEXT NOT NULL,
                createdAt REAL NOT NULL,
                validUntil REAL
            );

            CREATE TABLE passwordPolicy (
                accountId TEXT PRIMARY KEY NOT NULL REFERENCES account(id) ON DELETE CASCADE,
                document TEXT NOT NULL
            );

            -- Temporary credentials issued by STS.
            CREATE TABLE sessionCredential (
                accessKeyId TEXT PRIMARY KEY NOT NULL,
                secret TEXT NOT NULL,
                sessionToken TEXT NOT NULL UNIQUE,
                accountId TEXT NOT NULL REFERENCES account(id) ON DELETE CASCADE,
                kind TEXT NOT NULL,
                roleId TEXT REFERENCES role(id) ON DELETE CASCADE,
                userId TEXT REFERENCES user(id) ON DELETE CASCADE,
                sessionName TEXT,
                issuedAt REAL NOT NULL,
                expiresAt REAL NOT NULL,
                context TEXT NOT NULL
            );
            CREATE INDEX sessionCredentialByExpiry ON sessionCredential(expiresAt);
            """)
    }

    private static func ecr1(_ db: Database) throws {
        try db.execute(sql: """
            -- Repositories live per account and region.
            CREATE TABLE repository (
                arn TEXT PRIMARY KEY NOT NULL,
                accountId TEXT NOT NULL REFERENCES account(id) ON DELETE CASCADE,
                region TEXT NOT NULL,
                name TEXT NOT NULL,
                createdAt REAL NOT NULL,
                imageTagMutability TEXT NOT NULL,
                mutabilityExclusionFilters TEXT NOT NULL,
                scanOnPush INTEGER NOT NULL,
                encryptionType TEXT NOT NULL,
                kmsKey TEXT,
                policy TEXT,
                lifecyclePolicy TEXT,
                lifecyclePolicyUpdatedAt REAL,
                UNIQUE (accountId, region, name)
            );

            -- Content-addressed blob files (blobs/sha256/HEX), shared by every repository.
            CREATE TABLE blob (
                digest TEXT PRIMARY KEY NOT NULL,
                size INTEGER NOT NULL,
                createdAt REAL NOT NULL
            );

            -- Which blobs a repository holds (ECR checks layers per repository).
            CREATE TABLE repositoryBlob (
                repositoryArn TEXT NOT NULL REFERENCES repository(arn) ON DELETE CASCADE,
                digest TEXT NOT NULL REFERENCES blob(digest),
                mediaType TEXT,
                addedAt REAL NOT NULL,
                PRIMARY KEY (repositoryArn, digest)
            );
            CREATE INDEX repositoryBlobByDigest ON repositoryBlob(digest);

            -- Uploads in progress: bytes received so far live in uploads/ID.
            CREATE TABLE layerUpload (
                id TEXT PRIMARY KEY NOT NULL,
                repositoryArn TEXT NOT NULL REFERENCES repository(arn) ON DELETE CASCADE,
                size INTEGER NOT NULL,
                createdAt REAL NOT NULL,
                updatedAt REAL NOT NULL
            );

            CREATE TABLE image (
                repositoryArn TEXT NOT NULL REFERENCES repository(arn) ON DELETE CASCADE,
                digest TEXT NOT NULL,
                manifest BLOB NOT NULL,
                mediaType TEXT NOT NULL,
                artifactMediaType TEXT,
                size INTEGER,
                subjectDigest TEXT,
                pushedAt REAL NOT NULL,
                lastPulledAt REAL,
                PRIMARY KEY (repositoryArn, digest)
            );

            CREATE TABLE imageTag (
                repositoryArn TEXT NOT NULL,
                tag TEXT NOT NULL,
                digest TEXT NOT NULL,
                PRIMARY KEY (repositoryArn, tag),
                FOREIGN KEY (repositoryArn, digest) REFERENCES image(repositoryArn, digest) ON DELETE CASCADE
            );
            CREATE INDEX imageTagByDigest ON imageTag(repositoryArn, digest);

            -- Manifest lists and indexes point at other images of the repository.
            CREATE TABLE imageReference (
                repositoryArn TEXT NOT NULL,
                parentDigest TEXT NOT NULL,
                childDigest TEXT NOT NULL,
                PRIMARY KEY (repositoryArn, parentDigest, childDigest),
                FOREIGN KEY (repositoryArn, parentDigest) REFERENCES image(repositoryArn, digest) ON DELETE CASCADE
            );
            CREATE INDEX imageReferenceByChild ON imageReference(repositoryArn, childDigest);

            -- Registry-wide settings per account and region: policy, scanning,
            -- replication, account settings… (JSON documents by key).
            CREATE TABLE registrySetting (
                accountId TEXT NOT NULL REFERENCES account(id) ON DELETE CASCADE,
                region TEXT NOT NULL,
                key TEXT NOT NULL,
                value TEXT NOT NULL,
                PRIMARY KEY (accountId, region, key)
            );

            -- Secrets the server signs with (registry tokens, download URLs).
            CREATE TABLE serverSecret (
                name TEXT PRIMARY KEY NOT NULL,
                value BLOB NOT NULL
            );
            """)
    }

    private static func sts1(_ db: Database) throws {
        try db.execute(sql: """
            -- Keys the operator registers for an OpenID Connect issuer (offline:
            -- nothing is fetched from the issuer's JWKS endpoint).
            CREATE TABLE oidcSigningKey (
                issuer TEXT NOT NULL,
                kid TEXT NOT NULL,
                jwk TEXT NOT NULL,
                PRIMARY KEY (issuer, kid)
            );
            """)
    }

    /// What the rest of IAM needs beyond v1: password history and change
    /// dates, service-specific credentials, the credential report,
    /// service-linked role deletion tasks, and SAML providers' newer fields.
    private static func iam2(_ db: Database) throws {
        try db.execute(sql: """
            ALTER TABLE loginProfile ADD COLUMN passwordChangedAt REAL;

            -- Earlier password hashes, for the password policy's PasswordReusePrevention.
            CREATE TABLE passwordHistory (
                userId TEXT NOT NULL REFERENCES user(id) ON DELETE CASCADE,
                passwordHash TEXT NOT NULL,
                changedAt REAL NOT NULL
            );
            CREATE INDEX passwordHistoryByUser ON passwordHistory(userId, changedAt);

            CREATE TABLE serviceSpecificCredential (
                id TEXT PRIMARY KEY NOT NULL,
                accountId TEXT NOT NULL REFERENCES account(id) ON DELETE CASCADE,
                userId TEXT NOT NULL REFERENCES user(id) ON DELETE CASCADE,
                serviceName TEXT NOT NULL,
                serviceUserName TEXT,
                credentialAlias TEXT,
                secretHash TEXT NOT NULL,
                status TEXT NOT NULL,
                createdAt REAL NOT NULL,
                expiresAt REAL
            );
            CREATE INDEX serviceSpecificCredentialByUser ON serviceSpecificCredential(userId);

            -- One credential report per account: its state and, once complete, its CSV.
            CREATE TABLE credentialReport (
                accountId TEXT PRIMARY KEY NOT NULL REFERENCES account(id) ON DELETE CASCADE,
                state TEXT NOT NULL,
                requestedAt REAL NOT NULL,
                generatedAt REAL,
                content BLOB
            );

            CREATE TABLE serviceLinkedRoleDeletion (
                taskId TEXT PRIMARY KEY NOT NULL,
                accountId TEXT NOT NULL REFERENCES account(id) ON DELETE CASCADE,
                roleName TEXT NOT NULL,
                status TEXT NOT NULL,
                createdAt REAL NOT NULL
            );

            ALTER TABLE samlProvider ADD COLUMN uuid TEXT;
            ALTER TABLE samlProvider ADD COLUMN assertionEncryptionMode TEXT;
            -- JSON list of {keyId, timestamp, pem}: the SP private keys that decrypt assertions.
            ALTER TABLE samlProvider ADD COLUMN privateKeys TEXT;
            """)
    }

    private static func ecr2(_ db: Database) throws {
        try db.execute(sql: """
            -- When the lifecycle policy last ran (GetLifecyclePolicy's lastEvaluatedAt).
            ALTER TABLE repository ADD COLUMN lifecycleEvaluatedAt REAL;

            -- Archiving (UpdateImageStorageClass, lifecycle transitions).
            ALTER TABLE image ADD COLUMN storageClass TEXT NOT NULL DEFAULT 'STANDARD';
            ALTER TABLE image ADD COLUMN archivedAt REAL;
            ALTER TABLE image ADD COLUMN activatedAt REAL;

            -- The last scan asked for per image (StartImageScan, scan on push).
            CREATE TABLE imageScan (
                repositoryArn TEXT NOT NULL,
                digest TEXT NOT NULL,
                status TEXT NOT NULL,
                description TEXT,
                startedAt REAL NOT NULL,
                PRIMARY KEY (repositoryArn, digest),
                FOREIGN KEY (repositoryArn, digest) REFERENCES image(repositoryArn, digest) ON DELETE CASCADE
            );

            -- The last lifecycle policy preview of a repository: the policy it
            -- ran and what it found (JSON), a snapshot taken when it started.
            CREATE TABLE lifecyclePreview (
                repositoryArn TEXT PRIMARY KEY NOT NULL REFERENCES repository(arn) ON DELETE CASCADE,
                policy TEXT NOT NULL,
                results TEXT NOT NULL,
                startedAt REAL NOT NULL
            );

            CREATE TABLE pullThroughCacheRule (
                accountId TEXT NOT NULL REFERENCES account(id) ON DELETE CASCADE,
                region TEXT NOT NULL,
                ecrRepositoryPrefix TEXT NOT NULL,
                upstreamRegistryUrl TEXT NOT NULL,
                upstreamRegistry TEXT,
                upstreamRepositoryPrefix TEXT,
                credentialArn TEXT,
                customRoleArn TEXT,
                createdAt REAL NOT NULL,
                updatedAt REAL NOT NULL,
                PRIMARY KEY (accountId, region, ecrRepositoryPrefix)
            );

            -- Repository creation templates; `document` is the template as
            -- ECR returns it (JSON), without its prefix and dates.
            CREATE TABLE repositoryCreationTemplate (
                accountId TEXT NOT NULL REFERENCES account(id) ON DELETE CASCADE,
                region TEXT NOT NULL,
                prefix TEXT NOT NULL,
                document TEXT NOT NULL,
                createdAt REAL NOT NULL,
                updatedAt REAL NOT NULL,
                PRIMARY KEY (accountId, region, prefix)
            );

            CREATE TABLE pullTimeUpdateExclusion (
                accountId TEXT NOT NULL REFERENCES account(id) ON DELETE CASCADE,
                region TEXT NOT NULL,
                principalArn TEXT NOT NULL,
                createdAt REAL NOT NULL,
                PRIMARY KEY (accountId, region, principalArn)
            );
            """)
    }

    /// IAM keeps the users and roles a trust policy names by unique id: the
    /// ids they had when the policy was written, as a JSON object ARN → id.
    private static func iam3(_ db: Database) throws {
        try db.execute(sql: "ALTER TABLE role ADD COLUMN trustPrincipalIds TEXT")
    }

    /// IAM lists entities by name ignoring case, then exactly: indexes in
    /// that order let a page be read from where the last one stopped
    /// (keyset paging) instead of sorting the whole account per page.
    private static func iam4(_ db: Database) throws {
        try db.execute(sql: """
            CREATE INDEX roleByListingName ON role(accountId, lower(name), name);
            """)
    }

    /// Keyset paging for users and groups (by name, as `roleByListingName`),
    /// virtual MFA devices (by serial number, the same way), and the
    /// credentials IAM lists oldest first, per owner (the id or serial number
    /// breaks ties between credentials of the same instant).
    private static func iam5(_ db: Database) throws {
        try db.execute(sql: """
            CREATE INDEX userByListingName ON user(accountId, lower(name), name);
            CREATE INDEX groupByListingName ON iamGroup(accountId, lower(name), name);
            CREATE INDEX accessKeyByOwner ON accessKey(accountId, userId, createdAt, id);
            CREATE INDEX mfaDeviceByListingSerial ON mfaDevice(accountId, lower(serialNumber), serialNumber);
            CREATE INDEX mfaDeviceByUser ON mfaDevice(userId, enabledAt, serialNumber);
            CREATE INDEX sshPublicKeyByUser ON sshPublicKey(userId, uploadedAt, id);
            CREATE INDEX signingCertificateByUser ON signingCertificate(userId, uploadedAt, id);
            CREATE INDEX serviceSpecificCredentialByAccount ON serviceSpecificCredential(accountId, createdAt, id);
            CREATE INDEX serviceSpecificCredentialByUserAge ON serviceSpecificCredential(userId, createdAt, id);
            """)
    }

    /// ECR lists by exact keys (repositories by name, images by digest) that
    /// primary keys and unique constraints already order; these cover the two
    /// lists they do not, ListImages' (digest, tag) pairs and ListImageReferrers'
    /// images of one subject, so a page is read from where the last one stopped.
    private static func ecr3(_ db: Database) throws {
        try db.execute(sql: """
            CREATE INDEX imageTagByListing ON imageTag(repositoryArn, digest, tag);
            CREATE INDEX imageBySubject ON image(repositoryArn, subjectDigest, digest);
            """)
    }

    /// Keyset paging for the lists of policies, instance profiles, server
    /// certificates and inline policies (IAM's order: name ignoring case, then
    /// exactly); providers by account in ARN order; and the users and roles
    /// that have a policy as their permissions boundary, which ListPolicies
    /// and DeletePolicy count per policy.
    private static func iam6(_ db: Database) throws {
        try db.execute(sql: """
            CREATE INDEX managedPolicyByListingName ON managedPolicy(accountId, lower(name), name);
            CREATE INDEX instanceProfileByListingName ON instanceProfile(accountId, lower(name), name);
            CREATE INDEX serverCertificateByListingName ON serverCertificate(accountId, lower(name), name);
            CREATE INDEX inlinePolicyByListingName ON inlinePolicy(principalId, lower(name), name);
            CREATE INDEX oidcProviderByAccount ON oidcProvider(accountId, arn);
            CREATE INDEX samlProviderByAccount ON samlProvider(accountId, arn);
            CREATE INDEX roleByPermissionsBoundary ON role(permissionsBoundaryArn, accountId) WHERE permissionsBoundaryArn IS NOT NULL;
            CREATE INDEX userByPermissionsBoundary ON user(permissionsBoundaryArn, accountId) WHERE permissionsBoundaryArn IS NOT NULL;
            """)
    }

    /// The web console: sessions (by the hash of the cookie's token, ended
    /// with the principal they belong to) and each account's root user
    /// sign-in (email and password hash, from the seed).
    private static func console1(_ db: Database) throws {
        try db.execute(sql: """
            CREATE TABLE consoleSession (
                tokenHash TEXT PRIMARY KEY NOT NULL,
                accountId TEXT NOT NULL REFERENCES account(id) ON DELETE CASCADE,
                userId TEXT REFERENCES user(id) ON DELETE CASCADE,
                csrfToken TEXT NOT NULL,
                mfaAuthenticated INTEGER NOT NULL DEFAULT 0,
                createdAt REAL NOT NULL,
                expiresAt REAL NOT NULL
            );
            CREATE INDEX consoleSessionByExpiry ON consoleSession(expiresAt);
            CREATE TABLE rootSignIn (
                accountId TEXT PRIMARY KEY NOT NULL REFERENCES account(id) ON DELETE CASCADE,
                email TEXT NOT NULL UNIQUE COLLATE NOCASE,
                passwordHash TEXT NOT NULL
            );
            """)
    }

    private static func console2(_ db: Database) throws {
        try db.execute(sql: """
            ALTER TABLE consoleSession ADD COLUMN switchedAccessKeyId TEXT;
            ALTER TABLE consoleSession ADD COLUMN switchedDisplayName TEXT;
            ALTER TABLE consoleSession ADD COLUMN switchedColor TEXT;
            ALTER TABLE consoleSession ADD COLUMN region TEXT;
            """)
    }

    private static func lab1(_ db: Database) throws {
        try db.execute(sql: """
            CREATE TABLE labLearner (
                name TEXT PRIMARY KEY NOT NULL,
                accountId TEXT NOT NULL UNIQUE,
                userName TEXT NOT NULL,
                password TEXT NOT NULL,
                accessKeyId TEXT NOT NULL,
                secretAccessKey TEXT NOT NULL,
                seed TEXT NOT NULL,
                createdAt REAL NOT NULL
            );
            """)
    }

    /// ListPolicies counts a page's usage from the account's attachments at once.
    private static func policyUsage1(_ db: Database) throws {
        try db.execute(sql: "CREATE INDEX policyAttachmentByAccount ON policyAttachment(accountId, policyArn)")
    }

    private static func ecrReplication1(_ db: Database) throws {
        try db.execute(sql: """
            -- Per image and destination registry (account, region): how the push's replication ended.
            CREATE TABLE imageReplication (
                repositoryArn TEXT NOT NULL,
                digest TEXT NOT NULL,
                registryId TEXT NOT NULL,
                region TEXT NOT NULL,
                status TEXT NOT NULL,
                failureCode TEXT,
                PRIMARY KEY (repositoryArn, digest, registryId, region),
                FOREIGN KEY (repositoryArn, digest) REFERENCES image(repositoryArn, digest) ON DELETE CASCADE
            );
            """)
    }

    /// What each IAM user and role was authenticated to (service and action,
    /// last time and region: the service last accessed reports), each
    /// account's STS and outbound federation preferences, and the service
    /// last accessed jobs with the report each produced. A usage row goes
    /// with its user or role.
    private static func usage1(_ db: Database) throws {
        try db.execute(sql: """
            CREATE TABLE serviceAccess (
                entityId TEXT NOT NULL,
                accountId TEXT NOT NULL REFERENCES account(id) ON DELETE CASCADE,
                service TEXT NOT NULL,
                action TEXT NOT NULL,
                lastAt REAL NOT NULL,
                region TEXT NOT NULL,
                PRIMARY KEY (entityId, service, action)
            );
            CREATE TRIGGER serviceAccessOfUser AFTER DELETE ON user BEGIN
                DELETE FROM serviceAccess WHERE entityId = OLD.id;
            END;
            CREATE TRIGGER serviceAccessOfRole AFTER DELETE ON role BEGIN
                DELETE FROM serviceAccess WHERE entityId = OLD.id;
            END;

            CREATE TABLE accountPreference (
                accountId TEXT PRIMARY KEY NOT NULL REFERENCES account(id) ON DELETE CASCADE,
                globalEndpointTokenVersion TEXT,
                outboundIssuer TEXT,
                outboundEnabled INTEGER NOT NULL DEFAULT 0
            );

            CREATE TABLE accessReportJob (
                id TEXT PRIMARY KEY NOT NULL,
                accountId TEXT NOT NULL REFERENCES account(id) ON DELETE CASCADE,
                arn TEXT NOT NULL,
                granularity TEXT NOT NULL,
                createdAt REAL NOT NULL,
                report TEXT NOT NULL
            );
            """)
    }

    private static func accessAnalyzer1(_ db: Database) throws {
        try db.execute(sql: """
            CREATE TABLE policyGeneration (
                jobId TEXT PRIMARY KEY NOT NULL,
                accountId TEXT NOT NULL REFERENCES account(id) ON DELETE CASCADE,
                principalArn TEXT NOT NULL,
                status TEXT NOT NULL,
                startedOn REAL NOT NULL,
                completedOn REAL,
                clientToken TEXT,
                cloudTrail TEXT,
                calls TEXT NOT NULL,
                errorCode TEXT,
                errorMessage TEXT
            );
            CREATE INDEX policyGenerationByStart ON policyGeneration(accountId, startedOn);
            """)
    }
}

extension Schema {
    /// The columns of every table the migrations make, by table: read once
    /// from a scratch in-memory database (snapshots check rows against them).
    public static func tableColumns() throws -> [String: [Database.ColumnInfo]] {
        try scratchColumns.get()
    }

    private static let scratchColumns = Result {
        let scratch = try DatabasePool()
        try migrator.migrate(scratch)
        return try scratch.read { db in
            var tables: [String: [Database.ColumnInfo]] = [:]
            for table in try String.fetchAll(db, sql: "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'") {
                tables[table] = try db.columns(in: table)
            }
            return tables
        }
    }
}
