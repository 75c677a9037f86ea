import AWSShapes
import AccessAnalyzer
import Console
import ECR
import Hummingbird
import Registry
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import ServiceKit

/// The one HTTP edge: a Hummingbird router whose route groups are the
/// surfaces Gatehouse serves on its one port. Each group puts its caller
/// into the request context with its own `AuthenticationScheme` and writes
/// its refusals in its own protocol (an `HTTPResponseError`).
///
/// | path | serves | caller |
/// | --- | --- | --- |
/// | `/v2/_layers/DIGEST` | signed layer downloads (`LayerDownloads`) | none: the URL's signature |
/// | `/v2`, `/v2/…` | the registry (`RegistryRoutes`) | `.registry`: the ECR login token |
/// | `/_gatehouse/health` | health (`AdminEndpoints`) | none |
/// | `/_gatehouse/…` | reset, state, decisions (`AdminEndpoints`) | `.admin`: loopback or the admin token |
/// | `/console/signin…`, `/console/assets/…` | console sign-in and assets (`ConsoleRoutes`) | none |
/// | `/console/…` | the web console (`ConsoleRoutes`) | `.console`: the session cookie |
/// | `/` and any other path | IAM, STS, ECR, Access Analyzer APIs (`APIRoutes`) | `.aws`: SigV4 |
///
/// Each surface is one group in `router()`, its routes behind an
/// `Authentication` of its own scheme. Constant path segments win over the APIs' catch-all, whatever the order
/// groups are added in.
struct Edge: Sendable {
    let api: APIRoutes
    let registry: RegistryRoutes
    let admin: AdminEndpoints
    let adminAccess: AdminAuthentication
    let console: ConsoleRoutes

    func router() -> Router<GatehouseRequestContext> {
        let router = Router(context: GatehouseRequestContext.self)
        registry.addRoutes(to: router.group("v2"))
        admin.addRoutes(to: router.group("_gatehouse"), access: adminAccess)
        console.addRoutes(to: router.group("console"))
        api.addRoutes(to: router.group())
        return router
    }
}

extension Edge {
    /// The edge over the given services and state.
    init(
        environment: ServiceEnvironment, iam: QueryService, sts: QueryService, ecr: JSONService,
        credentials: CredentialResolver, seeder: Seeder, decisions: DecisionLog, adminToken: String?,
        acceptUnknownKeys: Bool
    ) throws {
        let accessAnalyzer = AccessAnalyzerService.make(decisions: decisions)
        console = ConsoleRoutes(
            app: ConsoleApp(environment: environment, iam: iam, sts: sts, ecr: ecr, accessAnalyzer: accessAnalyzer, decisions: decisions))
        let authenticator = Authenticator(
            credentials: credentials, acceptUnknownKeys: acceptUnknownKeys,
            defaultAccountId: environment.settings.defaultAccountId)
        api = APIRoutes(
            frontDoor: APIFrontDoor(
                iam: iam, sts: sts, ecr: ecr, accessAnalyzer: accessAnalyzer, environment: environment, authenticator: authenticator,
                bodyReader: RequestBodyReader()),
            authentication: SigV4Authentication(
                authenticator: authenticator, defaultAccountId: environment.settings.defaultAccountId),
            environment: environment)
        registry = RegistryRoutes(
            registry: try RegistryService(environment: environment, credentials: credentials),
            downloads: LayerDownloads(urls: try DownloadURL(store: environment.store), environment: environment))
        admin = AdminEndpoints(
            environment: environment, seeder: seeder, decisions: decisions, lab: Lab(environment: environment, iam: iam, ecr: ecr),
            services: [
                ("iam", iam.implementedOperations.count, IAMOperation.names.count),
                ("sts", sts.implementedOperations.count, STSOperation.names.count),
                ("ecr", ecr.implementedOperations.count, ECROperation.names.count),
                ("access-analyzer", accessAnalyzer.implementedOperations.count, accessAnalyzer.modelOperations.count),
            ])
        adminAccess = AdminAuthentication(token: adminToken)
    }
}
