import Arguments
import Foundation
import Localization
import Messages
import RPC
import Text
import Wire

public enum Commands {
    public static var root: Command {
        Command(
            "pulse", tr("hệ thống báo cáo dư luận xã hội: mạng lưới, báo cáo hằng tháng, khảo sát và phân tích.", en: "the public-opinion office's reporting system: the network, monthly reports, surveys and analysis."),
            subcommands: [
                DemoCommand.command,
                Command("health", tr("Kiểm tra gateway và mọi dịch vụ phía sau.", en: "Check the gateway and every service behind it."), run: health),
                Command("whoami", tr("Cho biết hệ thống xác định bạn là ai.", en: "Show how the gateway identifies you."), run: whoami),
                Command(
                    "methods", tr("Mọi phương thức các dịch vụ trả lời, với dạng thông điệp.", en: "List every method the services answer, with message shapes."),
                    options: [.flag("markdown", help: tr("In proto-docs/methods.md.", en: "Print proto-docs/methods.md."))], run: methods),
                CompletionCommand.command,
                RosterCommands.units, RosterCommands.people, RosterCommands.assign, RosterCommands.teams, RosterCommands.topics, RosterCommands.tasks,
                RosterCommands.network,
                ReportCommands.report, ReportCommands.survey, ReportCommands.status, DigestCommand.command,
                NotifyCommands.notify, NotifyCommands.subscribe, NotifyCommands.unsubscribe, NotifyCommands.subscriptions,
                AnalyticsCommands.trends, AnalyticsCommands.rising, AnalyticsCommands.spikes, AnalyticsCommands.phrases, AnalyticsCommands.search,
                AnalyticsCommands.ranking,
                TextCommands.text, AuditCommands.audit, PrivacyCommands.privacy, BackupCommands.backup, BackupCommands.restore, MetricsCommands.metrics, MetricsCommands.top, RPCCommand.command,
            ])
    }

    static func health(_ inv: Invocation) async throws {
        let status = try await inv.call(GatewayAPI.status, Empty())
        inv.output.emit(status) {
            inv.output.table(
                [tr("dịch vụ", en: "service"), tr("trạng thái", en: "status"), "µs", tr("phương thức", en: "methods"), "socket"],
                status.backends.map {
                    [$0.service.replacingOccurrences(of: "pulse.", with: "").trimmingCharacters(in: ["."]), $0.status == "SERVING" ? tr("hoạt động", en: "serving") : tr("không trả lời", en: "not answering"),
                     inv.output.number($0.microseconds), inv.output.number($0.methods), $0.socket]
                },
                numeric: [2, 3])
        }
        if status.backends.contains(where: { $0.status != "SERVING" }) { throw CLIError(tr("có dịch vụ không trả lời", en: "some services do not answer")) }
    }

    static func whoami(_ inv: Invocation) async throws {
        let me = try await inv.call(GatewayAPI.whoAmI, Empty())
        inv.output.emit(me) {
            if inv.output.format == .csv {
                let row = [String(me.uid), String(me.gid), String(me.pid), me.role, me.agency ?? "", me.person.map(String.init) ?? "", (me.units ?? []).joined(separator: " ")]
                return inv.output.table(["uid", "gid", "pid", "role", "agency", "person", "units"], [row])
            }
            var details: [String] = []
            if let agency = me.agency { details.append(tr("cơ quan \(agency)", en: "agency \(agency)")) }
            if let person = me.person { details.append(tr("người số \(person) trong mạng lưới", en: "roster person \(person)")) }
            if let units = me.units, !units.isEmpty { details.append(tr("đơn vị \(units.joined(separator: ", "))", en: "units \(units.joined(separator: ", "))")) }
            let role = Role(rawValue: me.role)?.word ?? me.role
            print("uid \(me.uid), gid \(me.gid), pid \(me.pid): \(role)" + (details.isEmpty ? "" : " (\(details.joined(separator: "; ")))"))
        }
    }

    static func methods(_ inv: Invocation) async throws {
        let all = try await inv.call(GatewayAPI.listAllMethods, Empty())
        if inv.arguments.has("markdown") {
            print(markdown(all.methods), terminator: "")
            return
        }
        inv.output.emit(all) {
            if inv.output.format == .csv {
                return inv.output.table(["method", "request", "response"], all.methods.map { [$0.name, $0.request, $0.response] })
            }
            for m in all.methods { print("\(m.name)\n    \(tr("yêu cầu ", en: "request "))  \(m.request)\n    \(tr("trả lời", en: "response")) \(m.response)") }
        }
    }

    /// proto-docs/methods.md, from reflection.
    public static func markdown(_ methods: [MethodShape]) -> String {
        var out = "# Methods\n\nEvery method behind the gateway, with the shapes of its messages, as the services' reflection\nreports them (`pulse methods --markdown` writes this file; a test keeps it equal).\n\n"
        out += "Notation: `{a: text, b?: int}` is a map whose key `b` may be absent; `[x]` an array of x;\n`enum(a|b)` text holding one of the values; `day(YYYY-MM-DD)` and `period(YYYY-MM)` text in that\nform; `date` tag 1 (epoch seconds); `bytes` a byte string; `map` a map of text keys.\n"
        var service = ""
        for m in methods {
            let parts = m.name.split(separator: "/")
            if String(parts[0]) != service {
                service = String(parts[0])
                out += "\n## \(service)\n"
            }
            out += "\n### \(parts[1])\n\n- request: `\(m.request)`\n- response: `\(m.response)`\n"
        }
        return out
    }
}
