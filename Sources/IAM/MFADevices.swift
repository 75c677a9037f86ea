import AWSShapes
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
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
        r.register(
            IAMOperation.CreateVirtualMFADevice.self,
            .transaction(
                .write,
                target: { input, context, _ in
                    ResourceARN(IAMArn.mfa(context.accountId, path: input.path ?? "/", name: input.virtualMFADeviceName))
                },
                keys: { IAMTags.requestKeys($0.tags) }, act: create))
        r.register(IAMOperation.EnableMFADevice.self, .transaction(.write, target: UserTarget.named { $0.userName }, act: enable))
        r.register(IAMOperation.ResyncMFADevice.self, .transaction(.read, target: UserTarget.named { $0.userName }, act: resync))
        r.register(
            IAMOperation.DeactivateMFADevice.self, .transaction(.write, target: UserTarget.orCaller { $0.userName }, act: deactivate))
        r.register(
            IAMOperation.DeleteVirtualMFADevice.self,
            .transaction(.write, target: { input, context, tx in try MFADeviceTarget(input.serialNumber, context, tx) }, act: delete))
        r.register(IAMOperation.GetMFADevice.self, .transaction(.read, target: UserTarget.orCaller { $0.userName }, act: get))
        r.register(IAMOperation.ListMFADevices.self, .transaction(.read, target: UserTarget.orCaller { $0.userName }, act: list))
        r.register(IAMOperation.ListVirtualMFADevices.self, .transaction(.read, target: ListingTarget.fixed("mfa/"), act: listVirtual))
        IAMTagging.register(
            IAMOperation.TagMFADevice.self, IAMOperation.UntagMFADevice.self, IAMOperation.ListMFADeviceTags.self, on: MFADeviceTarget.self,
            &r)
    }

    // MARK: - Operations

    static func create(
        _ input: IAMShapes.CreateVirtualMFADeviceRequest, _ target: ResourceARN, _ context: OperationContext, _ tx: Transaction
    ) throws -> IAMShapes.CreateVirtualMFADeviceResponse {
        let seed = context.ids.randomBytes(seedLength)
        let serial = IAMArn.mfa(context.accountId, path: input.path ?? "/", name: input.virtualMFADeviceName)
        let base32 = Base32.encode(seed)
        // The URI AWS documents for the QR code: the device name at the account.
        let uri = "otpauth://totp/\(input.virtualMFADeviceName)@\(context.accountId)?secret=\(base32)"
        let png = QRCode(bytes: Array(uri.utf8)).map { PNGImage.encode($0.modules) }
        if try tx.fetch(MFADeviceRecord.self, key: serial) != nil { throw IAMError.mfaDeviceExists }
        if let tags = input.tags { try IAMTags.validate(tags) }
        let device = MFADeviceRecord(
            serialNumber: serial, accountId: context.accountId, name: input.virtualMFADeviceName, path: input.path ?? "/",
            seed: Data(seed), createdAt: context.now.secondsSince1970)
        try tx.insert(device)
        if let tags = input.tags { try IAMTags.apply(tx, serial, tags) }
        return IAMShapes.CreateVirtualMFADeviceResponse(virtualMFADevice: IAMShapes.VirtualMFADevice(
            base32StringSeed: Array(base32.utf8), qrCodePNG: png, serialNumber: serial, tags: IAMTags.echoed(input.tags)))
    }

    static func enable(_ input: IAMShapes.EnableMFADeviceRequest, _ target: UserTarget, _ context: OperationContext, _ tx: Transaction)
        throws -> EmptyShape
    {
        let user = try target.existing()
        let device = try find(input.serialNumber, context, tx)
        if device.userId != nil { throw IAMError.mfaDeviceInUse }
        try verify(device, input.authenticationCode1, input.authenticationCode2, context.now)
        try MFADeviceRecord.assign(device, to: user.id, at: context.now.secondsSince1970, in: tx)
        return EmptyShape()
    }

    /// A TOTP device keeps no counter: resyncing is checking it still produces codes.
    static func resync(_ input: IAMShapes.ResyncMFADeviceRequest, _ target: UserTarget, _ context: OperationContext, _ tx: Transaction)
        throws -> EmptyShape
    {
        let user = try target.existing()
        let device = try find(input.serialNumber, context, tx)
        guard device.userId == user.id else { throw IAMError.noSuchMFADevice(input.serialNumber) }
        try verify(device, input.authenticationCode1, input.authenticationCode2, context.now)
        return EmptyShape()
    }

    static func deactivate(
        _ input: IAMShapes.DeactivateMFADeviceRequest, _ target: UserTarget, _ context: OperationContext, _ tx: Transaction
    ) throws -> EmptyShape {
        let owner = try AccessKeys.owner(input.userName, target, context)
        let device = try find(input.serialNumber, context, tx)
        guard let assigned = device.userId, assigned == owner.userId else { throw IAMError.noSuchMFADevice(input.serialNumber) }
        try MFADeviceRecord.assign(device, to: nil, at: nil, in: tx)
        return EmptyShape()
    }

    static func delete(
        _ input: IAMShapes.DeleteVirtualMFADeviceRequest, _ target: MFADeviceTarget, _ context: OperationContext, _ tx: Transaction
    ) throws -> EmptyShape {
        let device = try target.existing()
        if device.userId != nil { throw IAMError.mustDeactivateMFADevice }
        try IAMTags.removeAll(tx, device.serialNumber)
        try tx.delete(device)
        return EmptyShape()
    }

    static func get(_ input: IAMShapes.GetMFADeviceRequest, _ target: UserTarget, _ context: OperationContext, _ tx: Transaction)
        throws -> IAMShapes.GetMFADeviceResponse
    {
        let owner = try AccessKeys.owner(input.userName, target, context)
        let device = try find(input.serialNumber, context, tx)
        guard let assigned = device.userId, assigned == owner.userId else { throw IAMError.noSuchMFADevice(input.serialNumber) }
        return IAMShapes.GetMFADeviceResponse(
            enableDate: device.enabledAt.map { Timestamp(secondsSince1970: $0) }, serialNumber: device.serialNumber,
            userName: owner.name)
    }

    /// The owner's devices, in the order they were enabled.
    static func list(_ input: IAMShapes.ListMFADevicesRequest, _ target: UserTarget, _ context: OperationContext, _ tx: Transaction)
        throws -> IAMShapes.ListMFADevicesResponse
    {
        let owner = try AccessKeys.owner(input.userName, target, context)
        guard let userId = owner.userId else {
            return IAMShapes.ListMFADevicesResponse(isTruncated: false, mfaDevices: [])
        }
        let page = try KeysetPage(marker: input.marker, maxItems: input.maxItems) { after, limit in
            try MFADeviceRecord.page(assignedTo: userId, after: try after.map(AgePosition.init)?.key, limit: limit, in: tx)
        } position: {
            // An assigned device always has its enable date.
            AgePosition($0.enabledAt ?? $0.createdAt, $0.serialNumber).text
        }
        return IAMShapes.ListMFADevicesResponse(
            isTruncated: page.isTruncated,
            mfaDevices: page.items.map {
                IAMShapes.MFADevice(
                    enableDate: Timestamp(secondsSince1970: $0.enabledAt ?? $0.createdAt), serialNumber: $0.serialNumber,
                    userName: owner.name)
            }, marker: page.marker)
    }

    /// The account's virtual devices by serial number, ignoring case.
    static func listVirtual(
        _ input: IAMShapes.ListVirtualMFADevicesRequest, _ target: ListingTarget, _ context: OperationContext, _ tx: Transaction
    ) throws -> IAMShapes.ListVirtualMFADevicesResponse {
        let assigned: Bool?
        switch input.assignmentStatus {
        case "Assigned": assigned = true
        case "Unassigned": assigned = false
        default: assigned = nil
        }
        let page = try KeysetPage(marker: input.marker, maxItems: input.maxItems) { after, limit in
            try MFADeviceRecord.virtualPage(account: context.accountId, assigned: assigned, after: after, limit: limit, in: tx)
        } position: { $0.serialNumber }
        return IAMShapes.ListVirtualMFADevicesResponse(
            isTruncated: page.isTruncated, marker: page.marker, virtualMFADevices: try page.items.map { try listed($0, tx) })
    }

    // MARK: - Lookup and shapes

    static func find(_ serial: String, _ context: OperationContext, _ tx: Transaction) throws -> MFADeviceRecord {
        guard let device = try tx.fetch(MFADeviceRecord.self, key: serial), device.accountId == context.accountId else {
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
    static func listed(_ device: MFADeviceRecord, _ tx: Transaction) throws -> IAMShapes.VirtualMFADevice {
        var shape = IAMShapes.VirtualMFADevice(serialNumber: device.serialNumber)
        if let userId = device.userId, let user = try tx.fetch(UserRecord.self, key: userId) {
            shape.user = Users.listed(user)
            shape.enableDate = device.enabledAt.map { Timestamp(secondsSince1970: $0) }
        }
        return shape
    }
}

/// An MFA device named by serial number, loaded in its transaction: authorized
/// on the serial number exactly as given (the authorizer knows nothing more of
/// devices), acted on if the account has it.
struct MFADeviceTarget: IAMTaggable {
    let serialNumber: String
    let device: MFADeviceRecord?

    init(_ serialNumber: String, _ context: OperationContext, _ tx: Transaction) throws {
        self.serialNumber = serialNumber
        device = try tx.fetch(MFADeviceRecord.self, key: serialNumber).flatMap { $0.accountId == context.accountId ? $0 : nil }
    }

    var resource: String { serialNumber }
    var facts: ResourceFacts { .loaded(nil) }

    func existing() throws -> MFADeviceRecord {
        guard let device else { throw IAMError.noSuchMFADevice(serialNumber) }
        return device
    }

    /// Tags are kept under the serial number.
    var taggedId: String { get throws { try existing().serialNumber } }
}

extension IAMShapes.TagMFADeviceRequest: TagRequest {
    func target(_ context: OperationContext, _ tx: Transaction) throws -> MFADeviceTarget { try MFADeviceTarget(serialNumber, context, tx) }
}
extension IAMShapes.UntagMFADeviceRequest: UntagRequest {
    func target(_ context: OperationContext, _ tx: Transaction) throws -> MFADeviceTarget { try MFADeviceTarget(serialNumber, context, tx) }
}
extension IAMShapes.ListMFADeviceTagsRequest: ListTagsRequest {
    func target(_ context: OperationContext, _ tx: Transaction) throws -> MFADeviceTarget { try MFADeviceTarget(serialNumber, context, tx) }
}
extension IAMShapes.ListMFADeviceTagsResponse: ListTagsResponse {}
