import AWSShapes
import Foundation
import GRDB
import Hashing
import ServiceKit
import Storage

/// Virtual MFA devices: created with a TOTP seed (and its QR code), enabled
/// for a user by two consecutive codes, deactivated, resynced, deleted, tagged.
enum MFADevices {
    /// 40 bytes: a 64-character base32 seed, the length AWS hands out.
    static let seedLength = 40
    /// How far back (in 30-second steps) a pair of codes may start: clocks drift and people are slow.
    static let window: ClosedRange<Int64> = -10...1

    static func register(_ r: inout QueryService.Registrar) {
        r.register(IAMOperation.CreateVirtualMFADevice.self, access: .check { input, context in
            [AccessRequest(
                action: "iam:CreateVirtualMFADevice",
                resource: IAMArn.mfa(context.accountId, path: input.path ?? "/", name: input.virtualMFADeviceName),
                keys: IAMTags.requestKeys(input.tags))]
        }, handler: create)

        r.register(IAMOperation.EnableMFADevice.self, access: .check { input, context in
            [AccessRequest(action: "iam:EnableMFADevice", resource: try Resource.user(input.userName, context))]
        }) { input, context in
            try await context.store.write { db in
                let user = try Users.find(input.userName, context.accountId, db)
                var device = try find(input.serialNumber, context.accountId, db)
                if device.userId != nil { throw IAMError.mfaDeviceInUse }
                try verify(device, input.authenticationCode1, input.authenticationCode2, context.now)
                device.userId = user.id
                device.enabledAt = context.now.secondsSince1970
                try device.update(db)
                return EmptyShape()
            }
        }

        r.register(IAMOperation.ResyncMFADevice.self, access: .check { input, context in
            [AccessRequest(action: "iam:ResyncMFADevice", resource: try Resource.user(input.userName, context))]
        }) { input, context in
            try await context.store.read { db in
                let user = try Users.find(input.userName, context.accountId, db)
                let device = try find(input.serialNumber, context.accountId, db)
                guard device.userId == user.id else { throw IAMError.noSuchMFADevice(input.serialNumber) }
                // A TOTP device keeps no counter: resyncing is checking it still produces codes.
                try verify(device, input.authenticationCode1, input.authenticationCode2, context.now)
                return EmptyShape()
            }
        }

        r.register(IAMOperation.DeactivateMFADevice.self, access: .check { input, context in
            [AccessRequest(action: "iam:DeactivateMFADevice", resource: try Resource.userOrCaller(input.userName, context))]
        }) { input, context in
            try await context.store.write { db in
                let owner = try AccessKeys.target(input.userName, context, db)
                var device = try find(input.serialNumber, context.accountId, db)
                guard let assigned = device.userId, assigned == owner.userId else { throw IAMError.noSuchMFADevice(input.serialNumber) }
                device.userId = nil
                device.enabledAt = nil
                try device.update(db)
                return EmptyShape()
            }
        }

        r.register(IAMOperation.DeleteVirtualMFADevice.self, access: .check { input, _ in
            [AccessRequest(action: "iam:DeleteVirtualMFADevice", resource: input.serialNumber)]
        }) { input, context in
            try await context.store.write { db in
                let device = try find(input.serialNumber, context.accountId, db)
                if device.userId != nil { throw IAMError.mustDeactivateMFADevice }
                try IAMTags.removeAll(db, device.serialNumber)
                _ = try device.delete(db)
                return EmptyShape()
            }
        }

        r.register(IAMOperation.GetMFADevice.self, access: .check { input, context in
            [AccessRequest(action: "iam:GetMFADevice", resource: try Resource.userOrCaller(input.userName, context))]
        }) { input, context in
            try await context.store.read { db in
                let owner = try AccessKeys.target(input.userName, context, db)
                let device = try find(input.serialNumber, context.accountId, db)
                guard let assigned = device.userId, assigned == owner.userId else { throw IAMError.noSuchMFADevice(input.serialNumber) }
                return IAMShapes.GetMFADeviceResponse(
                    enableDate: device.enabledAt.map { Timestamp(secondsSince1970: $0) }, serialNumber: device.serialNumber,
                    userName: owner.name)
            }
        }

        r.register(IAMOperation.ListMFADevices.self, access: .check { input, context in
            [AccessRequest(action: "iam:ListMFADevices", resource: try Resource.userOrCaller(input.userName, context))]
        }) { input, context in
            try await context.store.read { db in
                let owner = try AccessKeys.target(input.userName, context, db)
                guard let userId = owner.userId else {
                    return IAMShapes.ListMFADevicesResponse(isTruncated: false, mfaDevices: [])
                }
                let devices = try MFADeviceRecord.fetchAll(
                    db, cached: "SELECT * FROM mfaDevice WHERE userId = ? ORDER BY enabledAt", arguments: [userId])
                let page = try Page(devices, marker: input.marker, maxItems: input.maxItems)
                return IAMShapes.ListMFADevicesResponse(
                    isTruncated: page.isTruncated,
                    mfaDevices: page.items.map {
                        IAMShapes.MFADevice(
                            enableDate: Timestamp(secondsSince1970: $0.enabledAt ?? $0.createdAt), serialNumber: $0.serialNumber,
                            userName: owner.name)
                    }, marker: page.marker)
            }
        }

        r.register(IAMOperation.ListVirtualMFADevices.self, access: .check { _, _ in
            [AccessRequest(action: "iam:ListVirtualMFADevices", resource: "*")]
        }) { input, context in
            try await context.store.read { db in
                let filter: String
                switch input.assignmentStatus {
                case "Assigned": filter = " AND userId IS NOT NULL"
                case "Unassigned": filter = " AND userId IS NULL"
                default: filter = ""
                }
                let devices = try MFADeviceRecord.fetchAll(
                    db, cached: "SELECT * FROM mfaDevice WHERE accountId = ? AND seed IS NOT NULL" + filter, arguments: [context.accountId]
                ).sortedByName(\.serialNumber)
                let page = try Page(devices, marker: input.marker, maxItems: input.maxItems)
                return IAMShapes.ListVirtualMFADevicesResponse(
                    isTruncated: page.isTruncated, marker: page.marker, virtualMFADevices: try page.items.map { try listed($0, db) })
            }
        }

        r.register(IAMOperation.TagMFADevice.self, access: .check { input, _ in
            [AccessRequest(action: "iam:TagMFADevice", resource: input.serialNumber, keys: IAMTags.requestKeys(input.tags))]
        }) { input, context in
            try await context.store.write { db in
                try IAMTags.apply(db, try find(input.serialNumber, context.accountId, db).serialNumber, input.tags)
                return EmptyShape()
            }
        }

        r.register(IAMOperation.UntagMFADevice.self, access: .check { input, _ in
            [AccessRequest(action: "iam:UntagMFADevice", resource: input.serialNumber, keys: ["aws:TagKeys": input.tagKeys])]
        }) { input, context in
            try await context.store.write { db in
                try IAMTags.remove(db, try find(input.serialNumber, context.accountId, db).serialNumber, keys: input.tagKeys)
                return EmptyShape()
            }
        }

        r.register(IAMOperation.ListMFADeviceTags.self, access: .check { input, _ in
            [AccessRequest(action: "iam:ListMFADeviceTags", resource: input.serialNumber)]
        }) { input, context in
            try await context.store.read { db in
                let device = try find(input.serialNumber, context.accountId, db)
                let page = try IAMTags.page(try IAMTags.load(db, device.serialNumber), marker: input.marker, maxItems: input.maxItems)
                return IAMShapes.ListMFADeviceTagsResponse(isTruncated: page.isTruncated, marker: page.marker, tags: page.items)
            }
        }
    }

    @Sendable
    static func create(
        _ input: IAMShapes.CreateVirtualMFADeviceRequest, _ context: OperationContext
    ) async throws -> IAMShapes.CreateVirtualMFADeviceResponse {
        let seed = context.ids.randomBytes(seedLength)
        let serial = IAMArn.mfa(context.accountId, path: input.path ?? "/", name: input.virtualMFADeviceName)
        let base32 = Base32.encode(seed)
        // The URI AWS documents for the QR code: the device name at the account.
        let uri = "otpauth://totp/\(input.virtualMFADeviceName)@\(context.accountId)?secret=\(base32)"
        let png = QRCode(bytes: Array(uri.utf8)).map { PNGImage.encode($0.modules) }
        return try await context.store.write { db in
            if try MFADeviceRecord.fetchOne(db, key: serial) != nil { throw IAMError.mfaDeviceExists }
            if let tags = input.tags { try IAMTags.validate(tags) }
            let device = MFADeviceRecord(
                serialNumber: serial, accountId: context.accountId, name: input.virtualMFADeviceName, path: input.path ?? "/",
                seed: Data(seed), createdAt: context.now.secondsSince1970)
            try device.insert(db)
            if let tags = input.tags { try IAMTags.apply(db, serial, tags) }
            let tags = try IAMTags.load(db, serial)
            return IAMShapes.CreateVirtualMFADeviceResponse(virtualMFADevice: IAMShapes.VirtualMFADevice(
                base32StringSeed: Array(base32.utf8), qrCodePNG: png, serialNumber: serial, tags: tags.isEmpty ? nil : tags))
        }
    }

    static func find(_ serial: String, _ account: String, _ db: Database) throws -> MFADeviceRecord {
        guard let device = try MFADeviceRecord.fetchOne(db, key: serial), device.accountId == account else {
            throw IAMError.noSuchMFADevice(serial)
        }
        return device
    }

    /// Two codes of consecutive time steps, the second within the window around now.
    static func verify(_ device: MFADeviceRecord, _ first: String, _ second: String, _ now: Timestamp) throws(AWSError) {
        guard let seed = device.seed.map(Array.init) else { throw IAMError.invalidAuthenticationCode }
        let current = TOTP.counter(at: now.secondsSince1970)
        for offset in window {
            let counter = current + offset
            if TOTP.code(seed: seed, counter: counter - 1) == first, TOTP.code(seed: seed, counter: counter) == second { return }
        }
        throw IAMError.invalidAuthenticationCode
    }

    /// ListVirtualMFADevices: the user and enable date once assigned, never the seed.
    static func listed(_ device: MFADeviceRecord, _ db: Database) throws -> IAMShapes.VirtualMFADevice {
        var shape = IAMShapes.VirtualMFADevice(serialNumber: device.serialNumber)
        if let userId = device.userId, let user = try UserRecord.fetchOne(db, key: userId) {
            shape.user = try Users.shape(user, db, full: false)
            shape.enableDate = device.enabledAt.map { Timestamp(secondsSince1970: $0) }
        }
        return shape
    }
}
