/// Reads the pages of an SQLite database file or write-ahead log as bytes, without SQLite,
/// and splits each b-tree page into the values of its records, so that a scan sees every text
/// value on its own (values stored side by side, "18781" then "2026-10", would otherwise read
/// as one number). What is not a record value — free pages, overflow pages, free space inside
/// a page, anything that does not parse — is handed over as raw bytes.
///
/// The format is SQLite's "Database File Format" (sqlite.org/fileformat2.html): a 100-byte
/// header on page 1, b-tree pages with a cell pointer array, records of a varint header of
/// serial types and the values after it. A WAL is a 32-byte header and frames of a 24-byte
/// header and one page.
enum SQLitePages {
    enum Region {
        case text(Range<Int>)
        case raw(Range<Int>)
    }

    static let databaseMagic = Array("SQLite format 3\u{0}".utf8)

    /// The regions of a database or WAL file, or nil for a file that is neither.
    static func regions(_ b: UnsafeBufferPointer<UInt8>) -> [Region]? {
        if b.count >= 100, b.starts(with: databaseMagic) {
            var pageSize = Int(b[16]) << 8 | Int(b[17])
            if pageSize == 1 { pageSize = 65536 }
            guard pageSize >= 512, pageSize.nonzeroBitCount == 1 else { return nil }
            var out: [Region] = []
            var page = 0
            while page < b.count {
                let end = min(page + pageSize, b.count)
                out += regions(ofPage: b, page..<end, headerAt: page == 0 ? 100 : 0)
                page = end
            }
            return out
        }
        if b.count >= 32, b[0] == 0x37, b[1] == 0x7F, b[2] == 0x06, b[3] == 0x82 || b[3] == 0x83 {
            let pageSize = Int(b[8]) << 24 | Int(b[9]) << 16 | Int(b[10]) << 8 | Int(b[11])
            guard pageSize >= 512, pageSize <= 65536, pageSize.nonzeroBitCount == 1 else { return nil }
            var out: [Region] = [.raw(0..<32)]
            var frame = 32
            while frame + 24 <= b.count {
                let page = frame + 24
                let end = min(page + pageSize, b.count)
                let pageNumber = Int(b[frame]) << 24 | Int(b[frame + 1]) << 16 | Int(b[frame + 2]) << 8 | Int(b[frame + 3])
                out += regions(ofPage: b, page..<end, headerAt: pageNumber == 1 ? 100 : 0)
                frame = end
            }
            if frame < b.count { out.append(.raw(frame..<b.count)) }
            return out
        }
        return nil
    }

    /// One page: its records' values, and the rest raw. A page that is not a b-tree page
    /// (free, overflow, pointer map) is all raw.
    static func regions(ofPage b: UnsafeBufferPointer<UInt8>, _ page: Range<Int>, headerAt offset: Int) -> [Region] {
        let h = page.lowerBound + offset
        guard h + 12 <= page.upperBound else { return [.raw(page)] }
        let type = b[h]
        guard type == 0x02 || type == 0x05 || type == 0x0A || type == 0x0D else { return [.raw(page)] }
        let interior = type == 0x02 || type == 0x05
        let cells = Int(b[h + 3]) << 8 | Int(b[h + 4])
        let pointers = h + (interior ? 12 : 8)
        guard pointers + 2 * cells <= page.upperBound else { return [.raw(page)] }
        var out: [Region] = []
        var covered: [Range<Int>] = [page.lowerBound..<(pointers + 2 * cells)]
        for k in 0..<cells {
            let cell = page.lowerBound + (Int(b[pointers + 2 * k]) << 8 | Int(b[pointers + 2 * k + 1]))
            guard cell < page.upperBound, cell >= pointers + 2 * cells else { return [.raw(page)] }
            var at = cell
            if interior { at += 4 }
            if type == 0x05 {  // interior table cell: a child pointer and a rowid, no record
                guard varint(b, &at, page.upperBound) != nil else { return [.raw(page)] }
                covered.append(cell..<at)
                continue
            }
            guard let payload = varint(b, &at, page.upperBound) else { return [.raw(page)] }
            if type == 0x0D { guard varint(b, &at, page.upperBound) != nil else { return [.raw(page)] } }
            // A payload larger than the page keeps only its start here; the rest overflows.
            let local = min(Int(clamping: payload), page.upperBound - at)
            guard local >= 0 else { return [.raw(page)] }
            covered.append(cell..<(at + local))
            out += values(b, at..<(at + local))
        }
        // Whatever no cell covers (free space, freeblocks) is raw.
        covered.sort { $0.lowerBound < $1.lowerBound }
        var next = page.lowerBound
        for range in covered {
            if range.lowerBound > next { out.append(.raw(next..<range.lowerBound)) }
            next = max(next, range.upperBound)
        }
        if next < page.upperBound { out.append(.raw(next..<page.upperBound)) }
        return out
    }

    /// The values of one record: text as text, anything else (blobs, a record cut short by
    /// overflow) as raw.
    static func values(_ b: UnsafeBufferPointer<UInt8>, _ record: Range<Int>) -> [Region] {
        var at = record.lowerBound
        guard let headerSize = varint(b, &at, record.upperBound), headerSize >= 1 else { return [.raw(record)] }
        guard headerSize <= UInt64(record.count) else { return [.raw(record)] }
        let headerEnd = record.lowerBound + Int(headerSize)
        var body = headerEnd
        var out: [Region] = []
        while at < headerEnd {
            guard let serial = varint(b, &at, headerEnd) else { return out + [.raw(body..<record.upperBound)] }
            let length: Int
            switch serial {
            case 0, 8, 9, 10, 11: length = 0
            case 1...4: length = Int(serial)
            case 5: length = 6
            case 6, 7: length = 8
            default: length = Int(clamping: (serial - 12) / 2)
            }
            let end = length > record.upperBound - body ? record.upperBound : body + length
            if serial >= 13, serial % 2 == 1 {
                out.append(.text(body..<end))
            } else if serial >= 12 {
                out.append(.raw(body..<end))
            }
            body = end
        }
        if body < record.upperBound { out.append(.raw(body..<record.upperBound)) }
        return out
    }

    /// SQLite's big-endian varint: up to nine bytes, the ninth whole.
    static func varint(_ b: UnsafeBufferPointer<UInt8>, _ at: inout Int, _ end: Int) -> UInt64? {
        var value: UInt64 = 0
        for k in 0..<9 {
            guard at < end else { return nil }
            let c = b[at]
            at += 1
            if k == 8 { return value &<< 8 | UInt64(c) }
            value = value &<< 7 | UInt64(c & 0x7F)
            if c & 0x80 == 0 { return value }
        }
        return value
    }
}
