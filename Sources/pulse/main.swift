import Foundation
import PulseCLI

exit(await CLI.main(Array(CommandLine.arguments.dropFirst())))
