// The floor under Gatehouse's start-up, memory and size (scripts/bench's
// `start` part): the same stack — Hummingbird on NIO, the Swift runtime linked
// statically, FoundationEssentials — serving one fixed answer and doing nothing
// else. What Gatehouse costs beyond this is Gatehouse's own.
//
//   HummingbirdSkeleton PORT
import Hummingbird

let port = CommandLine.arguments.dropFirst().first.flatMap(Int.init) ?? 8080
let router = Router()
// Any method on any path: the benchmark's readiness probe is a signed POST.
router.on("/", method: .post) { _, _ in "ok" }
router.on("/", method: .get) { _, _ in "ok" }
let app = Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: port), serverName: nil))
try await app.runService()
