import Arguments
import Base
import Foundation
import Localization
import Messages
import RPC
import Wire

/// `pulse rpc`: calls any method by name, with a JSON body turned into CBOR (or raw CBOR), and
/// prints the answer as JSON; with no method, lists the methods. What grpcurl is to gRPC.
enum RPCCommand {
    static let command = Command(
        "rpc", tr("Gọi bất kỳ phương thức nào theo tên: pulse rpc PHƯƠNG-THỨC ['{\"trường\": giá trị}']; không có tên thì liệt kê chúng.", en: "Call any method by name: pulse rpc METHOD ['{\"field\": value}']; with no method, list them."),
        arguments: "[METHOD [JSON]]",
        options: [.option("cbor", value: "hex", help: tr("Gửi các byte này (hex) làm thân yêu cầu thay cho JSON.", en: "Send these bytes (hex) as the request body instead of JSON."))]
    ) { inv in
        guard inv.arguments.positionals.count > 0 else {
            let all = try await inv.call(GatewayAPI.listAllMethods, Empty())
            inv.output.emit(all) { for m in all.methods { print("\(m.name)\n    request  \(m.request)\n    response \(m.response)") } }
            return
        }
        let method = try inv.positional(0, "method")
        guard method.contains("/") else { throw UsageError(tr("<method> là tên đầy đủ như pulse.roster.v1.Roster/GetUnit (pulse rpc liệt kê chúng)", en: "<method> is a full name such as pulse.roster.v1.Roster/GetUnit (pulse rpc lists them)")) }
        let body: [UInt8]
        if let hex = inv.arguments.value("cbor") {
            guard let bytes = [UInt8](hex: hex.filter { $0 != " " }) else { throw UsageError(tr("--cbor nhận chữ số hex, hai chữ số một byte", en: "--cbor takes hex digits, two a byte")) }
            body = bytes
        } else {
            let text = inv.arguments.positionals.count > 1 ? inv.arguments.positionals[1] : "{}"
            guard let json = try? JSONSerialization.jsonObject(with: Data(text.utf8), options: [.fragmentsAllowed]) else {
                throw UsageError(tr("yêu cầu không phải JSON: \(text)", en: "the request is not JSON: \(text)"))
            }
            body = CBORWriter.encode(cbor(json))
        }
        let answer: [UInt8]
        do {
            answer = try await inv.client.callRaw(method, body: body, deadline: .seconds(60), metadata: [Language.metadataKey: Language.current.rawValue])
        } catch let error as RPCError {
            throw CLIError(error.message.isEmpty ? "\(error.code)" : "\(error.message) (\(error.code))")
        }
        let item = try CBORReader.decode(answer)
        let data = try JSONSerialization.data(withJSONObject: json(item), options: [.prettyPrinted, .sortedKeys, .fragmentsAllowed])
        print(String(decoding: data, as: UTF8.self))
    }

    /// JSON as CBOR: whole numbers as integers, others as floats.
    static func cbor(_ json: Any) -> CBOR {
        switch json {
        case let map as [String: Any]: return .map(map.map { CBOR.Pair(.text($0.key), cbor($0.value)) })
        case let array as [Any]: return .array(array.map(cbor))
        case let text as String: return .text(text)
        case let number as NSNumber:
            if String(cString: number.objCType) == "c" { return .bool(number.boolValue) }  // true and false
            let value = number.doubleValue
            if value == value.rounded(), abs(value) < 9e15 { return .integer(Int64(value)) }
            return .float(value)
        default: return .null
        }
    }

    /// CBOR as JSON: byte strings as hex, dates (tag 1) as their epoch seconds.
    static func json(_ item: CBOR) -> Any {
        switch item {
        case .unsigned(let v): return v
        case .negative(let v): return v < UInt64(Int64.max) ? -1 - Int64(v) : Double(-1) - Double(v)
        case .bytes(let b): return b.hexString
        case .text(let t): return t
        case .array(let items): return items.map(json)
        case .map(let pairs):
            var out: [String: Any] = [:]
            for pair in pairs {
                let key: String
                if case .text(let t) = pair.key { key = t } else { key = "\(pair.key)" }
                out[key] = json(pair.value)
            }
            return out
        case .tagged(_, let inner): return json(inner)
        case .simple(let v): return Int(v)
        case .bool(let b): return b
        case .null, .undefined: return NSNull()
        case .float(let d): return d
        }
    }
}
