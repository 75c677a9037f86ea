import Logging
import ServiceLifecycle
import Storage

/// Writes the usage requests noted (`UsageLedger`) every `interval`, and once
/// more when the server shuts down: reports that read it write it first
/// themselves, so this only bounds how long it stays in memory.
struct UsageFlusher: Service, CustomStringConvertible {
    let store: Store
    let interval: Duration
    let logger: Logger

    /// Names it for ServiceLifecycle without reflection (see Housekeeping.description).
    var description: String { "UsageFlusher" }

    func run() async throws {
        await cancelWhenGracefulShutdown {
            while (try? await Task.sleep(for: interval)) != nil {
                flush()
            }
        }
        flush()
    }

    func flush() {
        do {
            try store.flushUsage()
        } catch {
            logger.error("writing usage failed: \(error)")
        }
    }
}
