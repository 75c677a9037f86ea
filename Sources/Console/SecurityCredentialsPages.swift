import AWSShapes
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// A user's Security credentials tab: console sign-in, MFA devices, access
/// keys, SSH public keys and signing certificates. Secrets (a new access
/// key's secret, an MFA seed, a generated password) appear only in the
/// response to the POST that made them; the console keeps none of them.
extension ConsoleApp {
    func securityCredentialsTab(
        _ user: IAMShapes.User, profile: IAMShapes.LoginProfile?, mfa: [IAMShapes.MFADevice], keys: [IAMShapes.AccessKeyMetadata],
        _ request: Request
    ) async -> HTML {
        let name = user.userName ?? ""
        let base = Self.userPath(name)
        let token = Self.token(request)
        let consoleButtons: HTML = profile == nil
            ? "<a class=\"button\" href=\"\(base)/console-access\">Enable console access</a>"
            : """
              <form method="post" action="\(base)/console-access/disable">\(token)<button type="submit">Disable console access</button></form>\
              <a class="button" href="\(base)/console-access">Manage console access</a>
              """
        let mfaRows: [HTML] = mfa.map { device in
            let virtual = device.serialNumber.contains(":mfa/")
            return """
                <tr><td>\(virtual ? "Virtual" : "Hardware")</td><td>\(device.serialNumber)</td><td>\(device.enableDate.description)</td>\
                <td><form method="post" action="\(base)/mfa/remove">\(token)<input type="hidden" name="SerialNumber" value="\(device.serialNumber)">\
                <button type="submit" aria-label="Remove \(device.serialNumber)">Remove</button></form></td></tr>
                """
        }
        var keyRows: [HTML] = []
        for key in keys {
            let id = key.accessKeyId ?? ""
            let active = key.status == "Active"
            keyRows.append("""
                <tr><td><code>\(id)</code></td><td>\(key.status ?? "")</td><td>\(await keyLastUsed(key, request))</td>\
                <td>\(key.createDate?.description ?? "-")</td>\
                <td class="row-actions"><form method="post" action="\(base)/access-keys/status">\(token)<input type="hidden" name="AccessKeyId" value="\(id)">\
                <input type="hidden" name="Status" value="\(active ? "Inactive" : "Active")">\
                <button type="submit" aria-label="\(active ? "Deactivate" : "Activate") \(id)">\(active ? "Deactivate" : "Activate")</button></form>\
                <a class="button" href="\(base)/access-keys/delete?id=\(XMLWriter.percentEncode(id))" aria-label="Delete \(id)">Delete</a></td></tr>
                """)
        }
        let ssh: HTML
        switch await call(IAMOperation.ListSSHPublicKeys.self, ["UserName": name], request) {
        case .failure(let error): ssh = Layout.Alert.failure(error).html
        case .success(let output):
            let rows: [HTML] = (output.sshPublicKeys ?? []).map {
                "<tr><td><code>\($0.sshPublicKeyId)</code></td><td>\($0.uploadDate.description)</td><td>\($0.status)</td></tr>"
            }
            ssh = Self.readOnlyTable(["SSH key ID", "Uploaded", "Status"], rows, title: "SSH public keys for AWS CodeCommit")
        }
        let certificates: HTML
        switch await call(IAMOperation.ListSigningCertificates.self, ["UserName": name], request) {
        case .failure(let error): certificates = Layout.Alert.failure(error).html
        case .success(let output):
            let rows: [HTML] = output.certificates.map {
                "<tr><td><code>\($0.certificateId)</code></td><td>\($0.uploadDate?.description ?? "-")</td><td>\($0.status)</td></tr>"
            }
            certificates = Self.readOnlyTable(["Certificate ID", "Uploaded", "Status"], rows, title: "X.509 signing certificates")
        }
        return """
            <section class="panel"><header><h2>Console sign-in</h2><div class="actions">\(consoleButtons)</div></header>
            <div class="content"><dl class="key-values">
            <div><dt>Console sign-in link</dt><dd>\(signInURL)</dd></div>
            <div><dt>Console password</dt><dd>\(profile == nil ? "Not enabled" : "Enabled (\(user.passwordLastUsed.map { "last signed in \(ago($0))" } ?? "never signed in"))")</dd></div>
            </dl></div></section>
            <section class="panel"><header><div><h2>Multi-factor authentication (MFA) (\(mfa.count))</h2>
            <p>Use MFA to increase the security of your AWS environment. Signing in with MFA requires an authentication code from an MFA device.</p></div>
            <div class="actions"><a class="button" href="\(base)/mfa/assign">Assign MFA device</a></div></header>
            <div class="content"><table class="list"><thead><tr><th scope="col">Type</th><th scope="col">Identifier</th><th scope="col">Created on</th>\
            <th scope="col"><span class="visually-hidden">Actions</span></th></tr></thead>
            <tbody>\(mfaRows.isEmpty ? "<tr><td class=\"empty\" colspan=\"4\">No MFA devices. Assign an MFA device to improve the security of your AWS environment.</td></tr>" : mfaRows.joined())</tbody></table></div></section>
            <section class="panel"><header><div><h2>Access keys (\(keys.count))</h2>
            <p>Use access keys to send programmatic calls to AWS from the AWS CLI, AWS Tools for PowerShell, AWS SDKs, or direct AWS API calls. You can have a maximum of two access keys (active or inactive) at a time.</p></div>
            <div class="actions"><a class="button" href="\(base)/access-keys/create">Create access key</a></div></header>
            <div class="content"><table class="list"><thead><tr><th scope="col">Access key ID</th><th scope="col">Status</th><th scope="col">Last used</th>\
            <th scope="col">Created</th><th scope="col"><span class="visually-hidden">Actions</span></th></tr></thead>
            <tbody>\(keyRows.isEmpty ? "<tr><td class=\"empty\" colspan=\"5\">No access keys. As a best practice, avoid using long-term credentials like access keys.</td></tr>" : keyRows.joined())</tbody></table></div></section>
            \(ssh)
            \(certificates)
            """
    }

    static func readOnlyTable(_ headers: [String], _ rows: [HTML], title: String) -> HTML {
        let cells: [HTML] = headers.map { "<th scope=\"col\">\($0)</th>" }
        return """
            <section class="panel"><header><h2>\(title) (\(rows.count))</h2></header>
            <div class="content"><table class="list"><thead><tr>\(cells)</tr></thead>
            <tbody>\(rows.isEmpty ? "<tr><td class=\"empty\" colspan=\"\(headers.count)\">No resources to display</td></tr>" : rows.joined())</tbody></table></div></section>
            """
    }

    private func crumbs(_ user: String, _ last: String) -> [(label: String, path: String?)] {
        [("IAM", "/console/iam"), ("Users", "/console/iam/users"), (user, Self.userPath(user, tab: "security_credentials")), (last, nil)]
    }

    // MARK: - Console access

    /// "Enable console access" / "Manage console access".
    func consoleAccessPage(_ request: Request, user: String, alerts: [Layout.Alert] = [], status: Int = 200) async -> ConsoleReply {
        let enabled: Bool = if case .success = await call(IAMOperation.GetLoginProfile.self, ["UserName": user], request) { true } else { false }
        let title = enabled ? "Manage console access" : "Enable console access"
        let type = request.field("PasswordType") ?? (enabled ? "keep" : "autogenerated")
        func checked(_ on: Bool) -> HTML { on ? " checked" : .empty }
        let access: HTML = enabled ? """
            <fieldset class="choices"><legend>Console access</legend>
            <div class="choice"><input type="radio" id="access-enable" name="ConsoleAccess" value="enable"\(checked(request.field("ConsoleAccess") != "disable"))><label for="access-enable">Enable</label></div>
            <div class="choice"><input type="radio" id="access-disable" name="ConsoleAccess" value="disable"\(checked(request.field("ConsoleAccess") == "disable"))><label for="access-disable">Disable</label></div>
            </fieldset>
            """ : "<input type=\"hidden\" name=\"ConsoleAccess\" value=\"enable\">"
        let keep: HTML = enabled
            ? "<div class=\"choice\"><input type=\"radio\" id=\"password-keep\" name=\"PasswordType\" value=\"keep\"\(checked(type == "keep"))><label for=\"password-keep\">Keep existing password</label></div>"
            : .empty
        return page(
            request, title: "\(title) | IAM", current: "/console/iam/users", breadcrumbs: crumbs(user, title), alerts: alerts,
            scripts: [.userPages], status: status,
            body: """
                <h1>\(title)</h1>
                <form method="post" action="\(Self.userPath(user))/console-access">\(Self.token(request))
                <section class="panel"><div class="content">
                \(access)
                <div data-show-when="ConsoleAccess=enable">
                <fieldset class="choices"><legend>Set password</legend>
                \(keep)
                <div class="choice"><input type="radio" id="password-auto" name="PasswordType" value="autogenerated"\(checked(type == "autogenerated"))><label for="password-auto">Autogenerated password</label></div>
                <div class="choice"><input type="radio" id="password-custom" name="PasswordType" value="custom"\(checked(type == "custom"))><label for="password-custom">Custom password</label></div>
                <div class="field nested" data-show-when="PasswordType=custom"><label for="custom-password">Custom password</label>
                <input type="password" id="custom-password" name="Password" autocomplete="new-password"></div>
                </fieldset>
                <div class="choice"><input type="checkbox" id="password-reset" name="PasswordResetRequired" value="true"\(checked(request.field("PasswordResetRequired") == "true" || request.form.isEmpty))>
                <label for="password-reset">User must create a new password at next sign-in</label></div>
                </div>
                </div></section>
                <div class="actions end"><a class="button" href="\(Self.userPath(user, tab: "security_credentials"))">Cancel</a>\
                <button type="submit" class="primary">\(enabled ? "Apply" : "Enable console access")</button></div>
                </form>
                """)
    }

    /// CreateLoginProfile or UpdateLoginProfile (or DeleteLoginProfile for
    /// Disable); a new password is shown once on "Retrieve password".
    public func saveConsoleAccess(_ request: Request, user: String) async -> ConsoleReply {
        guard request.carriesToken else { return forbidden(request) }
        if request.field("ConsoleAccess") == "disable" { return await disableConsoleAccess(request, user: user) }
        let enabled: Bool = if case .success = await call(IAMOperation.GetLoginProfile.self, ["UserName": user], request) { true } else { false }
        let type = request.field("PasswordType") ?? "autogenerated"
        var parameters = ["UserName": user, "PasswordResetRequired": request.field("PasswordResetRequired") == "true" ? "true" : "false"]
        var password: String?
        switch type {
        case "keep" where enabled: break
        case "custom":
            password = request.field("Password") ?? ""
            if password!.isEmpty { return await consoleAccessPage(request, user: user, alerts: [.error("Custom password is required.")], status: 400) }
        default:
            switch await passwordPolicy(request) {
            case .failure(let error): return await consoleAccessPage(request, user: user, alerts: [.failure(error)], status: error.status)
            case .success(let policy): password = generatePassword(policy)
            }
        }
        if let password { parameters["Password"] = password }
        let result: Result<Void, AWSError> = enabled
            ? await call(IAMOperation.UpdateLoginProfile.self, parameters, request).map { _ in () }
            : await call(IAMOperation.CreateLoginProfile.self, parameters, request).map { _ in () }
        if case .failure(let error) = result {
            return await consoleAccessPage(request, user: user, alerts: [.failure(error)], status: error.status)
        }
        var alerts: [Layout.Alert] = [.success(enabled ? "Console password reset." : "Console access enabled.")]
        if parameters["PasswordResetRequired"] == "true",
            case .failure(let error) = await call(IAMOperation.AttachUserPolicy.self, ["UserName": user, "PolicyArn": Self.changePasswordPolicy], request)
        {
            alerts.append(.error("The user must reset the password, but IAMUserChangePassword was not attached: \(error.said)"))
        }
        guard let password else {
            for alert in alerts.dropFirst() { flash(alert, for: request.session) }
            flash(.success("Console access updated."), for: request.session)
            return .redirect(Self.userPath(user, tab: "security_credentials"))
        }
        return retrievePasswordPage(
            request, userName: user, password: password, alerts: alerts,
            back: Self.userPath(user, tab: "security_credentials"))
    }

    /// "Disable console access": DeleteLoginProfile.
    public func disableConsoleAccess(_ request: Request, user: String) async -> ConsoleReply {
        await userChange(request, user: user, tab: "security_credentials", IAMOperation.DeleteLoginProfile.self, ["UserName": user],
                         done: "Console access disabled.")
    }

    // MARK: - MFA

    /// "Assign MFA device", step 1: "Select MFA device".
    func assignMFAPage(_ request: Request, user: String, alerts: [Layout.Alert] = [], status: Int = 200) -> ConsoleReply {
        page(
            request, title: "Assign MFA device | IAM", current: "/console/iam/users", breadcrumbs: crumbs(user, "Assign MFA device"),
            alerts: alerts, scripts: [.userPages], status: status,
            body: """
                <h1>Select MFA device</h1>
                <form method="post" action="\(Self.userPath(user))/mfa/assign">\(Self.token(request))
                <section class="panel"><header><h2>MFA device name</h2></header><div class="content">
                <div class="field"><label for="device-name">Device name</label>
                <input id="device-name" name="DeviceName" value="\(request.field("DeviceName") ?? "")" autocomplete="off">
                <span class="hint">Enter a meaningful name to identify this device. Maximum 128 characters. Use alphanumeric and '+ = , . @ - _' characters.</span></div>
                </div></section>
                <section class="panel"><header><h2>MFA device</h2></header><div class="content">
                <fieldset class="choices"><legend class="visually-hidden">MFA device</legend>
                <div class="choice"><input type="radio" id="device-app" name="DeviceType" value="app" checked><label for="device-app">Authenticator app</label>\
                <span class="hint">Authenticate using a code generated by an app installed on your mobile device or computer.</span></div>
                </fieldset></div></section>
                <div class="actions end"><a class="button" href="\(Self.userPath(user, tab: "security_credentials"))">Cancel</a><button type="submit" class="primary">Next</button></div>
                </form>
                """)
    }

    /// CreateVirtualMFADevice, then "Set up device" with its QR code and secret.
    public func createMFADevice(_ request: Request, user: String) async -> ConsoleReply {
        guard request.carriesToken else { return forbidden(request) }
        switch await call(IAMOperation.CreateVirtualMFADevice.self, ["VirtualMFADeviceName": request.field("DeviceName") ?? ""], request) {
        case .failure(let error):
            return assignMFAPage(request, user: user, alerts: [.failure(error)], status: error.status)
        case .success(let output):
            let device = output.virtualMFADevice
            return setUpMFAPage(
                request, user: user, serial: device.serialNumber, seed: String(decoding: device.base32StringSeed ?? [], as: UTF8.self),
                qr: Data(device.qrCodePNG ?? []).base64EncodedString())
        }
    }

    /// "Set up device": the QR code (a data: image), the secret key behind "Show secret key", two codes.
    func setUpMFAPage(
        _ request: Request, user: String, serial: String, seed: String, qr: String, alerts: [Layout.Alert] = [], status: Int = 200
    ) -> ConsoleReply {
        let base = Self.userPath(user)
        // Only base64 characters reach the data: URL.
        let image = qr.filter { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "+" || $0 == "/" || $0 == "=") }
        return page(
            request, title: "Set up device | IAM", current: "/console/iam/users", breadcrumbs: crumbs(user, "Assign MFA device"),
            alerts: alerts, scripts: [.userPages], status: status,
            body: """
                <h1>Set up device</h1>
                <section class="panel"><header><h2>Authenticator app</h2></header><div class="content">
                <form id="mfa-setup" method="post" action="\(base)/mfa/enable">\(Self.token(request))
                <input type="hidden" name="SerialNumber" value="\(serial)"><input type="hidden" name="Seed" value="\(seed)"><input type="hidden" name="QR" value="\(image)">
                <ol class="setup-steps">
                <li><p>Install a compatible application such as Google Authenticator, Duo Mobile, or Authy app on your mobile device or computer.</p></li>
                <li><p>Open your authenticator app, then use the app to scan the code. Alternatively, you can type a secret key.</p>
                <img class="qr" src="data:image/png;base64,\(image)" alt="QR code for \(serial)" width="200" height="200">
                <details class="secret"><summary>Show secret key</summary><code aria-label="Secret key">\(seed)</code></details></li>
                <li><p>Type two consecutive MFA codes below.</p>
                <div class="field"><label for="mfa-code-1">MFA code 1</label><input id="mfa-code-1" name="AuthenticationCode1" inputmode="numeric" autocomplete="one-time-code"></div>
                <div class="field"><label for="mfa-code-2">MFA code 2</label><input id="mfa-code-2" name="AuthenticationCode2" inputmode="numeric" autocomplete="one-time-code"></div></li>
                </ol>
                </form></div></section>
                <div class="actions end">
                <form method="post" action="\(base)/mfa/cancel">\(Self.token(request))<input type="hidden" name="SerialNumber" value="\(serial)"><button type="submit">Cancel</button></form>
                <button type="submit" class="primary" form="mfa-setup">Add MFA</button></div>
                """)
    }

    /// "Add MFA": EnableMFADevice with the two codes.
    public func enableMFADevice(_ request: Request, user: String) async -> ConsoleReply {
        guard request.carriesToken else { return forbidden(request) }
        let serial = request.field("SerialNumber") ?? ""
        let parameters = [
            "UserName": user, "SerialNumber": serial, "AuthenticationCode1": request.field("AuthenticationCode1") ?? "",
            "AuthenticationCode2": request.field("AuthenticationCode2") ?? "",
        ]
        if case .failure(let error) = await call(IAMOperation.EnableMFADevice.self, parameters, request) {
            return setUpMFAPage(request, user: user, serial: serial, seed: request.field("Seed") ?? "", qr: request.field("QR") ?? "",
                                alerts: [.failure(error)], status: error.status)
        }
        flash(.success("MFA device assigned."), for: request.session)
        return .redirect(Self.userPath(user, tab: "security_credentials"))
    }

    /// Cancel on "Set up device": the device made for it, never enabled, is deleted.
    public func cancelMFADevice(_ request: Request, user: String) async -> ConsoleReply {
        guard request.carriesToken else { return forbidden(request) }
        if case .failure(let error) = await call(IAMOperation.DeleteVirtualMFADevice.self, ["SerialNumber": request.field("SerialNumber") ?? ""], request) {
            flash(.failure(error), for: request.session)
        }
        return .redirect(Self.userPath(user, tab: "security_credentials"))
    }

    /// "Remove": DeactivateMFADevice, then DeleteVirtualMFADevice for a virtual one.
    public func removeMFADevice(_ request: Request, user: String) async -> ConsoleReply {
        guard request.carriesToken else { return forbidden(request) }
        let serial = request.field("SerialNumber") ?? ""
        switch await call(IAMOperation.DeactivateMFADevice.self, ["UserName": user, "SerialNumber": serial], request) {
        case .failure(let error):
            flash(.failure(error), for: request.session)
        case .success:
            if serial.contains(":mfa/"),
                case .failure(let error) = await call(IAMOperation.DeleteVirtualMFADevice.self, ["SerialNumber": serial], request)
            {
                flash(.error("The device was removed from the user but not deleted: \(error.said)"), for: request.session)
            } else {
                flash(.success("MFA device removed."), for: request.session)
            }
        }
        return .redirect(Self.userPath(user, tab: "security_credentials"))
    }

    // MARK: - Access keys

    static let accessKeyUseCases = [
        "Command Line Interface (CLI)", "Local code", "Application running on an AWS compute service", "Third-party service",
        "Application running outside AWS", "Other",
    ]

    /// "Create access key": use case and description tag.
    func createAccessKeyPage(_ request: Request, user: String, alerts: [Layout.Alert] = [], status: Int = 200) -> ConsoleReply {
        let chosen = request.field("UseCase") ?? Self.accessKeyUseCases[0]
        let cases: [HTML] = Self.accessKeyUseCases.enumerated().map { i, name in
            "<div class=\"choice\"><input type=\"radio\" id=\"use-case-\(i)\" name=\"UseCase\" value=\"\(name)\"\(chosen == name ? HTML(trusted: " checked") : .empty)><label for=\"use-case-\(i)\">\(name)</label></div>"
        }
        return page(
            request, title: "Create access key | IAM", current: "/console/iam/users", breadcrumbs: crumbs(user, "Create access key"),
            alerts: alerts, scripts: [.userPages], status: status,
            body: """
                <h1>Create access key</h1>
                <form method="post" action="\(Self.userPath(user))/access-keys/create">\(Self.token(request))
                <section class="panel"><header><h2>Use case</h2></header><div class="content">
                <fieldset class="choices"><legend class="visually-hidden">Use case</legend>\(cases)</fieldset>
                </div></section>
                <section class="panel"><header><div><h2>Set description tag - optional</h2><p>The description for this access key will be attached to this user as a tag and shown alongside the access key.</p></div></header><div class="content">
                <div class="field"><label for="key-description">Description tag value</label>
                <input id="key-description" name="Description" value="\(request.field("Description") ?? "")" maxlength="256"></div>
                </div></section>
                <div class="actions end"><a class="button" href="\(Self.userPath(user, tab: "security_credentials"))">Cancel</a><button type="submit" class="primary">Create access key</button></div>
                </form>
                """)
    }

    /// CreateAccessKey (and TagUser with the description), then "Retrieve
    /// access keys": the secret in this one response, and its CSV as a data: link.
    public func createAccessKey(_ request: Request, user: String) async -> ConsoleReply {
        guard request.carriesToken else { return forbidden(request) }
        let key: IAMShapes.AccessKey
        switch await call(IAMOperation.CreateAccessKey.self, ["UserName": user], request) {
        case .failure(let error): return createAccessKeyPage(request, user: user, alerts: [.failure(error)], status: error.status)
        case .success(let output): key = output.accessKey
        }
        var alerts: [Layout.Alert] = [.success("Access key created")]
        if let description = request.field("Description"), !description.isEmpty,
            case .failure(let error) = await call(
                IAMOperation.TagUser.self, ["UserName": user, "Tags.member.1.Key": key.accessKeyId, "Tags.member.1.Value": description], request)
        {
            alerts.append(.error("The access key was created, but its description tag was not saved: \(error.said)"))
        }
        alerts.append(.info("This is the only time that the secret access key can be viewed or downloaded. You cannot recover it later. However, you can create a new access key any time."))
        let csv = Self.csvDataURL([["Access key ID", "Secret access key"], [key.accessKeyId, key.secretAccessKey]])
        return page(
            request, title: "Retrieve access keys | IAM", current: "/console/iam/users", breadcrumbs: crumbs(user, "Retrieve access keys"),
            alerts: alerts,
            scripts: [.userPages],
            body: """
                <h1>Retrieve access keys</h1>
                <section class="panel"><header><h2>Access key</h2></header><div class="content">
                <p>If you lose or forget your secret access key, you cannot retrieve it. Instead, create a new access key and make the old key inactive.</p>
                <table class="list"><thead><tr><th scope="col">Access key</th><th scope="col">Secret access key</th></tr></thead>
                <tbody><tr><td><code>\(key.accessKeyId)</code></td><td><code>\(key.secretAccessKey)</code></td></tr></tbody></table>
                </div></section>
                <div class="actions end"><a class="button" download="\(user)_accessKeys.csv" href="\(csv)">Download .csv file</a>\
                <a class="button primary" href="\(Self.userPath(user, tab: "security_credentials"))">Done</a></div>
                """)
    }

    /// "Deactivate" / "Activate": UpdateAccessKey.
    public func setAccessKeyStatus(_ request: Request, user: String) async -> ConsoleReply {
        guard request.carriesToken else { return forbidden(request) }
        let id = request.field("AccessKeyId") ?? ""
        let status = request.field("Status") == "Active" ? "Active" : "Inactive"
        switch await call(IAMOperation.UpdateAccessKey.self, ["UserName": user, "AccessKeyId": id, "Status": status], request) {
        case .failure(let error): flash(.failure(error), for: request.session)
        case .success: flash(.success("Access key \(id) \(status == "Active" ? "activated" : "deactivated")."), for: request.session)
        }
        if request.field("return") == "delete" {
            return .redirect(Self.userPath(user) + "/access-keys/delete?id=" + XMLWriter.percentEncode(id))
        }
        return .redirect(Self.userPath(user, tab: "security_credentials"))
    }

    /// "Delete": AWS's console has the key deactivated first and its id typed to confirm.
    func deleteAccessKeyPage(_ request: Request, user: String, id: String, alerts: [Layout.Alert] = [], status: Int = 200) async -> ConsoleReply {
        let keys: [IAMShapes.AccessKeyMetadata] = switch await call(IAMOperation.ListAccessKeys.self, ["UserName": user], request) {
        case .success(let output): output.accessKeyMetadata
        case .failure: []
        }
        let active = keys.first { $0.accessKeyId == id }?.status == "Active"
        let token = Self.token(request)
        let deactivate: HTML = active ? """
            <div class="alert info" role="status">Before you delete the access key, you must deactivate it.</div>
            <form method="post" action="\(Self.userPath(user))/access-keys/status">\(token)<input type="hidden" name="AccessKeyId" value="\(id)">\
            <input type="hidden" name="Status" value="Inactive"><input type="hidden" name="return" value="delete"><button type="submit">Deactivate</button></form>
            """ : .empty
        return page(
            request, title: "Delete access key | IAM", current: "/console/iam/users", breadcrumbs: crumbs(user, "Delete access key"),
            alerts: alerts, scripts: [.userPages], status: status,
            body: """
                <h1>Delete \(id)?</h1>
                <section class="panel"><div class="content">
                <p>Permanently delete this access key? Applications that use it will no longer be able to call AWS. This cannot be undone.</p>
                \(deactivate)
                <form method="post" action="\(Self.userPath(user))/access-keys/delete">\(token)<input type="hidden" name="AccessKeyId" value="\(id)">
                <div class="field"><label for="confirm-key">To confirm deletion, enter the access key ID in the text input field.</label>
                <input id="confirm-key" name="Confirm" autocomplete="off"\(active ? HTML(trusted: " disabled") : .empty)></div>
                <div class="actions"><a class="button" href="\(Self.userPath(user, tab: "security_credentials"))">Cancel</a>\
                <button type="submit" class="primary"\(active ? HTML(trusted: " disabled") : .empty)>Delete</button></div>
                </form></div></section>
                """)
    }

    public func deleteAccessKey(_ request: Request, user: String) async -> ConsoleReply {
        guard request.carriesToken else { return forbidden(request) }
        let id = request.field("AccessKeyId") ?? ""
        guard request.field("Confirm") == id else {
            return await deleteAccessKeyPage(request, user: user, id: id, alerts: [.error("The access key ID you entered does not match. Enter \(id) to confirm.")], status: 400)
        }
        let keys: [IAMShapes.AccessKeyMetadata] = switch await call(IAMOperation.ListAccessKeys.self, ["UserName": user], request) {
        case .success(let output): output.accessKeyMetadata
        case .failure: []
        }
        if keys.first(where: { $0.accessKeyId == id })?.status == "Active" {
            return await deleteAccessKeyPage(request, user: user, id: id, alerts: [.error("Deactivate the access key before you delete it.")], status: 400)
        }
        return await userChange(request, user: user, tab: "security_credentials", IAMOperation.DeleteAccessKey.self,
                                ["UserName": user, "AccessKeyId": id], done: "Access key \(id) deleted.")
    }
}

extension ConsoleApp {
    static let securityCredentialsRoutes: [ConsoleRoute] = {
        let user = "iam/users/details/:user"
        return [
            .get(user + "/console-access") { app, request in await app.consoleAccessPage(request, user: request.parameter("user")) },
            .post(user + "/console-access") { app, request in await app.saveConsoleAccess(request, user: request.parameter("user")) },
            .post(user + "/console-access/disable") { app, request in await app.disableConsoleAccess(request, user: request.parameter("user")) },
            .get(user + "/mfa/assign") { app, request in app.assignMFAPage(request, user: request.parameter("user")) },
            .post(user + "/mfa/assign") { app, request in await app.createMFADevice(request, user: request.parameter("user")) },
            .post(user + "/mfa/enable") { app, request in await app.enableMFADevice(request, user: request.parameter("user")) },
            .post(user + "/mfa/cancel") { app, request in await app.cancelMFADevice(request, user: request.parameter("user")) },
            .post(user + "/mfa/remove") { app, request in await app.removeMFADevice(request, user: request.parameter("user")) },
            .get(user + "/access-keys/create") { app, request in app.createAccessKeyPage(request, user: request.parameter("user")) },
            .post(user + "/access-keys/create") { app, request in await app.createAccessKey(request, user: request.parameter("user")) },
            .post(user + "/access-keys/status") { app, request in await app.setAccessKeyStatus(request, user: request.parameter("user")) },
            .get(user + "/access-keys/delete") { app, request in
                await app.deleteAccessKeyPage(request, user: request.parameter("user"), id: request.query["id"] ?? "")
            },
            .post(user + "/access-keys/delete") { app, request in await app.deleteAccessKey(request, user: request.parameter("user")) },
        ]
    }()
}
