import Dispatch

/// Slow, CPU-bound work — deriving or checking a password hash, PBKDF2 on
/// purpose — run away from the event loops: on one thread of its own, one
/// piece at a time. Thirty learners signing in at once otherwise queued
/// every request on the server behind their hashes; this way the loops go on
/// serving pages while the hashes wait their turn (and on a machine with two
/// cores, hashing never takes both).
public enum SlowWork {
    private static let queue = DispatchQueue(label: "gatehouse.slow-work", qos: .userInitiated)

    public static func run<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            queue.async { continuation.resume(with: Result { try body() }) }
        }
    }
}
