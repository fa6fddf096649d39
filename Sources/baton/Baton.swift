import ArgumentParser

@main
struct Baton: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "baton", abstract: "Lead scoring and hand-off.")
}
