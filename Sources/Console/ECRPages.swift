import AWSShapes
import AWSWire
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import JSON
import ServiceKit
import Platform

/// Amazon Elastic Container Registry › Private registry › Repositories: the
/// list, Create repository, Delete (typing "delete"), and the push commands
/// that work against this server. Every read and change is the ECR operation
/// itself (`callECR`) as the signed-in principal, in the page's region.
extension ConsoleApp {
    static let repositoriesPath = "/console/ecr/private-registry/repositories"

    /// A repository's page (or one of its sub-pages): the name is one
    /// percent-encoded path segment, slashes included (`team-a%2Falpine`).
    func repositoryPath(_ name: String, _ suffix: String = "", _ request: Request, query: [(String, String)] = []) -> String {
        ecrPath(Self.repositoriesPath + "/" + XMLWriter.percentEncode(name) + suffix, request, query: query)
    }

    /// A console path with the page's `?region=` carried on when the user picked one.
    func ecrPath(_ path: String, _ request: Request, query: [(String, String)] = []) -> String {
        var pairs = query
        if let picked = request.query["region"], AWSRegions.partition.contains(picked) { pairs.append(("region", picked)) }
        guard !pairs.isEmpty else { return path }
        return path + "?" + pairs.map { $0.0 + "=" + XMLWriter.percentEncode($0.1) }.joined(separator: "&")
    }

    /// The registry's host for the signed-in account in the page's region (`--advertised-host`, or
    /// `ACCOUNT.dkr.ecr.REGION.DOMAIN` with `--registry-domain`).
    func registryHost(_ request: Request) -> String {
        environment.settings.registryHost(account: request.session.accountId, region: region(request))
    }

    func ecrBreadcrumbs(_ more: [(label: String, path: String?)], _ request: Request) -> [(label: String, path: String?)] {
        [("Amazon ECR", ecrPath(Self.repositoriesPath, request)), ("Private registry", nil),
         ("Repositories", more.isEmpty ? nil : ecrPath(Self.repositoriesPath, request))] + more
    }

    // MARK: - Reading

    /// A JSON request body from its members; nil values are left out.
    static func body(_ members: [(String, JSONValue?)]) -> JSONValue {
        .object(JSONObject(members.compactMap { key, value in value.map { (key: key, value: $0) } }))
    }

    /// Every repository the caller may describe (DescribeRepositories, following nextToken).
    func allRepositories(_ request: Request) async -> Result<[ECRShapes.Repository], AWSError> {
        var found: [ECRShapes.Repository] = []
        var token: String?
        repeat {
            let body = Self.body([("maxResults", .number(JSONNumber(1000))), ("nextToken", token.map(JSONValue.string))])
            switch await callECR(ECROperation.DescribeRepositories.self, body, request) {
            case .failure(let error): return .failure(error)
            case .success(let output):
                found += output.repositories ?? []
                token = output.nextToken
            }
        } while token != nil
        return .success(found)
    }

    /// One repository (DescribeRepositories with its name).
    func describeRepository(_ name: String, _ request: Request) async -> Result<ECRShapes.Repository, AWSError> {
        let body = Self.body([("repositoryNames", .array([.string(name)]))])
        return await callECR(ECROperation.DescribeRepositories.self, body, request).flatMap { output in
            guard let repository = output.repositories?.first else {
                return .failure(AWSError(code: "RepositoryNotFoundException", message: "The repository with name '\(name)' does not exist", status: 400))
            }
            return .success(repository)
        }
    }

    static func mutabilityLabel(_ value: String?) -> String {
        switch value {
        case "IMMUTABLE": "Immutable"
        case "IMMUTABLE_WITH_EXCLUSION": "Immutable with exclusions"
        case "MUTABLE_WITH_EXCLUSION": "Mutable with exclusions"
        default: "Mutable"
        }
    }

    static func encryptionLabel(_ value: ECRShapes.EncryptionConfiguration?) -> String {
        switch value?.encryptionType {
        case "KMS": "AWS KMS"
        case "KMS_DSSE": "AWS KMS - Dual-layer"
        default: "AES-256"
        }
    }

    /// A time as AWS's console writes it: `May 01, 2024, 12:34:56 (UTC)`.
    static func consoleTime(_ time: Timestamp?) -> String {
        guard let time else { return "-" }
        let iso = Array(time.iso8601)  // 2024-05-01T12:34:56Z
        guard iso.count >= 19, let month = Int(String(iso[5..<7])), (1...12).contains(month) else { return time.iso8601 }
        let months = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"]
        return "\(months[month - 1]) \(String(iso[8..<10])), \(String(iso[0..<4])), \(String(iso[11..<19])) (UTC)"
    }

    /// A copy button for a value (ecr.js writes it to the clipboard).
    static func copyButton(_ value: String, label: String) -> HTML {
        "<button type=\"button\" class=\"copy\" data-copy=\"\(value)\" aria-label=\"\(label)\">Copy</button>"
    }

    // MARK: - Repositories

    /// Private registry › Repositories.
    public func repositories(_ request: Request) async -> ConsoleReply {
        let search = request.query["search"] ?? ""
        var alerts: [Layout.Alert] = []
        var matching: [ECRShapes.Repository] = []
        var denied = false
        switch await allRepositories(request) {
        case .failure(let error):
            alerts.append(.failure(error))
            denied = true
        case .success(let repositories):
            matching = repositories
                .filter { search.isEmpty || ($0.repositoryName ?? "").lowercased().contains(search.lowercased()) }
                .sorted { ($0.repositoryName ?? "") < ($1.repositoryName ?? "") }
        }
        let (shown, pager) = paginate(matching, request: request, path: Self.repositoriesPath)
        let rows: [HTML] = shown.map { repository in
            let name = repository.repositoryName ?? ""
            let uri = repository.repositoryUri ?? ""
            return """
                <tr><td><input type="radio" name="repository" value="\(name)" aria-label="Select \(name)"></td>\
                <td><a href="\(repositoryPath(name, "", request))">\(name)</a></td>\
                <td><span class="ecr-uri"><code>\(uri)</code>\(Self.copyButton(uri, label: "Copy URI of \(name)"))</span></td>\
                <td>\(Self.consoleTime(repository.createdAt))</td>\
                <td>\(Self.mutabilityLabel(repository.imageTagMutability))</td>\
                <td>\(Self.encryptionLabel(repository.encryptionConfiguration))</td>\
                <td>\(repository.imageScanningConfiguration?.scanOnPush == true ? "Scan on push" : "Manual")</td></tr>
                """
        }
        let openByName: HTML = denied ? """
            <section class="panel"><header><div><h2>Open a repository by name</h2>
            <p>You may still reach a repository whose images your permissions let you list.</p></div></header>
            <div class="content"><form class="filters" method="get" action="/console/ecr/private-registry/open">
            \(regionField(request))<input type="hidden" name="action" value="view">
            <div class="field"><label for="open-repository">Repository name</label>
            <input id="open-repository" name="repository" autocomplete="off" spellcheck="false"></div>
            <button type="submit">View repository</button></form></div></section>
            """ : .empty
        return page(
            request, title: "Repositories | Amazon ECR", navigation: .ecr, current: Self.repositoriesPath,
            breadcrumbs: ecrBreadcrumbs([], request), alerts: alerts, scripts: [.ecr],
            body: """
                <div class="page-header"><div><h1>Private repositories (\(matching.count))</h1></div></div>
                \(openByName)
                <section class="panel"><div class="content">
                <form class="filters" method="get" action="\(Self.repositoriesPath)" role="search">
                \(regionField(request))
                <input type="search" name="search" value="\(search)" aria-label="Find repositories" placeholder="Find repositories">
                <button type="submit">Search</button>
                </form>
                <form method="get" action="/console/ecr/private-registry/open">
                \(regionField(request))
                <div class="table-actions">
                <button type="submit" name="action" value="push">View push commands</button>
                <button type="submit" name="action" value="delete">Delete</button>
                <a class="button primary" href="\(ecrPath(Self.repositoriesPath + "/create", request))">Create repository</a>
                </div>
                <table class="list"><thead><tr><th scope="col"><span class="visually-hidden">Select</span></th>\
                <th scope="col">Repository name</th><th scope="col">URI</th><th scope="col">Created at</th>\
                <th scope="col">Tag immutability</th><th scope="col">Encryption type</th><th scope="col">Scan frequency</th></tr></thead>
                <tbody>\(rows.isEmpty ? "<tr><td class=\"empty\" colspan=\"7\">No repositories</td></tr>" : rows.joined())</tbody></table>
                </form>
                \(pager)
                </div></section>
                """)
    }

    /// The `region` a form carries on, when the page has one.
    func regionField(_ request: Request) -> HTML {
        guard let picked = request.query["region"], AWSRegions.partition.contains(picked) else { return .empty }
        return "<input type=\"hidden\" name=\"region\" value=\"\(picked)\">"
    }

    /// The list's buttons act on the selected repository (or one typed by name).
    public func openRepository(_ request: Request) -> ConsoleReply {
        let name = (request.query["repository"] ?? "").trimmingWhitespace()
        guard !name.isEmpty else {
            flash(.error("Select a repository first."), for: request.session)
            return .redirect(ecrPath(Self.repositoriesPath, request))
        }
        switch request.query["action"] {
        case "push": return .redirect(repositoryPath(name, "/push-commands", request))
        case "delete": return .redirect(repositoryPath(name, "/delete", request))
        default: return .redirect(repositoryPath(name, "", request))
        }
    }

    // MARK: - Create repository

    /// Private registry › Repositories › Create repository.
    public func createRepositoryPage(_ request: Request, form: [(String, String)] = [], error: AWSError? = nil) -> ConsoleReply {
        func value(_ name: String, _ otherwise: String = "") -> String { form.first { $0.0 == name }?.1 ?? otherwise }
        let mutability = value("imageTagMutability", "MUTABLE")
        let encryption = value("encryptionType", "AES256")
        let scan = value("scanOnPush") == "true"
        func checked(_ on: Bool) -> HTML { on ? HTML(trusted: " checked") : .empty }
        return page(
            request, title: "Create repository | Amazon ECR", navigation: .ecr, current: Self.repositoriesPath,
            breadcrumbs: ecrBreadcrumbs([("Create repository", nil)], request), alerts: error.map { [.failure($0)] } ?? [],
            scripts: [.ecr], status: error?.status ?? 200,
            body: """
                <h1>Create private repository</h1>
                <form method="post" action="\(ecrPath(Self.repositoriesPath + "/create", request))">
                <input type="hidden" name="csrf" value="\(request.session.csrfToken)">
                <section class="panel"><header><h2>General settings</h2></header><div class="content">
                <div class="field"><label for="repository-name">Repository name</label>
                <div class="ecr-prefix"><span class="prefix">\(registryHost(request))/</span>\
                <input id="repository-name" name="repositoryName" value="\(value("repositoryName"))" autocomplete="off" spellcheck="false" required></div>
                <span class="hint">The name must start with a letter and can only contain lowercase letters, numbers, hyphens, underscores, periods and forward slashes.</span></div>
                <fieldset class="choices"><legend>Image tag mutability</legend>
                <label><input type="radio" name="imageTagMutability" value="MUTABLE"\(checked(mutability == "MUTABLE"))> Mutable</label>
                <span class="hint">Image tags can be overwritten.</span>
                <label><input type="radio" name="imageTagMutability" value="IMMUTABLE"\(checked(mutability == "IMMUTABLE"))> Immutable</label>
                <span class="hint">Image tags are prevented from being overwritten.</span>
                </fieldset>
                <div class="field"><label for="mutability-exclusions">Tag exclusions - optional</label>
                <textarea id="mutability-exclusions" name="exclusions" rows="3" spellcheck="false">\(value("exclusions"))</textarea>
                <span class="hint">One wildcard filter a line (for example release-*). Tags that match one are the exception to the mutability setting above.</span></div>
                </div></section>
                <section class="panel"><header><h2>Encryption settings</h2></header><div class="content">
                <fieldset class="choices"><legend>Encryption configuration</legend>
                <label><input type="radio" name="encryptionType" value="AES256"\(checked(encryption == "AES256"))> AES-256</label>
                <span class="hint">Industry standard Advanced Encryption Standard (AES) encryption.</span>
                <label><input type="radio" name="encryptionType" value="KMS"\(checked(encryption == "KMS"))> AWS KMS</label>
                <span class="hint">AWS Key Management Service (KMS).</span>
                </fieldset>
                <div class="field"><label for="kms-key">KMS key - optional</label>
                <input id="kms-key" name="kmsKey" value="\(value("kmsKey"))" autocomplete="off" spellcheck="false">
                <span class="hint">With AWS KMS: a key ARN; empty for the AWS managed key (aws/ecr).</span></div>
                <p class="hint">The encryption settings of a repository can't be changed once it is created.</p>
                </div></section>
                <section class="panel"><header><h2>Image scanning settings</h2></header><div class="content">
                <label><input type="checkbox" name="scanOnPush" value="true"\(checked(scan))> Scan on push</label>
                <p class="hint">Each image is scanned after being pushed to the repository.</p>
                </div></section>
                <div class="actions"><a class="button" href="\(ecrPath(Self.repositoriesPath, request))">Cancel</a><button type="submit" class="primary">Create</button></div>
                </form>
                """)
    }

    /// "Create": CreateRepository with the form's settings.
    public func createRepository(_ request: Request) async -> ConsoleReply {
        guard request.carriesToken else { return forbidden(request) }
        let name = request.field("repositoryName") ?? ""
        let exclusions = (request.field("exclusions") ?? "").split(whereSeparator: \.isNewline)
            .map { $0.trimmingWhitespace() }.filter { !$0.isEmpty }
        var mutability = request.field("imageTagMutability") ?? "MUTABLE"
        if !exclusions.isEmpty, mutability == "MUTABLE" || mutability == "IMMUTABLE" { mutability += "_WITH_EXCLUSION" }
        let encryptionType = request.field("encryptionType") ?? "AES256"
        let kmsKey = (request.field("kmsKey") ?? "").trimmingWhitespace()
        let body = Self.body([
            ("repositoryName", .string(name)),
            ("imageTagMutability", .string(mutability)),
            ("imageTagMutabilityExclusionFilters", exclusions.isEmpty ? nil : .array(exclusions.map {
                Self.body([("filterType", .string("WILDCARD")), ("filter", .string($0))])
            })),
            ("encryptionConfiguration", Self.body([
                ("encryptionType", .string(encryptionType)), ("kmsKey", kmsKey.isEmpty ? nil : .string(kmsKey)),
            ])),
            ("imageScanningConfiguration", Self.body([("scanOnPush", .bool(request.field("scanOnPush") == "true"))])),
        ])
        if case .failure(let error) = await callECR(ECROperation.CreateRepository.self, body, request) {
            return createRepositoryPage(request, form: request.form, error: error)
        }
        flash(.success("Successfully created private repository, \(name)."), for: request.session)
        return .redirect(ecrPath(Self.repositoriesPath, request))
    }

    // MARK: - Delete repository

    /// Delete: the confirmation AWS asks for, typing "delete".
    public func deleteRepositoryPage(_ request: Request, name: String, error: String? = nil) -> ConsoleReply {
        page(
            request, title: "Delete \(name) | Amazon ECR", navigation: .ecr, current: Self.repositoriesPath,
            breadcrumbs: ecrBreadcrumbs([(name, repositoryPath(name, "", request)), ("Delete", nil)], request),
            alerts: error.map { [.error($0)] } ?? [], scripts: [.ecr], status: error == nil ? 200 : 400,
            body: Self.confirmation(
                title: "Delete \(name)?", action: repositoryPath(name, "/delete", request),
                cancel: ecrPath(Self.repositoriesPath, request), request,
                message: "Deleting the repository \(name) also deletes every image in it. You can't undo this action.",
                hidden: []))
    }

    /// The confirmation form: type "delete", then Delete.
    static func confirmation(
        title: String, action: String, cancel: String, _ request: Request, message: String, hidden: [(String, String)], list: HTML = .empty
    ) -> HTML {
        let fields: [HTML] = hidden.map { "<input type=\"hidden\" name=\"\($0.0)\" value=\"\($0.1)\">" }
        return """
            <h1>\(title)</h1>
            <form method="post" action="\(action)">
            <input type="hidden" name="csrf" value="\(request.session.csrfToken)">\(fields)
            <section class="panel"><div class="content">
            <p>\(message)</p>\(list)
            <div class="field"><label for="confirm-delete">To confirm deletion, type delete in the field.</label>
            <input id="confirm-delete" name="confirm" data-confirm="delete" placeholder="delete" autocomplete="off" spellcheck="false"></div>
            </div></section>
            <div class="actions"><a class="button" href="\(cancel)">Cancel</a><button type="submit" class="primary" data-confirmed>Delete</button></div>
            </form>
            """
    }

    /// "Delete": DeleteRepository (with its images, as AWS's console deletes it) once "delete" was typed.
    public func deleteRepository(_ request: Request, name: String) async -> ConsoleReply {
        guard request.carriesToken else { return forbidden(request) }
        guard request.field("confirm")?.trimmingWhitespace() == "delete" else {
            return deleteRepositoryPage(request, name: name, error: "To confirm deletion, type delete in the field.")
        }
        let body = Self.body([("repositoryName", .string(name)), ("force", .bool(true))])
        switch await callECR(ECROperation.DeleteRepository.self, body, request) {
        case .failure(let error):
            return deleteRepositoryPage(request, name: name, error: error.said)
        case .success:
            flash(.success("Successfully deleted repository \(name)."), for: request.session)
            return .redirect(ecrPath(Self.repositoriesPath, request))
        }
    }

    // MARK: - Push commands

    /// View push commands: what works against this server, with the URI ECR answers.
    public func pushCommands(_ request: Request, name: String) async -> ConsoleReply {
        let host = registryHost(request)
        var alerts: [Layout.Alert] = []
        var uri = host + "/" + name
        switch await describeRepository(name, request) {
        case .success(let repository): uri = repository.repositoryUri ?? uri
        case .failure(let error): alerts.append(.info("The repository URI below is this registry's; ECR did not describe the repository: " + error.said))
        }
        let local = name.split(separator: "/").last.map(String.init) ?? name
        let commands: [(String, String)] = [
            ("Retrieve an authentication token and authenticate your Docker client to your registry. Use the AWS CLI:",
             "aws ecr get-login-password --region \(region(request)) --endpoint-url http://\(advertisedHost) | docker login --username AWS --password-stdin \(host)"),
            ("Build your Docker image using the following command. You can skip this step if your image is already built:",
             "docker build -t \(local) ."),
            ("After the build completes, tag your image so you can push the image to this repository:",
             "docker tag \(local):latest \(uri):latest"),
            ("Run the following command to push this image to your newly created AWS repository:",
             "docker push \(uri):latest"),
        ]
        let steps: [HTML] = commands.enumerated().map { i, step in
            "<li><p>\(step.0)</p><pre><code>\(step.1)</code>\(Self.copyButton(step.1, label: "Copy command \(i + 1)"))</pre></li>"
        }
        return page(
            request, title: "Push commands for \(name) | Amazon ECR", navigation: .ecr, current: Self.repositoriesPath,
            breadcrumbs: ecrBreadcrumbs([(name, repositoryPath(name, "", request)), ("Push commands", nil)], request),
            alerts: alerts, scripts: [.ecr],
            body: """
                <h1>Push commands for \(name)</h1>
                <section class="panel" aria-label="Push commands"><header><h2>macOS / Linux</h2></header><div class="content">
                <p>Make sure that you have the latest version of the AWS CLI and Docker installed.</p>
                <ol class="push-commands">\(steps)</ol>
                <p class="hint">This registry speaks plain HTTP: Docker needs \(host) in its daemon's "insecure-registries" (localhost and 127.0.0.1 need nothing). skopeo and crane accept --tls-verify=false / --insecure instead.</p>
                </div></section>
                <div class="actions"><a class="button" href="\(repositoryPath(name, "", request))">Close</a></div>
                """)
    }
}

extension ConsoleApp {
    static let ecrRoutes: [ConsoleRoute] = {
        let repositories = "ecr/private-registry/repositories"
        let repository = repositories + "/:repository"
        @Sendable func name(_ request: ConsoleApp.Request) -> String { request.parameter("repository") }
        return [
            .get("ecr") { app, request in .redirect(app.ecrPath(ConsoleApp.repositoriesPath, request)) },
            .get(repositories) { app, request in await app.repositories(request) },
            .get("ecr/private-registry/open") { app, request in app.openRepository(request) },
            .get(repositories + "/create") { app, request in app.createRepositoryPage(request) },
            .post(repositories + "/create") { app, request in await app.createRepository(request) },
            .get(repository) { app, request in await app.repository(request, name: name(request)) },
            .get(repository + "/push-commands") { app, request in await app.pushCommands(request, name: name(request)) },
            .get(repository + "/delete") { app, request in app.deleteRepositoryPage(request, name: name(request)) },
            .post(repository + "/delete") { app, request in await app.deleteRepository(request, name: name(request)) },
            .post(repository + "/images/delete") { app, request in await app.deleteImages(request, name: name(request)) },
            .get(repository + "/policy") { app, request in await app.repositoryPolicyPage(request, name: name(request)) },
            .post(repository + "/policy") { app, request in await app.setRepositoryPolicy(request, name: name(request)) },
            .post(repository + "/policy/delete") { app, request in await app.deleteRepositoryPolicy(request, name: name(request)) },
            .get(repository + "/lifecycle/rule") { app, request in app.lifecycleRulePage(request, name: name(request)) },
            .post(repository + "/lifecycle/rule") { app, request in await app.addLifecycleRule(request, name: name(request)) },
            .get(repository + "/lifecycle/json") { app, request in await app.lifecyclePolicyPage(request, name: name(request)) },
            .post(repository + "/lifecycle/json") { app, request in await app.saveOrTestLifecyclePolicy(request, name: name(request)) },
            .post(repository + "/lifecycle/delete") { app, request in await app.deleteLifecyclePolicy(request, name: name(request)) },
            .get(repository + "/tags") { app, request in await app.repositoryTagsPage(request, name: name(request)) },
            .post(repository + "/tags") { app, request in await app.saveRepositoryTags(request, name: name(request)) },
        ]
    }()
}
