import AWSShapes
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import JSON
import Platform

/// A repository's page: its summary and the Images, Permissions, Lifecycle
/// policy and Repository tags tabs, and what each of their buttons does.
///
/// Each part asks ECR for itself, so a principal allowed only some of the
/// reads sees what it may: with only `ecr:ListImages` the Images tab lists
/// tags and digests while the summary shows DescribeRepositories' refusal,
/// and image details stay empty when DescribeImages is refused.
extension ConsoleApp {
    static let repositoryTabs: [(id: String, label: String)] = [
        ("images", "Images"), ("permissions", "Permissions"), ("lifecycle", "Lifecycle policy"), ("tags", "Repository tags"),
    ]

    /// Private registry › Repositories › NAME.
    public func repository(_ request: Request, name: String) async -> ConsoleReply {
        let described = await describeRepository(name, request)
        let uri: String
        let summary: HTML
        switch described {
        case .success(let repository):
            uri = repository.repositoryUri ?? registryHost(request) + "/" + name
            summary = """
                <dl class="key-values">
                <div><dt>URI</dt><dd><span class="ecr-uri"><code>\(uri)</code>\(Self.copyButton(uri, label: "Copy URI"))</span></dd></div>
                <div><dt>ARN</dt><dd>\(repository.repositoryArn ?? "")</dd></div>
                <div><dt>Created at</dt><dd>\(Self.consoleTime(repository.createdAt))</dd></div>
                <div><dt>Tag immutability</dt><dd>\(Self.mutabilityLabel(repository.imageTagMutability))\(Self.exclusions(repository))</dd></div>
                <div><dt>Encryption type</dt><dd>\(Self.encryptionLabel(repository.encryptionConfiguration))\(repository.encryptionConfiguration?.kmsKey.map { " (\($0))" } ?? "")</dd></div>
                <div><dt>Scan frequency</dt><dd>\(repository.imageScanningConfiguration?.scanOnPush == true ? "Scan on push" : "Manual")</dd></div>
                </dl>
                """
        case .failure(let error):
            uri = registryHost(request) + "/" + name
            summary = """
                \(Layout.Alert.failure(error).html)
                <dl class="key-values"><div><dt>URI</dt><dd><span class="ecr-uri"><code>\(uri)</code>\(Self.copyButton(uri, label: "Copy URI"))</span></dd></div></dl>
                """
        }
        let tab = Self.repositoryTabs.contains { $0.id == request.query["tab"] } ? request.query["tab"]! : "images"
        let tabLinks: [HTML] = Self.repositoryTabs.map { id, label in
            "<a role=\"tab\" href=\"\(repositoryPath(name, "", request, query: [("tab", id)]))\" aria-selected=\"\(tab == id ? "true" : "false")\">\(label)</a>"
        }
        let (content, refused): (HTML, AWSError?) = switch tab {
        case "permissions": await permissionsTab(name, request)
        case "lifecycle": await lifecycleTab(name, request)
        case "tags": await repositoryTagsTab(name, request)
        default: await imagesTab(name, uri: uri, request)
        }
        // The page answers with a refusal's status only when nothing of the repository could be read.
        let status = if case .failure = described, let refused { refused.status } else { 200 }
        return page(
            request, title: "\(name) | Amazon ECR", navigation: .ecr, current: Self.repositoriesPath,
            breadcrumbs: ecrBreadcrumbs([(name, nil)], request), scripts: [.ecr], status: status,
            body: """
                <div class="page-header"><h1>\(name)</h1>
                <div class="actions"><a class="button" href="\(repositoryPath(name, "/push-commands", request))">View push commands</a></div></div>
                <section class="panel"><header><h2>Summary</h2></header><div class="content">\(summary)</div></section>
                <div class="tabs" role="tablist" aria-label="Repository details">\(tabLinks)</div>
                <div role="tabpanel">\(content)</div>
                """)
    }

    static func exclusions(_ repository: ECRShapes.Repository) -> String {
        let filters = repository.imageTagMutabilityExclusionFilters ?? []
        return filters.isEmpty ? "" : " (except " + filters.map(\.filter).joined(separator: ", ") + ")"
    }

    // MARK: - Images

    /// One image as the Images tab shows it: its digest, every tag ListImages named for it, and
    /// DescribeImages' details when that was allowed.
    struct ImageRow {
        var digest: String
        var tags: [String]
        var detail: ECRShapes.ImageDetail?
    }

    private func imagesTab(_ name: String, uri: String, _ request: Request) async -> (HTML, AWSError?) {
        var ids: [ECRShapes.ImageIdentifier] = []
        var token: String?
        repeat {
            let body = Self.body([("repositoryName", .string(name)), ("maxResults", .number(JSONNumber(1000))), ("nextToken", token.map(JSONValue.string))])
            switch await callECR(ECROperation.ListImages.self, body, request) {
            case .failure(let error):
                return ("<section class=\"panel\"><header><h2>Images</h2></header><div class=\"content\">\(Layout.Alert.failure(error).html)</div></section>", error)
            case .success(let output):
                ids += output.imageIds ?? []
                token = output.nextToken
            }
        } while token != nil
        var details: [String: ECRShapes.ImageDetail] = [:]
        var note: HTML = .empty
        if !ids.isEmpty {
            token = nil
            describing: repeat {
                let body = Self.body([("repositoryName", .string(name)), ("maxResults", .number(JSONNumber(1000))), ("nextToken", token.map(JSONValue.string))])
                switch await callECR(ECROperation.DescribeImages.self, body, request) {
                case .failure(let error):
                    note = "<div class=\"alert info\" role=\"status\">Image details are not shown: \(Layout.explained(error))</div>"
                    details = [:]
                    break describing
                case .success(let output):
                    for detail in output.imageDetails ?? [] { if let digest = detail.imageDigest { details[digest] = detail } }
                    token = output.nextToken
                }
            } while token != nil
        }
        var rows: [ImageRow] = []
        var index: [String: Int] = [:]
        for id in ids {
            guard let digest = id.imageDigest else { continue }
            if let i = index[digest] {
                if let tag = id.imageTag { rows[i].tags.append(tag) }
            } else {
                index[digest] = rows.count
                rows.append(ImageRow(digest: digest, tags: id.imageTag.map { [$0] } ?? [], detail: details[digest]))
            }
        }
        rows.sort { a, b in
            let (x, y) = (a.detail?.imagePushedAt?.secondsSince1970 ?? 0, b.detail?.imagePushedAt?.secondsSince1970 ?? 0)
            return x != y ? x > y : (a.tags.first ?? "") < (b.tags.first ?? "")
        }
        let cells: [HTML] = rows.map { row in
            let tag = row.tags.isEmpty ? "<untagged>" : row.tags.joined(separator: ", ")
            let imageURI = row.tags.first.map { uri + ":" + $0 } ?? uri + "@" + row.digest
            return """
                <tr><td><input type="checkbox" name="imageDigest" value="\(row.digest)" aria-label="Select \(tag)"></td>\
                <td>\(tag)</td>\
                <td>\(row.detail.map(Self.artifactType) ?? "")</td>\
                <td>\(row.detail.map { Self.consoleTime($0.imagePushedAt) } ?? "")</td>\
                <td>\(row.detail?.imageSizeInBytes.map(Self.megabytes) ?? "")</td>\
                <td><span class="ecr-uri"><code>\(imageURI)</code>\(Self.copyButton(imageURI, label: "Copy URI of \(tag)"))</span></td>\
                <td class="digest"><code>\(row.digest)</code></td></tr>
                """
        }
        return ("""
            <form method="post" action="\(repositoryPath(name, "/images/delete", request))">
            <input type="hidden" name="csrf" value="\(request.session.csrfToken)">
            <section class="panel"><header><h2>Images (\(rows.count))</h2>
            <div class="actions"><button type="submit">Delete</button></div></header>
            <div class="content">\(note)
            <table class="list"><thead><tr><th scope="col"><span class="visually-hidden">Select</span></th><th scope="col">Image tag</th>\
            <th scope="col">Artifact type</th><th scope="col">Pushed at</th><th scope="col">Size (MB)</th><th scope="col">Image URI</th>\
            <th scope="col">Digest</th></tr></thead>
            <tbody>\(cells.isEmpty ? "<tr><td class=\"empty\" colspan=\"7\">No images</td></tr>" : cells.joined())</tbody></table>
            </div></section></form>
            """, nil)
    }

    static func artifactType(_ detail: ECRShapes.ImageDetail) -> String {
        let manifest = detail.imageManifestMediaType ?? ""
        if manifest.contains("index") || manifest.contains("manifest.list") { return "Image Index" }
        let artifact = detail.artifactMediaType ?? ""
        if artifact.isEmpty || artifact.contains("image.config") || artifact.contains("container.image") { return "Image" }
        return artifact
    }

    /// Bytes as AWS's console shows "Size (MB)": MiB with two decimals.
    static func megabytes(_ bytes: Int64) -> String {
        (Double(bytes) / 1_048_576).fixed(2)
    }

    /// "Delete" on the Images tab: first the confirmation listing the images, then BatchDeleteImage.
    public func deleteImages(_ request: Request, name: String) async -> ConsoleReply {
        guard request.carriesToken else { return forbidden(request) }
        let digests = request.form.filter { $0.0 == "imageDigest" }.map(\.1).filter { !$0.isEmpty }
        guard !digests.isEmpty else {
            flash(.error("Select the images to delete."), for: request.session)
            return .redirect(repositoryPath(name, "", request))
        }
        guard request.field("confirm")?.trimmingWhitespace() == "delete" else {
            let listed: [HTML] = digests.map { "<li><code>\($0)</code></li>" }
            let typedWrong = request.field("confirm") != nil
            return page(
                request, title: "Delete images | Amazon ECR", navigation: .ecr, current: Self.repositoriesPath,
                breadcrumbs: ecrBreadcrumbs([(name, repositoryPath(name, "", request)), ("Delete images", nil)], request),
                alerts: typedWrong ? [.error("To confirm deletion, type delete in the field.")] : [], scripts: [.ecr],
                body: Self.confirmation(
                    title: "Delete images", action: repositoryPath(name, "/images/delete", request), cancel: repositoryPath(name, "", request),
                    request, message: "Delete \(digests.count) image\(digests.count == 1 ? "" : "s") from \(name)? You can't undo this action.",
                    hidden: digests.map { ("imageDigest", $0) }, list: "<ul>\(listed)</ul>"))
        }
        let body = Self.body([
            ("repositoryName", .string(name)),
            ("imageIds", .array(digests.map { Self.body([("imageDigest", .string($0))]) })),
        ])
        switch await callECR(ECROperation.BatchDeleteImage.self, body, request) {
        case .failure(let error):
            flash(.failure(error), for: request.session)
        case .success(let output):
            let deleted = Set((output.imageIds ?? []).compactMap(\.imageDigest)).count
            if deleted > 0 { flash(.success("Successfully deleted \(deleted) image\(deleted == 1 ? "" : "s")."), for: request.session) }
            for failure in output.failures ?? [] {
                flash(.error("\(failure.imageId?.imageDigest ?? failure.imageId?.imageTag ?? ""): \(failure.failureReason ?? failure.failureCode ?? "")"), for: request.session)
            }
        }
        return .redirect(repositoryPath(name, "", request))
    }

    // MARK: - Permissions

    private func permissionsTab(_ name: String, _ request: Request) async -> (HTML, AWSError?) {
        let content: HTML
        var exists = false
        var refused: AWSError?
        switch await callECR(ECROperation.GetRepositoryPolicy.self, Self.body([("repositoryName", .string(name))]), request) {
        case .failure(let error) where error.code == "RepositoryPolicyNotFoundException":
            content = "<p class=\"empty\">No policy. The repository's permissions come from identity-based policies only.</p>"
        case .failure(let error):
            content = Layout.Alert.failure(error).html
            refused = error
        case .success(let output):
            exists = true
            content = "<pre class=\"document\" aria-label=\"Repository policy\">\(Self.pretty(output.policyText ?? ""))</pre>"
        }
        let delete: HTML = exists ? """
            <form method="post" action="\(repositoryPath(name, "/policy/delete", request))">\
            <input type="hidden" name="csrf" value="\(request.session.csrfToken)"><button type="submit">Delete</button></form>
            """ : .empty
        return ("""
            <section class="panel"><header><div><h2>Permissions</h2><p>The repository policy: who may do what with this repository.</p></div>
            <div class="actions">\(delete)<a class="button" href="\(repositoryPath(name, "/policy", request))">Edit policy JSON</a></div></header>
            <div class="content">\(content)</div></section>
            """, refused)
    }

    /// Edit policy JSON: the repository policy in a JSON editor, for SetRepositoryPolicy.
    public func repositoryPolicyPage(_ request: Request, name: String, text: String? = nil, error: AWSError? = nil) async -> ConsoleReply {
        var document = text
        var alerts: [Layout.Alert] = error.map { [.failure($0)] } ?? []
        if document == nil {
            switch await callECR(ECROperation.GetRepositoryPolicy.self, Self.body([("repositoryName", .string(name))]), request) {
            case .success(let output): document = Self.pretty(output.policyText ?? "")
            case .failure(let error) where error.code == "RepositoryPolicyNotFoundException":
                document = "{\n    \"Version\": \"2012-10-17\",\n    \"Statement\": [\n    ]\n}"
            case .failure(let error): alerts.append(.failure(error))
            }
        }
        return page(
            request, title: "Edit policy JSON | Amazon ECR", navigation: .ecr, current: Self.repositoriesPath,
            breadcrumbs: ecrBreadcrumbs([(name, repositoryPath(name, "", request, query: [("tab", "permissions")])), ("Edit policy JSON", nil)], request),
            alerts: alerts, scripts: [.ecr], status: error?.status ?? 200,
            body: """
                <h1>Edit policy JSON</h1>
                <form method="post" action="\(repositoryPath(name, "/policy", request))">
                <input type="hidden" name="csrf" value="\(request.session.csrfToken)">
                <section class="panel"><div class="content">
                <div class="field"><label for="repository-policy">Policy JSON</label>
                <textarea id="repository-policy" class="code" name="policyText" spellcheck="false">\(document ?? "")</textarea></div>
                </div></section>
                <div class="actions"><a class="button" href="\(repositoryPath(name, "", request, query: [("tab", "permissions")]))">Cancel</a>\
                <button type="submit" class="primary">Save</button></div>
                </form>
                """)
    }

    /// "Save": SetRepositoryPolicy; ECR's refusal is shown with the text kept.
    public func setRepositoryPolicy(_ request: Request, name: String) async -> ConsoleReply {
        guard request.carriesToken else { return forbidden(request) }
        let text = request.field("policyText") ?? ""
        let body = Self.body([("repositoryName", .string(name)), ("policyText", .string(text))])
        if case .failure(let error) = await callECR(ECROperation.SetRepositoryPolicy.self, body, request) {
            return await repositoryPolicyPage(request, name: name, text: text, error: error)
        }
        flash(.success("Successfully updated the repository policy of \(name)."), for: request.session)
        return .redirect(repositoryPath(name, "", request, query: [("tab", "permissions")]))
    }

    /// "Delete" on the Permissions tab: DeleteRepositoryPolicy.
    public func deleteRepositoryPolicy(_ request: Request, name: String) async -> ConsoleReply {
        await ecrChange(request, name: name, tab: "permissions", ECROperation.DeleteRepositoryPolicy.self,
                        Self.body([("repositoryName", .string(name))]), done: "Successfully deleted the repository policy of \(name).")
    }

    private func ecrChange<Op: JSONOperation>(
        _ request: Request, name: String, tab: String, _ operation: Op.Type, _ body: JSONValue, done: String
    ) async -> ConsoleReply {
        guard request.carriesToken else { return forbidden(request) }
        switch await callECR(operation, body, request) {
        case .failure(let error): flash(.failure(error), for: request.session)
        case .success: flash(.success(done), for: request.session)
        }
        return .redirect(repositoryPath(name, "", request, query: [("tab", tab)]))
    }

    // MARK: - Lifecycle policy

    /// The repository's lifecycle policy text, nil when it has none, or ECR's refusal.
    private func lifecyclePolicy(_ name: String, _ request: Request) async -> Result<String?, AWSError> {
        switch await callECR(ECROperation.GetLifecyclePolicy.self, Self.body([("repositoryName", .string(name))]), request) {
        case .failure(let error) where error.code == "LifecyclePolicyNotFoundException": .success(nil)
        case .failure(let error): .failure(error)
        case .success(let output): .success(output.lifecyclePolicyText)
        }
    }

    private func lifecycleTab(_ name: String, _ request: Request) async -> (HTML, AWSError?) {
        let rows: [HTML]
        var refused: AWSError?
        var problem: HTML = .empty
        var exists = false
        switch await lifecyclePolicy(name, request) {
        case .failure(let error):
            problem = Layout.Alert.failure(error).html
            refused = error
            rows = []
        case .success(let text):
            exists = text != nil
            let rules = text.flatMap { try? JSONParser.parse($0) }?["rules"]?.arrayValue ?? []
            rows = rules.map { rule in
                let selection = rule["selection"]
                return """
                    <tr><td>\(Self.number(rule["rulePriority"]))</td><td>\(rule["description"]?.stringValue ?? "")</td>\
                    <td>\(Self.imageStatus(selection))</td><td>\(Self.matchCriteria(selection))</td>\
                    <td>\(Self.ruleAction(rule["action"]))</td></tr>
                    """
            }
        }
        let delete: HTML = exists ? """
            <form method="post" action="\(repositoryPath(name, "/lifecycle/delete", request))">\
            <input type="hidden" name="csrf" value="\(request.session.csrfToken)"><button type="submit">Delete</button></form>
            """ : .empty
        return ("""
            <section class="panel"><header><div><h2>Lifecycle policy rules (\(rows.count))</h2>
            <p>Rules that expire images automatically. Test rules to see which images they would expire before you save them.</p></div>
            <div class="actions">\(delete)<a class="button" href="\(repositoryPath(name, "/lifecycle/json", request))">Edit JSON</a>\
            <a class="button" href="\(repositoryPath(name, "/lifecycle/json", request, query: [("test", "1")]))">Test rules</a>\
            <a class="button primary" href="\(repositoryPath(name, "/lifecycle/rule", request))">Create rule</a></div></header>
            <div class="content">\(problem)
            <table class="list"><thead><tr><th scope="col">Rule priority</th><th scope="col">Description</th><th scope="col">Image status</th>\
            <th scope="col">Match criteria</th><th scope="col">Action</th></tr></thead>
            <tbody>\(rows.isEmpty ? "<tr><td class=\"empty\" colspan=\"5\">No rules</td></tr>" : rows.joined())</tbody></table>
            </div></section>
            """, refused)
    }

    static func number(_ value: JSONValue?) -> String {
        switch value {
        case .number(let n): n.text
        case .string(let s): s
        default: ""
        }
    }

    static func imageStatus(_ selection: JSONValue?) -> String {
        let strings = { (key: String) in (selection?[key]?.arrayValue ?? []).compactMap(\.stringValue).joined(separator: ", ") }
        switch selection?["tagStatus"]?.stringValue {
        case "tagged":
            if let patterns = selection?["tagPatternList"], patterns.arrayValue?.isEmpty == false {
                return "Tagged (wildcard matching): " + strings("tagPatternList")
            }
            return "Tagged (prefix matching): " + strings("tagPrefixList")
        case "untagged": return "Untagged"
        case "any": return "Any"
        case let other: return other ?? ""
        }
    }

    static func matchCriteria(_ selection: JSONValue?) -> String {
        let count = number(selection?["countNumber"])
        switch selection?["countType"]?.stringValue {
        case "imageCountMoreThan": return "Image count more than \(count)"
        case "sinceImagePushed": return "Since image pushed \(count) \(selection?["countUnit"]?.stringValue ?? "days")"
        case let other: return [other ?? "", count].filter { !$0.isEmpty }.joined(separator: " ")
        }
    }

    static func ruleAction(_ action: JSONValue?) -> String {
        switch action?["type"]?.stringValue {
        case "expire": "Expire"
        case "transition": "Transition to \(action?["targetStorageClass"]?.stringValue ?? "")"
        case let other: other ?? ""
        }
    }

    /// Create rule: AWS's form for one lifecycle rule.
    public func lifecycleRulePage(_ request: Request, name: String, form: [(String, String)] = [], error: String? = nil) -> ConsoleReply {
        func value(_ field: String, _ otherwise: String = "") -> String { form.first { $0.0 == field }?.1 ?? otherwise }
        func checked(_ field: String, _ option: String, _ otherwise: String) -> HTML {
            value(field, otherwise) == option ? HTML(trusted: " checked") : .empty
        }
        let statuses = [("tagged-wildcard", "Tagged (wildcard matching)"), ("tagged-prefix", "Tagged (prefix matching)"), ("untagged", "Untagged"), ("any", "Any")]
        let statusChoices: [HTML] = statuses.map { id, label in
            "<label><input type=\"radio\" name=\"imageStatus\" value=\"\(id)\"\(checked("imageStatus", id, "untagged"))> \(label)</label>"
        }
        return page(
            request, title: "Create rule | Amazon ECR", navigation: .ecr, current: Self.repositoriesPath,
            breadcrumbs: ecrBreadcrumbs([(name, repositoryPath(name, "", request, query: [("tab", "lifecycle")])), ("Create rule", nil)], request),
            alerts: error.map { [.error($0)] } ?? [], scripts: [.ecr], status: error == nil ? 200 : 400,
            body: """
                <h1>Create rule</h1>
                <form method="post" action="\(repositoryPath(name, "/lifecycle/rule", request))">
                <input type="hidden" name="csrf" value="\(request.session.csrfToken)">
                <section class="panel"><header><h2>Rule</h2></header><div class="content">
                <div class="field"><label for="rule-priority">Rule priority</label>
                <input id="rule-priority" name="rulePriority" type="number" min="1" value="\(value("rulePriority", "1"))">
                <span class="hint">Rules are evaluated from the lowest priority number up; each must be unique.</span></div>
                <div class="field"><label for="rule-description">Rule description</label>
                <input id="rule-description" name="description" value="\(value("description"))"></div>
                <fieldset class="choices"><legend>Image status</legend>\(statusChoices)</fieldset>
                <div class="field"><label for="tag-filters">Tag patterns or prefixes</label>
                <input id="tag-filters" name="tagFilters" value="\(value("tagFilters"))" spellcheck="false">
                <span class="hint">For tagged images: comma-separated (prod*, release-* as patterns; prod, release as prefixes).</span></div>
                <fieldset class="choices"><legend>Match criteria</legend>
                <label><input type="radio" name="countType" value="sinceImagePushed"\(checked("countType", "sinceImagePushed", "imageCountMoreThan"))> Since image pushed</label>
                <label><input type="radio" name="countType" value="imageCountMoreThan"\(checked("countType", "imageCountMoreThan", "imageCountMoreThan"))> Image count more than</label>
                </fieldset>
                <div class="field"><label for="count-number">Count number</label>
                <input id="count-number" name="countNumber" type="number" min="1" value="\(value("countNumber", "1"))">
                <span class="hint">Days since the image was pushed, or the number of images to keep.</span></div>
                <p>Rule action: expire</p>
                </div></section>
                <div class="actions"><a class="button" href="\(repositoryPath(name, "", request, query: [("tab", "lifecycle")]))">Cancel</a>\
                <button type="submit" class="primary">Save</button></div>
                </form>
                """)
    }

    /// The rule the Create rule form describes, as lifecycle policy JSON.
    static func lifecycleRule(_ request: Request) -> JSONValue {
        let filters = (request.field("tagFilters") ?? "").split(separator: ",").map { $0.trimmingWhitespace() }.filter { !$0.isEmpty }
        let status = request.field("imageStatus") ?? "untagged"
        let countType = request.field("countType") ?? "imageCountMoreThan"
        func integer(_ text: String?) -> JSONValue {
            let text = (text ?? "").trimmingWhitespace()
            return Int(text) != nil ? .number(JSONNumber(text: text)) : .string(text)
        }
        let selection = body([
            ("tagStatus", .string(status.hasPrefix("tagged") ? "tagged" : status)),
            ("tagPatternList", status == "tagged-wildcard" ? .array(filters.map(JSONValue.string)) : nil),
            ("tagPrefixList", status == "tagged-prefix" ? .array(filters.map(JSONValue.string)) : nil),
            ("countType", .string(countType)),
            ("countUnit", countType == "sinceImagePushed" ? .string("days") : nil),
            ("countNumber", integer(request.field("countNumber"))),
        ])
        let description = request.field("description") ?? ""
        return body([
            ("rulePriority", integer(request.field("rulePriority"))),
            ("description", description.isEmpty ? nil : .string(description)),
            ("selection", selection),
            ("action", body([("type", .string("expire"))])),
        ])
    }

    /// "Save" on Create rule: the saved policy's rules plus this one, PutLifecyclePolicy.
    public func addLifecycleRule(_ request: Request, name: String) async -> ConsoleReply {
        guard request.carriesToken else { return forbidden(request) }
        var rules: [JSONValue] = []
        switch await lifecyclePolicy(name, request) {
        case .failure(let error): return lifecycleRulePage(request, name: name, form: request.form, error: error.said)
        case .success(let text): rules = text.flatMap { try? JSONParser.parse($0) }?["rules"]?.arrayValue ?? []
        }
        rules.append(Self.lifecycleRule(request))
        let text = Self.body([("rules", .array(rules))]).pretty()
        let body = Self.body([("repositoryName", .string(name)), ("lifecyclePolicyText", .string(text))])
        if case .failure(let error) = await callECR(ECROperation.PutLifecyclePolicy.self, body, request) {
            return lifecycleRulePage(request, name: name, form: request.form, error: error.said)
        }
        flash(.success("Successfully saved the lifecycle policy of \(name)."), for: request.session)
        return .redirect(repositoryPath(name, "", request, query: [("tab", "lifecycle")]))
    }

    /// The lifecycle policy's JSON editor with "Test rules" (StartLifecyclePolicyPreview, then
    /// GetLifecyclePolicyPreview: which images the rules would expire) and "Save".
    public func lifecyclePolicyPage(
        _ request: Request, name: String, text: String? = nil, error: AWSError? = nil, preview: HTML = .empty
    ) async -> ConsoleReply {
        var document = text
        var alerts: [Layout.Alert] = error.map { [.failure($0)] } ?? []
        if document == nil {
            switch await lifecyclePolicy(name, request) {
            case .success(let saved?): document = Self.pretty(saved)
            case .success(nil):
                document = Self.body([("rules", .array([Self.body([
                    ("rulePriority", .number(JSONNumber(1))), ("description", .string("Expire untagged images")),
                    ("selection", Self.body([("tagStatus", .string("untagged")), ("countType", .string("imageCountMoreThan")), ("countNumber", .number(JSONNumber(1)))])),
                    ("action", Self.body([("type", .string("expire"))])),
                ])]))]).pretty()
            case .failure(let error): alerts.append(.failure(error))
            }
        }
        return page(
            request, title: "Lifecycle policy | Amazon ECR", navigation: .ecr, current: Self.repositoriesPath,
            breadcrumbs: ecrBreadcrumbs([(name, repositoryPath(name, "", request, query: [("tab", "lifecycle")])), ("Lifecycle policy JSON", nil)], request),
            alerts: alerts, scripts: [.ecr], status: error?.status ?? 200,
            body: """
                <h1>Lifecycle policy JSON</h1>
                <form method="post" action="\(repositoryPath(name, "/lifecycle/json", request))">
                <input type="hidden" name="csrf" value="\(request.session.csrfToken)">
                <section class="panel"><div class="content">
                <div class="field"><label for="lifecycle-policy">Lifecycle policy text</label>
                <textarea id="lifecycle-policy" class="code" name="lifecyclePolicyText" spellcheck="false">\(document ?? "")</textarea></div>
                </div></section>
                <div class="actions"><a class="button" href="\(repositoryPath(name, "", request, query: [("tab", "lifecycle")]))">Cancel</a>\
                <button type="submit" name="do" value="test">Test rules</button><button type="submit" name="do" value="save" class="primary">Save</button></div>
                </form>
                \(preview)
                """)
    }

    /// "Test rules" or "Save" from the lifecycle JSON editor.
    public func saveOrTestLifecyclePolicy(_ request: Request, name: String) async -> ConsoleReply {
        guard request.carriesToken else { return forbidden(request) }
        let text = request.field("lifecyclePolicyText") ?? ""
        let body = Self.body([("repositoryName", .string(name)), ("lifecyclePolicyText", .string(text))])
        guard request.field("do") == "test" else {
            if case .failure(let error) = await callECR(ECROperation.PutLifecyclePolicy.self, body, request) {
                return await lifecyclePolicyPage(request, name: name, text: text, error: error)
            }
            flash(.success("Successfully saved the lifecycle policy of \(name)."), for: request.session)
            return .redirect(repositoryPath(name, "", request, query: [("tab", "lifecycle")]))
        }
        if case .failure(let error) = await callECR(ECROperation.StartLifecyclePolicyPreview.self, body, request) {
            return await lifecyclePolicyPage(request, name: name, text: text, error: error)
        }
        var result: ECRShapes.GetLifecyclePolicyPreviewResponse?
        for _ in 0..<5 {
            switch await callECR(ECROperation.GetLifecyclePolicyPreview.self, Self.body([("repositoryName", .string(name))]), request) {
            case .failure(let error):
                return await lifecyclePolicyPage(request, name: name, text: text, error: error)
            case .success(let output):
                result = output
            }
            if result?.status != "IN_PROGRESS" { break }
            try? await Task.sleep(nanoseconds: 100_000_000)
        }
        let expiring = result?.previewResults ?? []
        let rows: [HTML] = expiring.map { image in
            """
            <tr><td>\((image.imageTags ?? []).joined(separator: ", ").nonEmpty ?? "<untagged>")</td>\
            <td class="digest"><code>\(image.imageDigest ?? "")</code></td><td>\(Self.consoleTime(image.imagePushedAt))</td>\
            <td>\(image.appliedRulePriority ?? 0)</td><td>\(image.action?.type == "EXPIRE" || image.action?.type == "expire" ? "Expire" : image.action?.type ?? "")</td></tr>
            """
        }
        let preview: HTML = """
            <section class="panel" aria-label="Test results"><header><div><h2>Test results (\(expiring.count))</h2>
            <p>Status: \(result?.status ?? "-"). The images these rules would expire now; nothing was deleted.</p></div></header>
            <div class="content"><table class="list"><thead><tr><th scope="col">Image tag</th><th scope="col">Digest</th><th scope="col">Pushed at</th>\
            <th scope="col">Rule priority</th><th scope="col">Action</th></tr></thead>
            <tbody>\(rows.isEmpty ? "<tr><td class=\"empty\" colspan=\"5\">No images would expire</td></tr>" : rows.joined())</tbody></table></div></section>
            """
        return await lifecyclePolicyPage(request, name: name, text: text, preview: preview)
    }

    /// "Delete" on the Lifecycle policy tab: DeleteLifecyclePolicy.
    public func deleteLifecyclePolicy(_ request: Request, name: String) async -> ConsoleReply {
        await ecrChange(request, name: name, tab: "lifecycle", ECROperation.DeleteLifecyclePolicy.self,
                        Self.body([("repositoryName", .string(name))]), done: "Successfully deleted the lifecycle policy of \(name).")
    }

    // MARK: - Repository tags

    func repositoryArn(_ name: String, _ request: Request) -> String {
        "arn:aws:ecr:\(region(request)):\(request.session.accountId):repository/\(name)"
    }

    private func repositoryTags(_ name: String, _ request: Request) async -> Result<[ECRShapes.Tag], AWSError> {
        await callECR(ECROperation.ListTagsForResource.self, Self.body([("resourceArn", .string(repositoryArn(name, request)))]), request)
            .map { $0.tags ?? [] }
    }

    private func repositoryTagsTab(_ name: String, _ request: Request) async -> (HTML, AWSError?) {
        let tags: [ECRShapes.Tag]
        switch await repositoryTags(name, request) {
        case .failure(let error):
            return ("<section class=\"panel\"><header><h2>Repository tags</h2></header><div class=\"content\">\(Layout.Alert.failure(error).html)</div></section>", error)
        case .success(let found): tags = found
        }
        let rows: [HTML] = tags.map { "<tr><td>\($0.key)</td><td>\($0.value)</td></tr>" }
        return ("""
            <section class="panel">
            <header><h2>Repository tags (\(tags.count))</h2><div class="actions"><a class="button" href="\(repositoryPath(name, "/tags", request))">Manage tags</a></div></header>
            <div class="content"><table class="list"><thead><tr><th scope="col">Key</th><th scope="col">Value</th></tr></thead>
            <tbody>\(rows.isEmpty ? "<tr><td class=\"empty\" colspan=\"2\">No tags associated with the resource.</td></tr>" : rows.joined())</tbody></table></div>
            </section>
            """, nil)
    }

    /// Manage tags: the repository's tags as editable rows.
    public func repositoryTagsPage(_ request: Request, name: String) async -> ConsoleReply {
        var alerts: [Layout.Alert] = []
        var tags: [ECRShapes.Tag] = []
        switch await repositoryTags(name, request) {
        case .failure(let error): alerts.append(.failure(error))
        case .success(let found): tags = found
        }
        let rows: [HTML] = (tags + [ECRShapes.Tag(key: "", value: "")]).enumerated().map { i, tag in
            """
            <div class="filters"><div class="field"><label for="tag-key-\(i + 1)">Key</label>\
            <input id="tag-key-\(i + 1)" name="Tags.member.\(i + 1).Key" value="\(tag.key)"></div>\
            <div class="field"><label for="tag-value-\(i + 1)">Value - optional</label>\
            <input id="tag-value-\(i + 1)" name="Tags.member.\(i + 1).Value" value="\(tag.value)"></div></div>
            """
        }
        return page(
            request, title: "Manage tags | Amazon ECR", navigation: .ecr, current: Self.repositoriesPath,
            breadcrumbs: ecrBreadcrumbs([(name, repositoryPath(name, "", request, query: [("tab", "tags")])), ("Manage tags", nil)], request),
            alerts: alerts, scripts: [.ecr],
            body: """
                <h1>Manage tags</h1>
                <form method="post" action="\(repositoryPath(name, "/tags", request))">
                <input type="hidden" name="csrf" value="\(request.session.csrfToken)">
                <section class="panel"><div class="content"><p class="hint">Clear a key to remove its tag; fill the empty row to add one.</p>\(rows)</div></section>
                <div class="actions"><a class="button" href="\(repositoryPath(name, "", request, query: [("tab", "tags")]))">Cancel</a><button type="submit" class="primary">Save</button></div>
                </form>
                """)
    }

    /// "Save": UntagResource for the keys removed, TagResource for the rest.
    public func saveRepositoryTags(_ request: Request, name: String) async -> ConsoleReply {
        guard request.carriesToken else { return forbidden(request) }
        let done = repositoryPath(name, "", request, query: [("tab", "tags")])
        let arn = JSONValue.string(repositoryArn(name, request))
        let wanted = Self.tags(in: request)
        let current: [ECRShapes.Tag]
        switch await repositoryTags(name, request) {
        case .failure(let error):
            flash(.failure(error), for: request.session)
            return .redirect(done)
        case .success(let found): current = found
        }
        let removed = current.map(\.key).filter { key in !wanted.contains { $0.0 == key } }
        if !removed.isEmpty {
            let body = Self.body([("resourceArn", arn), ("tagKeys", .array(removed.map(JSONValue.string)))])
            if case .failure(let error) = await callECR(ECROperation.UntagResource.self, body, request) {
                flash(.failure(error), for: request.session)
                return .redirect(done)
            }
        }
        if !wanted.isEmpty {
            let body = Self.body([
                ("resourceArn", arn), ("tags", .array(wanted.map { Self.body([("Key", .string($0.0)), ("Value", .string($0.1))]) })),
            ])
            if case .failure(let error) = await callECR(ECROperation.TagResource.self, body, request) {
                flash(.failure(error), for: request.session)
                return .redirect(done)
            }
        }
        flash(.success("Tags saved."), for: request.session)
        return .redirect(done)
    }
}
