import Base
import Foundation
import Messages
import RPC
import Synchronization
import TestSupport
@testable import Notification

/// A clock the test moves by hand.
final class TestClock: Sendable {
    private let now: Mutex<Date>
    init(_ start: Date) { now = Mutex(start) }
    func read() -> Date { now.withLock { $0 } }
    func set(_ date: Date) { now.withLock { $0 = date } }
    func advance(_ seconds: TimeInterval) { now.withLock { $0 = $0.addingTimeInterval(seconds) } }
}

/// An instant in the province: "2026-11-20 07:00".
func vn(_ text: String) -> Date {
    let formatter = DateFormatter()
    formatter.locale = Locale(identifier: "en_US_POSIX")
    formatter.timeZone = TimeZone(identifier: "Asia/Ho_Chi_Minh")
    formatter.dateFormat = "yyyy-MM-dd HH:mm"
    return formatter.date(from: text)!
}

/// An engine over a real store in `directory` whose roster and intake are never asked: the
/// tests plan with ``NoticeRules`` themselves and use the engine to deliver.
func deliveryEngine(_ directory: String, channel: any DeliveryChannel, policy: DeliveryPolicy = DeliveryPolicy(quietHours: .none), clock: TestClock) throws -> NotificationEngine {
    NotificationEngine(
        store: try NotificationStore(directory: directory), templates: try NoticeTemplates(), rules: NoticeRules(RuleConfiguration()), channel: channel,
        policy: policy, roster: RPCClient(path: directory + "/no-roster.sock"), intake: RPCClient(path: directory + "/no-intake.sock"), analytics: nil,
        logger: Logger.silent(), clock: { clock.read() })
}

/// Roster as the tests need it: a province (42, with an official), `count` communes under it,
/// an official for each, and two commission staff; e-mail addresses on everyone.
func testDirectory(communes count: Int, english: Set<Int> = [], withoutOfficial: Set<Int> = []) -> RosterDirectory {
    let start = Day(year: 2025, month: 7, day: 1)!
    var units = [
        OrgUnit(code: "42", kind: .province, nameVi: "Hà Tĩnh", validFrom: start),
        OrgUnit(code: "BTGDV", kind: .commission, nameVi: "Ban Tuyên giáo và Dân vận Tỉnh ủy", parent: "42", validFrom: start),
    ]
    var people = [
        Person(id: 1, fullName: "Trần Văn Tỉnh", unit: "42", role: .official, email: "tinh@hatinh.gov.vn", joined: start),
        Person(id: 2, fullName: "Nguyễn Thị Ban", unit: "BTGDV", role: .staff, email: "ban1@hatinh.gov.vn", joined: start),
        Person(id: 3, fullName: "Lê Văn Hai", unit: "BTGDV", role: .staff, email: "ban2@hatinh.gov.vn", joined: start, language: "en"),
    ]
    var assignments = [Assignment(unit: "42", person: 1, personName: "Trần Văn Tỉnh", from: start, to: nil)]
    for i in 1...count {
        let code = String(18000 + i)
        units.append(OrgUnit(code: code, kind: .commune, nameVi: "Thạch \(i)", parent: "42", validFrom: start))
        guard !withoutOfficial.contains(i) else { continue }
        let id = 100 + i
        people.append(Person(id: id, fullName: "Cán Bộ \(i)", unit: code, role: .official, email: "cb\(i)@xa.hatinh.gov.vn", joined: start, language: english.contains(i) ? "en" : nil))
        assignments.append(Assignment(unit: code, person: id, personName: "Cán Bộ \(i)", from: start, to: nil))
    }
    let topics = [Topic(code: "dat-dai", labelVi: "Đất đai", labelEn: "Land"), Topic(code: "y-te", labelVi: "Y tế", labelEn: "Health")]
    return RosterDirectory(units: units, assignments: assignments, people: people, topics: topics, on: Day(year: 2026, month: 11, day: 1)!)
}

/// "unit|period" for every commune of ``testDirectory(communes:)`` in `period`: a month everyone reported.
func everyoneReported(_ period: String, communes count: Int) -> Set<String> {
    Set((1...count).map { "\(18000 + $0)|\(period)" })
}
