import AWSShapes
import ServiceKit

/// GetAuthorizationToken: what `aws ecr get-login-password` prints and
/// `docker login` sends to the registry.
///
/// Outside the one-transaction path: it touches no resource, and its signer
/// reads (the first time, creates) the server's secret in a transaction of
/// its own.
enum AuthorizationTokens {
    static func register(_ r: inout JSONService.Registrar) {
        r.register(ECROperation.GetAuthorizationToken.self, access: .check { _, _ in
            [AccessRequest(action: "ecr:GetAuthorizationToken", resource: "*")]
        }, handler: token)
    }

    @Sendable
    static func token(_ input: ECRShapes.GetAuthorizationTokenRequest, _ context: OperationContext) async throws
        -> ECRShapes.GetAuthorizationTokenResponse
    {
        let signer = try RegistryToken.Signer(store: context.store)
        let expires = context.now.adding(seconds: RegistryToken.lifetime)
        let registries = input.registryIds.flatMap { $0.isEmpty ? nil : $0 } ?? [context.accountId]
        let data = registries.map { registry in
            let password = signer.token(
                accessKeyId: context.principal.accessKeyId, principalArn: context.principal.arn, account: registry,
                region: context.region, expires: expires)
            return ECRShapes.AuthorizationData(
                authorizationToken: Base64.encode(Array("AWS:\(password)".utf8)), expiresAt: expires,
                proxyEndpoint: "http://\(context.environment.settings.registryHost(account: registry, region: context.region))")
        }
        return ECRShapes.GetAuthorizationTokenResponse(authorizationData: data)
    }
}
