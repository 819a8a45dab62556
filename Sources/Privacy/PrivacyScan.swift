import Base
import Foundation
import Store
import Text

/// Looks for personal identifiers at rest: in every file under a data directory, byte by
/// byte — SQLite pages and free pages, write-ahead logs, logs — with the scrubber's own
/// patterns. A finding is reported by file, offset and kind, and the identifier only masked.
///
/// The network's own contacts (the officials' phones and e-mails in roster's `people`) are
/// Pulse's to keep; they are counted as exempt, not reported. Digits inside a long hexadecimal
/// string (a digest) are not identifiers either.
public struct PrivacyScan {
    public struct Finding: Sendable, Codable, Hashable {
        public var file: String
        public var offset: Int
        public var kind: String
        /// The first two and last two characters, the rest as "•".
        public var masked: String
    }

    public struct Report: Sendable, Codable {
        public var files: Int
        public var bytes: Int
        public var findings: [Finding]
        /// Found, but the network's own contacts.
        public var exempt: Int
        public var seconds: Double
    }

    public let directory: String

    public init(directory: String) {
        self.directory = directory
    }

    /// Scans every regular file under the directory; `progress` hears each file as it starts.
    public func run(progress: (String, Int) -> Void = { _, _ in }) throws -> Report {
        let started = ContinuousClock.now
        let files = try regularFiles()
        let exempt = networkContacts(in: files)
        var report = Report(files: files.count, bytes: 0, findings: [], exempt: 0, seconds: 0)
        for (path, size) in files {
            progress(path, size)
            report.bytes += size
            try scan(file: path) { offset, kind, text in
                if exempt.contains(PrivacyScan.normalized(text, kind)) {
                    report.exempt += 1
                } else {
                    report.findings.append(Finding(file: path, offset: offset, kind: kind.rawValue, masked: PrivacyScan.masked(text)))
                }
            }
        }
        report.seconds = (ContinuousClock.now - started).inSeconds
        return report
    }

    func regularFiles() throws -> [(String, Int)] {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: directory, isDirectory: &isDirectory) else {
            throw ScanError("\(directory): no such directory")
        }
        guard isDirectory.boolValue else { return [(directory, fileSize(directory))] }
        guard let walker = FileManager.default.enumerator(atPath: directory) else { throw ScanError("\(directory): cannot be read") }
        var files: [(String, Int)] = []
        while let relative = walker.nextObject() as? String {
            let path = directory + "/" + relative
            var st = stat()
            guard lstat(path, &st) == 0, st.st_mode & S_IFMT == S_IFREG else { continue }
            files.append((path, Int(st.st_size)))
        }
        return files.sorted { $0.0 < $1.0 }
    }

    func fileSize(_ path: String) -> Int {
        var st = stat()
        return stat(path, &st) == 0 ? Int(st.st_size) : 0
    }

    /// Reads the file in 4 MiB blocks that overlap by 256 bytes, so that nothing is missed at a
    /// block's edge, and reports each identifier once.
    func scan(file path: String, _ found: (Int, Scrubber.Kind, String) -> Void) throws {
        guard let handle = FileHandle(forReadingAtPath: path) else { throw ScanError("\(path): cannot be read (are you root, or the services' user?)") }
        defer { try? handle.close() }
        let block = 4 << 20, overlap = 256
        var offset = 0
        var carry: [UInt8] = []
        var reportedUpTo = 0
        while true {
            let data = try handle.read(upToCount: block) ?? Data()
            if data.isEmpty && carry.isEmpty { break }
            let bytes = carry + [UInt8](data)
            let base = offset - carry.count
            let last = data.isEmpty
            bytes.withUnsafeBufferPointer { b in
                Scrubber.find(in: b) { start, end, kind in
                    guard base + start >= reportedUpTo else { return }
                    // Near the end of a block that has more after it: the next block sees it whole.
                    if !last, end > b.count - overlap { return }
                    guard !PrivacyScan.insideDigest(b, start, end) else { return }
                    reportedUpTo = base + end
                    found(base + start, kind, String(decoding: b[start..<end], as: UTF8.self))
                }
            }
            if last { break }
            offset += data.count
            carry = Array(bytes.suffix(overlap))
        }
    }

    /// Whether `start..<end` lies in a run of 32 or more hexadecimal digits.
    static func insideDigest(_ b: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int) -> Bool {
        func isHex(_ c: UInt8) -> Bool { (c >= 0x30 && c <= 0x39) || (c >= 0x61 && c <= 0x66) || (c >= 0x41 && c <= 0x46) }
        var lo = start, hi = end
        while lo > 0, isHex(b[lo - 1]) { lo -= 1 }
        while hi < b.count, isHex(b[hi]) { hi += 1 }
        return hi - lo >= 32 && (start..<end).allSatisfy { isHex(b[$0]) }
    }

    /// The phones and e-mails of the network's own people, from any roster file found.
    func networkContacts(in files: [(String, Int)]) -> Set<String> {
        var contacts: Set<String> = []
        for (path, _) in files where path.hasSuffix(".sqlite") {
            guard let db = try? Database(path: path, readOnly: true),
                (try? db.exists("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'people'")) == true,
                let rows = try? db.query("SELECT phone, email FROM people")
            else { continue }
            for row in rows {
                if let phone = try? row.get(0, as: String?.self) { contacts.insert(PrivacyScan.normalized(phone, .phone)) }
                if let email = try? row.get(1, as: String?.self) { contacts.insert(PrivacyScan.normalized(email, .email)) }
            }
        }
        return contacts
    }

    /// A phone as its national digits (0…), an e-mail in lowercase, anything else as it is.
    static func normalized(_ text: String, _ kind: Scrubber.Kind) -> String {
        switch kind {
        case .phone:
            var digits = String(text.unicodeScalars.filter { $0.properties.numericType != nil }.map { Character($0) })
            if digits.hasPrefix("84") { digits = "0" + digits.dropFirst(2) }
            return "phone:" + digits
        case .email: return "email:" + text.lowercased()
        default: return "\(kind.rawValue):" + text
        }
    }

    static func masked(_ text: String) -> String {
        let chars = Array(text)
        guard chars.count > 4 else { return String(repeating: "•", count: chars.count) }
        return String(chars.prefix(2)) + String(repeating: "•", count: chars.count - 4) + String(chars.suffix(2))
    }
}

public struct ScanError: Error, CustomStringConvertible {
    public var description: String
    init(_ description: String) { self.description = description }
}

