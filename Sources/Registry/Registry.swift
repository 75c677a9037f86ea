/// The OCI Distribution API (`/v2/`) over ECR's repositories, authorized as
/// ECR authorizes it. Until it is built, the server answers `/v2/` with an
/// honest `UNSUPPORTED` (501) error.
public enum Registry {}
