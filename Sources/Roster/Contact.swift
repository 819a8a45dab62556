import Base
import Localization
import RPC

/// Checks and normalises the contact details of network members.
public enum Contact {
    /// A Vietnamese phone number in its usual written forms (0912 345 678, +84 912345678,
    /// 84912345678, 0912.345.678) as E.164 (+84912345678). Mobile numbers have nine digits
    /// after the country code; landlines (02xx) have ten.
    public static func normalisePhone(_ text: String) throws(RPCError) -> String {
        var digits = ""
        for (i, c) in text.enumerated() {
            if c.isASCII, c.isNumber { digits.append(c) } else if c == "+" && i == 0 { continue } else if " .-()".contains(c) {
                continue
            } else {
                throw RPCError(.invalidArgument, tr("phone: \"\(text)\" có ký tự không thuộc số điện thoại", en: "phone: \"\(text)\" has a character that is not part of a phone number"))
            }
        }
        let national: String
        if digits.hasPrefix("84") && digits.count >= 11 {
            national = String(digits.dropFirst(2))
        } else if digits.hasPrefix("0") {
            national = String(digits.dropFirst())
        } else {
            throw RPCError(.invalidArgument, tr("phone: \"\(text)\" không phải số Việt Nam; hãy viết 0912 345 678 hoặc +84 912 345 678", en: "phone: \"\(text)\" is not a Vietnamese number; write it as 0912 345 678 or +84 912 345 678"))
        }
        let valid: Bool
        switch national.first {
        case "3", "5", "7", "8", "9": valid = national.count == 9
        case "2": valid = national.count == 10
        default: valid = false
        }
        guard valid else {
            throw RPCError(.invalidArgument, tr("phone: \"\(text)\" không đủ chữ số của số di động (0 + 9 chữ số) hay cố định (02 + 9 chữ số) Việt Nam", en: "phone: \"\(text)\" does not have the digits of a Vietnamese mobile (0 + 9 digits) or landline (02 + 9 digits) number"))
        }
        return "+84" + national
    }

    /// A plausible e-mail address, trimmed and with its domain lowercased.
    public static func normaliseEmail(_ text: String) throws(RPCError) -> String {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        guard trimmed.utf8.count <= 254 else {
            throw RPCError(.invalidArgument, tr("email: \(trimmed.utf8.count) ký tự, dài hơn một địa chỉ email có thể có (254)", en: "email: \(trimmed.utf8.count) characters is longer than an e-mail address can be (254)"))
        }
        let parts = trimmed.split(separator: "@", omittingEmptySubsequences: false)
        guard parts.count != 2 || parts[0].utf8.count <= 64 else {
            throw RPCError(.invalidArgument, tr("email: phần trước @ có \(parts[0].utf8.count) ký tự; một địa chỉ cho phép 64", en: "email: the part before @ has \(parts[0].utf8.count) characters; an address allows 64"))
        }
        guard parts.count == 2, !parts[0].isEmpty, parts[1].contains("."), !parts[1].hasPrefix("."), !parts[1].hasSuffix("."),
            !trimmed.contains(" "), parts[1].allSatisfy({ $0.isLetter || $0.isNumber || $0 == "." || $0 == "-" })
        else {
            throw RPCError(.invalidArgument, tr("email: \"\(text)\" không phải địa chỉ email như ten@example.vn", en: "email: \"\(text)\" is not an e-mail address like ten@example.vn"))
        }
        return "\(parts[0])@\(parts[1].lowercased())"
    }
}

import Foundation
