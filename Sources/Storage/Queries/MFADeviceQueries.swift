// The queries of MFA devices, beside their record.

extension MFADeviceRecord: TrackedRecord {
    /// The device (its tags are kept under its serial number) and the user it is assigned to.
    public var dependencies: [Dependency] {
        [.resource(serialNumber)] + (userId.map { [.principal($0)] } ?? [])
    }

    /// Assigns the device to a user at `time`, or unassigns it (nil): the
    /// user it leaves changes as much as the one it joins.
    public static func assign(_ device: MFADeviceRecord, to userId: String?, at time: Double?, in tx: Transaction) throws {
        if let previous = device.userId { tx.touch(.principal(previous)) }
        var changed = device
        changed.userId = userId
        changed.enabledAt = time
        try tx.update(changed)
    }

    /// One page of the devices assigned to a user, in the order they were
    /// enabled, after the device enabled at `after.time` with serial number
    /// `after.id`. At most `limit` + 1.
    public static func page(
        assignedTo userId: String, after position: (time: Double, id: String)?, limit: Int, in tx: Transaction
    ) throws -> [MFADeviceRecord] {
        guard let position else {
            return try MFADeviceRecord.fetchAll(tx.db, cached: """
                SELECT * FROM mfaDevice INDEXED BY mfaDeviceByUser WHERE userId = ? ORDER BY enabledAt, serialNumber LIMIT ?
                """, arguments: [userId, limit + 1])
        }
        return try MFADeviceRecord.fetchAll(tx.db, cached: """
            SELECT * FROM mfaDevice INDEXED BY mfaDeviceByUser WHERE userId = ? AND (enabledAt, serialNumber) > (?, ?)
            ORDER BY enabledAt, serialNumber LIMIT ?
            """, arguments: [userId, position.time, position.id, limit + 1])
    }

    /// One page of the account's virtual devices (assigned ones only, unassigned
    /// ones only, or all: nil), by serial number ignoring case, then exactly,
    /// after `serial`: keyset paging on `mfaDeviceByListingSerial`. At most `limit` + 1.
    public static func virtualPage(
        account: String, assigned: Bool?, after serial: String?, limit: Int, in tx: Transaction
    ) throws -> [MFADeviceRecord] {
        // 0: any, 1: assigned only, 2: unassigned only.
        let filter = assigned.map { $0 ? 1 : 2 } ?? 0
        guard let serial else {
            return try MFADeviceRecord.fetchAll(tx.db, cached: """
                SELECT * FROM mfaDevice INDEXED BY mfaDeviceByListingSerial
                WHERE accountId = ? AND seed IS NOT NULL AND (? = 0 OR (userId IS NOT NULL) = (? = 1))
                ORDER BY lower(serialNumber), serialNumber LIMIT ?
                """, arguments: [account, filter, filter, limit + 1])
        }
        return try MFADeviceRecord.fetchAll(tx.db, cached: """
            SELECT * FROM mfaDevice INDEXED BY mfaDeviceByListingSerial
            WHERE accountId = ? AND lower(serialNumber) >= lower(?) AND (lower(serialNumber), serialNumber) > (lower(?), ?)
              AND seed IS NOT NULL AND (? = 0 OR (userId IS NOT NULL) = (? = 1))
            ORDER BY lower(serialNumber), serialNumber LIMIT ?
            """, arguments: [account, serial, serial, serial, filter, filter, limit + 1])
    }

    /// How many devices are assigned to the user.
    public static func count(assignedTo userId: String, in tx: Transaction) throws -> Int {
        try Int.fetchOne(tx.db, cached: "SELECT count(*) FROM mfaDevice WHERE userId = ?", arguments: [userId]) ?? 0
    }
}
