import ArgumentParser
import Foundation
import Scenario

/// `--config FILE` of the server commands: a YAML mapping whose keys are the command's
/// long option names and whose values are what the option takes (a list for a repeatable
/// option, true/false for a flag), expanded into command-line arguments placed before the
/// ones given, so that the same parser and checks apply to both. An option given on the
/// command line replaces the file's value(s) for it.
///
/// The options a command has are read from ArgumentParser's own description of it
/// (`--experimental-dump-help`), so a server command gets a config file by taking
/// `ServerOptions` and being listed in `commands`, with no table to keep in step.
/// Problems read `file:line:col: message` (exit 2, nothing started): YAML errors, unknown
/// keys (with a "did you mean"), lists for single options, and every error the parser or
/// the command's checks report about an option that came from the file.
struct ServerConfigFile {
    /// The commands that take `--config` (their `ServerOptions`).
    static let commands: [any ParsableCommand.Type] = [STUNServerCommand.self, TURNServerCommand.self, SignalServerCommand.self]

    /// The arguments to parse: the file's, then the command line's.
    var arguments: [String]
    /// Where the file gave each option's value(s), by long name.
    var origins: [String: [(value: String, location: SourceLocation)]] = [:]

    /// `arguments` as given, nothing from a file.
    init(unexpanded arguments: [String]) { self.arguments = arguments }

    /// `arguments` (without the executable) with the config file of a server command expanded.
    init(expanding arguments: [String]) throws {
        self.arguments = arguments
        guard let name = arguments.first, Self.commands.contains(where: { $0.configuration.commandName == name }),
              let file = Self.configPath(in: arguments) else { return }
        let text: String
        do { text = try String(contentsOfFile: file, encoding: .utf8) } catch {
            throw UsageError("icelab: cannot read --config \(file): \((error as NSError).localizedDescription)")
        }
        let schema = Self.options(of: name)
        let given = Set(arguments.dropFirst().compactMap(Self.longName))
        var expanded: [String] = []
        do throws(ScenarioError) {
            let root = try YAMLNode.parse(text, file: file)
            for (key, keyNode, value) in try root.mapping() {
                guard let option = schema[key] else {
                    throw keyNode.error("unknown option '\(key)' for \(name)\(Suggestions.hint(for: key, in: schema.keys.sorted()))")
                }
                if given.contains(key) { continue }
                if option.isFlag {
                    if try value.bool() { expanded.append("--\(key)") }
                    continue
                }
                let values = value.isSequence ? try value.sequence() : [value]
                if value.isSequence && !option.isRepeating { throw value.error("'\(key)' takes one value, found a list") }
                for element in values {
                    let text = try element.string()
                    if text.isEmpty { throw element.error("'\(key)' needs a value") }
                    expanded.append("--\(key)=\(text)")
                    origins[key, default: []].append((text, element.location))
                }
            }
        } catch {
            throw UsageError(error.description)
        }
        self.arguments = [name] + expanded + arguments.dropFirst()
    }

    /// An error about an option the file gave, placed at that value: `file:line:col: message`.
    func located(_ message: String) -> String? {
        guard !origins.isEmpty else { return nil }
        let firstLine = message.split(separator: "\n").first.map(String.init) ?? message
        let text = firstLine.hasPrefix("Error: ") ? String(firstLine.dropFirst(7)) : firstLine
        for name in Self.optionNames(in: text) {
            guard let values = origins[name] else { continue }
            let origin = values.first { text.contains("'\($0.value)'") } ?? values[0]
            return "\(origin.location): \(text)"
        }
        return nil
    }

    // MARK: Reading arguments

    /// The value of `--config FILE` or `--config=FILE`.
    static func configPath(in arguments: [String]) -> String? {
        for (index, argument) in arguments.enumerated() {
            if argument == "--config", index + 1 < arguments.count { return arguments[index + 1] }
            if argument.hasPrefix("--config=") { return String(argument.dropFirst("--config=".count)) }
        }
        return nil
    }

    /// `name` of an argument `--name` or `--name=value`.
    static func longName(_ argument: String) -> String? {
        guard argument.hasPrefix("--"), argument.count > 2 else { return nil }
        return String(argument.dropFirst(2).prefix { $0 != "=" })
    }

    /// The option names `--name` in a message, in order.
    static func optionNames(in message: String) -> [String] {
        message.split(whereSeparator: { $0 == " " || $0 == "," || $0 == "(" || $0 == ")" || $0 == "'" })
            .compactMap { longName(String($0)) }
    }

    // MARK: The command's options

    /// What the config file may set for an option.
    struct Option {
        var isFlag: Bool
        var isRepeating: Bool
    }

    /// The long options of the command `name` (but `--config` and `--help`), from
    /// ArgumentParser's JSON description of it.
    static func options(of name: String) -> [String: Option] {
        let json: String
        do {
            _ = try Icelab.parseAsRoot([name, "--experimental-dump-help"])
            return [:]
        } catch {
            json = Icelab.fullMessage(for: error)
        }
        guard let dump = try? JSONDecoder().decode(Dump.self, from: Data(json.utf8)) else { return [:] }
        var options: [String: Option] = [:]
        for argument in dump.command.arguments ?? [] where argument.kind != "positional" {
            for long in argument.names ?? [] where long.kind == "long" && !["config", "help", "version"].contains(long.name) {
                options[long.name] = Option(isFlag: argument.kind == "flag", isRepeating: argument.isRepeating ?? false)
            }
        }
        return options
    }

    /// The part of ArgumentParser's help dump read here.
    private struct Dump: Decodable {
        struct Command: Decodable { var arguments: [Argument]? }
        struct Argument: Decodable {
            var kind: String
            var names: [Name]?
            var isRepeating: Bool?
        }
        struct Name: Decodable {
            var kind: String
            var name: String
        }
        var command: Command
    }
}
