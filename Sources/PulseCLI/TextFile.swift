import Foundation
import Localization

/// A text file as people save it: UTF-8 with or without a byte-order mark, or UTF-16 (what Excel
/// saves as "Unicode Text"), with a clear word when it is none of those or is not there.
enum TextFile {
    /// Reads `path` ("-" is standard input) as text, without its byte-order mark.
    static func read(_ path: String) throws -> String {
        let data: Data
        if path == "-" {
            data = FileHandle.standardInput.readDataToEndOfFile()
        } else {
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
                throw CLIError(tr("\(path): không có tệp này", en: "\(path): no such file"))
            }
            guard !isDirectory.boolValue else { throw CLIError(tr("\(path) là một thư mục, không phải tệp", en: "\(path) is a directory, not a file")) }
            guard let contents = FileManager.default.contents(atPath: path) else {
                throw CLIError(tr("\(path): không đọc được (hãy xem quyền của tệp)", en: "\(path): cannot be read (check its permissions)"))
            }
            data = contents
        }
        guard let text = decode(data) else {
            throw CLIError(
                tr("\(path) không phải văn bản UTF-8 hay UTF-16; trong Excel hãy lưu dạng \"CSV UTF-8\" rồi thử lại",
                   en: "\(path) is not UTF-8 or UTF-16 text; save it from Excel as \"CSV UTF-8\" and try again"))
        }
        return text
    }

    /// The text of `data`, its byte-order mark removed; UTF-16 is recognised by its mark.
    static func decode(_ data: Data) -> String? {
        let bytes = [UInt8](data)
        var utf16: String?
        if bytes.starts(with: [0xFF, 0xFE]) { utf16 = String(data: data.dropFirst(2), encoding: .utf16LittleEndian) }
        if bytes.starts(with: [0xFE, 0xFF]) { utf16 = String(data: data.dropFirst(2), encoding: .utf16BigEndian) }
        if let utf16 {
            // Excel's "Unicode Text" is tab-separated: what Pulse reads as CSV wants commas.
            let firstLine = utf16.prefix { $0 != "\n" && $0 != "\r\n" }
            return firstLine.contains("\t") && !firstLine.contains(",") ? csv(fromTabSeparated: utf16) : utf16
        }
        let body = bytes.starts(with: [0xEF, 0xBB, 0xBF]) ? Array(bytes.dropFirst(3)) : bytes
        return String(validating: body, as: UTF8.self)
    }

    /// Tab-separated lines as CSV: fields holding a comma, quote or line break are quoted.
    static func csv(fromTabSeparated text: String) -> String {
        text.split(omittingEmptySubsequences: false) { $0 == "\n" || $0 == "\r\n" }.map { line in
            line.split(separator: "\t", omittingEmptySubsequences: false).map { field -> String in
                var f = String(field)
                if f.count >= 2, f.first == "\"", f.last == "\"" { f = String(f.dropFirst().dropLast()).replacingOccurrences(of: "\"\"", with: "\"") }
                return f.contains(",") || f.contains("\"") || f.contains("\n") ? "\"" + f.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : f
            }.joined(separator: ",")
        }.joined(separator: "\n")
    }
}
