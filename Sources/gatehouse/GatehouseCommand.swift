import ArgumentParser

@main
struct GatehouseCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "gatehouse",
        abstract: "An offline emulator of AWS IAM, STS and ECR.",
        subcommands: [Serve.self, PolicyCommand.self, StateCommand.self, DecisionsCommand.self, GCCommand.self],
        defaultSubcommand: nil)
}
