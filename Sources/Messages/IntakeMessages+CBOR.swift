import Foundation
import Wire

// The monthly report, by hand: it is the one message big enough for Codable's per-field cost
// to show (the client encodes it, intake decodes it and encodes its items again for storage);
// and the receipt intake answers every submission with.
// Keys are written in deterministic order — shorter first, then bytewise — and
// `FastCodableTests` (in MessagesTests) holds these forms to the Codable ones, byte for byte.

extension CBORWriter {
    mutating func writeInt(_ value: Int) {
        if value >= 0 { writeHead(major: 0, UInt64(value)) } else { writeHead(major: 1, UInt64(-1 - value)) }
    }

    mutating func writeTextArray(_ values: [String]) {
        writeHead(major: 4, UInt64(values.count))
        for v in values { writeText(v) }
    }
}

extension CBORItem {
    var textArray: [String]? {
        var out: [String] = []
        guard forEachElement({ item in
            guard let t = item.text else { return false }
            out.append(t)
            return true
        }) else { return nil }
        return out
    }
}

extension OpinionItem: CBORFastCodable {
    public func writeCBOR(to writer: inout CBORWriter) {
        writer.writeHead(major: 5, proposal == nil ? 7 : 8)
        writer.writeKey("topic")
        writer.writeText(topic)
        writer.writeKey("trend")
        writer.writeText(trend.rawValue)
        writer.writeKey("summary")
        writer.writeText(summary)
        writer.writeKey("channels")
        writer.writeTextArray(channels.map(\.rawValue))
        if let proposal {
            writer.writeKey("proposal")
            writer.writeText(proposal)
        }
        writer.writeKey("sentiment")
        writer.writeInt(sentiment)
        writer.writeKey("localities")
        writer.writeTextArray(localities)
        writer.writeKey("prevalence")
        writer.writeText(prevalence.rawValue)
    }

    public init?(cbor item: CBORItem) {
        var topic: String?, summary: String?, prevalence: Prevalence?, trend: Trend?, sentiment: Int?
        var channels: [Channel]?, localities: [String]?, proposal: String?
        guard item.forEachField({ key, value in
            switch key {
            case "topic": topic = value.text; return topic != nil
            case "trend": trend = value.text.flatMap(Trend.init(rawValue:)); return trend != nil
            case "summary": summary = value.text; return summary != nil
            case "channels":
                var list: [Channel] = []
                guard value.forEachElement({ element in
                    guard let c = element.text.flatMap(Channel.init(rawValue:)) else { return false }
                    list.append(c)
                    return true
                }) else { return false }
                channels = list
                return true
            case "proposal":
                if value.isNull { return true }
                proposal = value.text
                return proposal != nil
            case "sentiment": sentiment = value.int; return sentiment != nil
            case "localities": localities = value.textArray; return localities != nil
            case "prevalence": prevalence = value.text.flatMap(Prevalence.init(rawValue:)); return prevalence != nil
            default: return true  // unknown fields are ignored, as Codable ignores them
            }
        }), let topic, let summary, let prevalence, let trend, let sentiment, let channels, let localities else { return nil }
        self.init(
            topic: topic, summary: summary, prevalence: prevalence, trend: trend, sentiment: sentiment, channels: channels,
            localities: localities, proposal: proposal)
    }
}

extension ReportDraft: CBORFastCodable {
    public func writeCBOR(to writer: inout CBORWriter) {
        writer.writeHead(major: 5, 6)
        writer.writeKey("unit")
        writer.writeText(unit)
        writer.writeKey("items")
        items.writeCBOR(to: &writer)
        writer.writeKey("period")
        writer.writeText(period.description)
        writer.writeKey("submitter")
        writer.writeInt(submitter)
        writer.writeKey("assessment")
        writer.writeText(assessment)
        writer.writeKey("idempotencyKey")
        writer.writeText(idempotencyKey)
    }

    public init?(cbor item: CBORItem) {
        var unit: String?, period: Period?, submitter: Int?, assessment: String?, items: [OpinionItem]?, key: String?
        guard item.forEachField({ name, value in
            switch name {
            case "unit": unit = value.text; return unit != nil
            case "items": items = [OpinionItem](cbor: value); return items != nil
            case "period": period = value.text.flatMap(Period.init); return period != nil
            case "submitter": submitter = value.int; return submitter != nil
            case "assessment": assessment = value.text; return assessment != nil
            case "idempotencyKey": key = value.text; return key != nil
            default: return true
            }
        }), let unit, let period, let submitter, let assessment, let items, let key else { return nil }
        self.init(unit: unit, period: period, submitter: submitter, assessment: assessment, items: items, idempotencyKey: key)
    }
}

extension ScrubCount: CBORFastCodable {
    public func writeCBOR(to writer: inout CBORWriter) {
        writer.writeHead(major: 5, 2)
        writer.writeKey("kind")
        writer.writeText(kind)
        writer.writeKey("count")
        writer.writeInt(count)
    }

    public init?(cbor item: CBORItem) {
        var kind: String?, count: Int?
        guard item.forEachField({ key, value in
            switch key {
            case "kind": kind = value.text; return kind != nil
            case "count": count = value.int; return count != nil
            default: return true
            }
        }), let kind, let count else { return nil }
        self.init(kind: kind, count: count)
    }
}

extension ReportReceipt: CBORFastCodable {
    public func writeCBOR(to writer: inout CBORWriter) {
        writer.writeHead(major: 5, 7)
        writer.writeKey("unit")
        writer.writeText(unit)
        writer.writeKey("items")
        writer.writeInt(items)
        writer.writeKey("period")
        writer.writeText(period.description)
        writer.writeKey("version")
        writer.writeInt(version)
        writer.writeKey("receivedAt")
        writer.writeDate(receivedAt)
        writer.writeKey("timeliness")
        writer.writeText(timeliness.rawValue)
        writer.writeKey("firstReceivedAt")
        writer.writeDate(firstReceivedAt)
    }

    public init?(cbor item: CBORItem) {
        var unit: String?, period: Period?, version: Int?, items: Int?, receivedAt: Date?, timeliness: Timeliness?, first: Date?
        guard item.forEachField({ key, value in
            switch key {
            case "unit": unit = value.text; return unit != nil
            case "items": items = value.int; return items != nil
            case "period": period = value.text.flatMap(Period.init); return period != nil
            case "version": version = value.int; return version != nil
            case "receivedAt": receivedAt = value.date; return receivedAt != nil
            case "timeliness": timeliness = value.text.flatMap(Timeliness.init(rawValue:)); return timeliness != nil
            case "firstReceivedAt": first = value.date; return first != nil
            default: return true
            }
        }), let unit, let period, let version, let items, let receivedAt, let timeliness, let first else { return nil }
        self.init(unit: unit, period: period, version: version, items: items, receivedAt: receivedAt, timeliness: timeliness, firstReceivedAt: first)
    }
}

extension SubmitReportResponse: CBORFastCodable {
    public func writeCBOR(to writer: inout CBORWriter) {
        writer.writeHead(major: 5, 3)
        writer.writeKey("report")
        report.writeCBOR(to: &writer)
        writer.writeKey("replayed")
        writer.writeBool(replayed)
        writer.writeKey("scrubbed")
        scrubbed.writeCBOR(to: &writer)
    }

    public init?(cbor item: CBORItem) {
        var report: ReportReceipt?, scrubbed: [ScrubCount]?, replayed: Bool?
        guard item.forEachField({ key, value in
            switch key {
            case "report": report = ReportReceipt(cbor: value); return report != nil
            case "replayed": replayed = value.bool; return replayed != nil
            case "scrubbed": scrubbed = [ScrubCount](cbor: value); return scrubbed != nil
            default: return true
            }
        }), let report, let scrubbed, let replayed else { return nil }
        self.init(report: report, scrubbed: scrubbed, replayed: replayed)
    }
}
