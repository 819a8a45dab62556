import Base
import Foundation
import Glibc
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

    /// Every regular file under the directory, following symbolic links to directories (each
    /// directory once, so a loop ends), the directory itself may be a link too.
    func regularFiles() throws -> [(String, Int)] {
        guard let top = realpath(directory, nil) else { throw ScanError("\(directory): no such directory") }
        let root = String(cString: top)
        free(top)
        var st = stat()
        guard stat(root, &st) == 0 else { throw ScanError("\(directory): cannot be read") }
        guard st.st_mode & S_IFMT == S_IFDIR else { return st.st_mode & S_IFMT == S_IFREG ? [(root, Int(st.st_size))] : [] }
        var files: [(String, Int)] = []
        var visited: Set<String> = []
        var pending = [root]
        while let dir = pending.popLast() {
            guard let real = realpath(dir, nil) else { continue }
            let key = String(cString: real)
            free(real)
            guard visited.insert(key).inserted else { continue }
            guard let names = try? FileManager.default.contentsOfDirectory(atPath: dir) else { throw ScanError("\(dir): cannot be read (run as root or as the services' user)") }
            for name in names {
                let path = dir + "/" + name
                var entry = stat()
                guard stat(path, &entry) == 0 else { continue }  // a dangling link
                switch entry.st_mode & S_IFMT {
                case S_IFDIR: pending.append(path)
                // A -shm file holds page numbers and hashes, a .secret file a key: never content.
                case S_IFREG where !name.hasSuffix("-shm") && !name.hasSuffix(".secret"): files.append((path, Int(entry.st_size)))
                default: break
                }
            }
        }
        return files.sorted { $0.0 < $1.0 }
    }


    /// Maps the file and scans it: an SQLite database or WAL value by value (its free space and
    /// free pages raw), anything else as text. Each identifier is reported once.
    func scan(file path: String, _ found: (Int, Scrubber.Kind, String) -> Void) throws {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw ScanError("\(path): cannot be read (\(String(cString: strerror(errno)))); run as root or as the services' user") }
        defer { close(fd) }
        var st = stat()
        guard fstat(fd, &st) == 0 else { throw ScanError("\(path): cannot be read") }
        let size = Int(st.st_size)
        guard size > 0 else { return }
        // Files up to 512 MiB are read (a log or WAL that shrinks meanwhile is then no fault);
        // larger ones are mapped.
        if size <= 512 << 20 {
            var bytes = [UInt8](repeating: 0, count: size)
            var got = 0
            while got < size {
                let n = bytes.withUnsafeMutableBytes { read(fd, $0.baseAddress! + got, size - got) }
                if n < 0 && errno == EINTR { continue }
                guard n > 0 else { break }
                got += n
            }
            try bytes.withUnsafeBufferPointer { try scan(UnsafeBufferPointer(rebasing: $0[0..<got]), found) }
            return
        }
        guard let base = mmap(nil, size, PROT_READ, MAP_PRIVATE, fd, 0), base != MAP_FAILED else {
            throw ScanError("\(path): cannot be mapped (\(String(cString: strerror(errno))))")
        }
        defer { munmap(base, size) }
        try scan(UnsafeBufferPointer(start: base.assumingMemoryBound(to: UInt8.self), count: size), found)
    }

    func scan(_ b: UnsafeBufferPointer<UInt8>, _ found: (Int, Scrubber.Kind, String) -> Void) throws {
        guard let regions = SQLitePages.regions(b) else {
            // A log, or any other file: its text only (a key's random bytes are no identifier).
            Scrubber.find(in: b) { start, end, kind in
                guard PrivacyScan.amidText(b, start, end) else { return }
                found(start, kind, String(decoding: b[start..<end], as: UTF8.self))
            }
            return
        }
        for region in regions {
            let (range, raw) = switch region {
            case .text(let r): (r, false)
            case .raw(let r): (r, true)
            }
            guard !range.isEmpty else { continue }
            let part = UnsafeBufferPointer(rebasing: b[range])
            Scrubber.find(in: part) { start, end, kind in
                // Raw bytes are text only where they read as text.
                if raw { guard PrivacyScan.amidText(part, start, end) else { return } }
                guard !PrivacyScan.insideDigest(part, start, end) else { return }
                found(range.lowerBound + start, kind, String(decoding: part[start..<end], as: UTF8.self))
            }
        }
    }

    /// Whether the bytes around a match read as text: the eight bytes on either side (as far as
    /// the region goes) are well-formed UTF-8 with no control characters but tab and line
    /// breaks. A type or length byte of a record, or the bytes of a hash, are not text, and a
    /// match among them is chance.
    static func amidText(_ b: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int) -> Bool {
        var lo = max(0, start - 8)
        while lo < start, b[lo] & 0xC0 == 0x80 { lo += 1 }  // not in the middle of a character
        var hi = min(b.count, end + 8)
        // Do not cut the last character short.
        var k = hi
        while k > end, b[k - 1] & 0xC0 == 0x80 { k -= 1 }
        if k > end, k - 1 < b.count {
            let lead = b[k - 1]
            let length = lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : lead >= 0xC0 ? 2 : 1
            if k - 1 + length > hi { hi = k - 1 }
        }
        guard let text = String(validating: UnsafeBufferPointer(rebasing: b[lo..<hi]), as: UTF8.self) else { return false }
        return text.unicodeScalars.allSatisfy { $0.value >= 0x20 && $0.value != 0x7F || $0 == "\t" || $0 == "\n" || $0 == "\r" }
    }

    /// Whether `start..<end` lies in a hexadecimal digest: a run of 20 or more hexadecimal
    /// digits with letters among them (a content hash, a key's digest).
    static func insideDigest(_ b: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int) -> Bool {
        func isHex(_ c: UInt8) -> Bool { (c >= 0x30 && c <= 0x39) || (c >= 0x61 && c <= 0x66) || (c >= 0x41 && c <= 0x46) }
        guard (start..<end).allSatisfy({ isHex(b[$0]) }) else { return false }
        var lo = start, hi = end
        while lo > 0, isHex(b[lo - 1]) { lo -= 1 }
        while hi < b.count, isHex(b[hi]) { hi += 1 }
        return hi - lo >= 20 && (lo..<hi).contains { b[$0] > 0x39 }
    }

    /// The phones and e-mails of the network's own people, from any roster file found, and, from
    /// notification's, the copies it keeps of its recipients' and the addresses it sends from.
    func networkContacts(in files: [(String, Int)]) -> Set<String> {
        var contacts: Set<String> = []
        for (path, _) in files where path.hasSuffix(".sqlite") {
            guard let db = try? Database(path: path, readOnly: true) else { continue }
            if (try? db.exists("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'people'")) == true {
                for row in (try? db.query("SELECT phone, email FROM people")) ?? [] {
                    if let phone = try? row.get(0, as: String?.self) { contacts.insert(PrivacyScan.normalized(phone, .phone)) }
                    if let email = try? row.get(1, as: String?.self) { contacts.insert(PrivacyScan.normalized(email, .email)) }
                }
            }
            // notification's copies of roster's contacts (its recipients) and its own sender addresses.
            if (try? db.exists("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'senders'")) == true {
                for row in (try? db.query("SELECT address FROM senders UNION SELECT address FROM notices WHERE address IS NOT NULL")) ?? [] {
                    if let email = try? row.get(0, as: String.self) { contacts.insert(PrivacyScan.normalized(email, .email)) }
                }
                for row in (try? db.query("SELECT DISTINCT phone FROM notices WHERE phone IS NOT NULL")) ?? [] {
                    if let phone = try? row.get(0, as: String.self) { contacts.insert(PrivacyScan.normalized(phone, .phone)) }
                }
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

