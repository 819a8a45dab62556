import Arguments
import Localization

/// `pulse completion bash|zsh`: shell completion written from the command tree itself, so it
/// never falls behind the commands.
enum CompletionCommand {
    static var command: Command {
        Command(
            "completion", tr("In mã gợi ý lệnh cho bash hoặc zsh.", en: "Print shell completion for bash or zsh."), arguments: "<bash|zsh>",
            subcommands: []
        ) { inv in
            let shell = try inv.positional(0, "bash|zsh")
            switch shell {
            case "bash": print(bash(Commands.root))
            case "zsh": print(zsh(Commands.root))
            default:
                throw UsageError(tr("không hỗ trợ shell \"\(shell)\"; chọn bash hoặc zsh", en: "no completion for the shell \"\(shell)\"; choose bash or zsh"))
            }
        }
    }

    /// Every command path with the words that may follow it: its subcommands, else its options.
    static func table(_ root: Command) -> [(path: String, words: [String])] {
        var rows: [(String, [String])] = []
        func walk(_ command: Command, _ path: [String]) {
            let words = command.subcommands.isEmpty
                ? (command.options + CLI.globalOptions + [ArgumentParser.help]).map { "--" + $0.name }
                : command.subcommands.map(\.name)
            rows.append((path.joined(separator: " "), words))
            for sub in command.subcommands { walk(sub, path + [sub.name]) }
        }
        walk(root, [])
        return rows
    }

    static func bash(_ root: Command) -> String {
        var out = """
            # pulse completion for bash: source it, or save it as /etc/bash_completion.d/pulse
            _pulse() {
                local cur="${COMP_WORDS[COMP_CWORD]}" path="" i
                for ((i = 1; i < COMP_CWORD; i++)); do
                    case "${COMP_WORDS[i]}" in -*) ;; *) path="${path:+$path }${COMP_WORDS[i]}" ;; esac
                done
                local words
                case "$path" in

            """
        for row in table(root) {
            out += "        \"\(row.path)\") words=\"\(row.words.joined(separator: " "))\" ;;\n"
        }
        out += """
                    *) words="" ;;
                esac
                COMPREPLY=($(compgen -W "$words" -- "$cur"))
            }
            complete -o default -F _pulse pulse
            """
        return out
    }

    static func zsh(_ root: Command) -> String {
        var out = """
            #compdef pulse
            # pulse completion for zsh: save it as _pulse in a directory on $fpath
            _pulse() {
                local path="" w
                for w in ${words[2,CURRENT-1]}; do
                    [[ $w == -* ]] || path="${path:+$path }$w"
                done
                local -a candidates
                case "$path" in

            """
        for row in table(root) {
            out += "        \"\(row.path)\") candidates=(\(row.words.joined(separator: " "))) ;;\n"
        }
        out += """
                    *) candidates=() ;;
                esac
                compadd -a candidates
            }
            _pulse "$@"
            """
        return out
    }
}
