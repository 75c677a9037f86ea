import Console
import Registry
import ServiceKit

/// Who is calling, as the authentication middleware of the request's route
/// group established it. Each group has one way of telling
/// (`AuthenticationScheme`); handlers read the case their group sets.
public enum Caller: Sendable {
    /// No one has been established: public routes (health, signed layer
    /// downloads), and every request before its group's middleware ran.
    case anonymous
    /// An AWS API request: the SigV4-verified principal and the region it
    /// signed for, or the anonymous principal of an operation AWS serves unsigned.
    case aws(principal: Principal, region: String?)
    /// A registry request: the principal the ECR login token was issued to,
    /// and the registry (account, region) the request addresses.
    case registry(RegistryService.Caller)
    /// A signed-in web console visitor: the principal of their session.
    case console(ConsoleSession)
    /// The operator, on the admin endpoints.
    case admin(AdminAccess)

    public enum AdminAccess: Sendable {
        /// A peer on this machine.
        case loopback
        /// A remote peer that presented `--admin-token`.
        case token
    }
}
