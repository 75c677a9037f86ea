import ArgumentParser
import GatehouseServer
import ServiceKit
import NIOCore
import NIOPosix
import Platform

@main
struct GatehouseCommand: AsyncParsableCommand {
    /// Swift Concurrency runs on NIO's event loops: a request's handler then
    /// runs on the thread that read it, with no hop to the cooperative pool
    /// and back for every request (NIOSingletons' documentation). Installed
    /// before anything else runs.
    static func main() async {
        // One event loop per CPU this process may run on. NIO counts the
        // machine's CPUs (and cgroup limits), not the affinity mask: under
        // `taskset -c 0` it made two loops on one core, and requests' tasks
        // hopped between them (a wake-up and a context switch each).
        if let cpus = CPUAffinity.allowedCount(), cpus < System.coreCount { NIOSingletons.groupLoopCountSuggestion = cpus }
        NIOSingletons.unsafeTryInstallSingletonPosixEventLoopGroupAsConcurrencyGlobalExecutor()
        await mainCommand()
    }

    private static func mainCommand() async {
        do {
            var command = try parseAsRoot()
            if var asyncCommand = command as? any AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
        } catch {
            exit(withError: error)
        }
    }

    // Every command here gives its commandName: without one ArgumentParser
    // derives it from the type's demangled name, for the whole command tree,
    // on every start (a few milliseconds of `serve`'s start-up).
    static let configuration = CommandConfiguration(
        commandName: "gatehouse",
        abstract: "An offline emulator of AWS IAM, STS, ECR and IAM Access Analyzer.",
        version: versionText,
        subcommands: [Serve.self, PolicyCommand.self, StateCommand.self, DecisionsCommand.self, GCCommand.self, LabCommand.self],
        defaultSubcommand: nil)

    /// `gatehouse --version`: the release, the commit it was built from, and the
    /// data sets compiled in, each as its importer recorded where it came from.
    static var versionText: String {
        """
        gatehouse \(ServerConfiguration.version) (commit \(DataSets.buildCommit))
        AWS managed policies: \(DataSets.embedded.provenance(.managedPolicies))
        Service Authorization Reference: \(DataSets.embedded.provenance(.serviceCatalog))
        """
    }
}
