import Foundation
import Testing
@testable import SitegenCore

/// InlineSpace replaced Foundation's `trimmingCharacters(in: .whitespaces)` in the loader, the parser
/// and the extractor; it must agree with Foundation on every scalar and on whole strings.
struct InlineSpaceTests {
    @Test func theSetIsFoundationsWhitespaceForEveryScalar() {
        var disagreements: [String] = []
        for value in UInt32(0)...0x10FFFF {
            guard let scalar = Unicode.Scalar(value) else { continue }  // surrogate code points
            if InlineSpace.contains(scalar) != CharacterSet.whitespaces.contains(scalar) {
                disagreements.append(String(value, radix: 16))
            }
        }
        #expect(disagreements.isEmpty, "U+\(disagreements.prefix(10).joined(separator: ", U+"))")
    }

    static let strings: [String] = [
        "", " ", "\t", "\u{3000}", " \t\u{3000}\u{A0} ", "---", "  ---  ", "\u{3000}---\u{3000}",
        "2024年5月15日，字节跳动发布豆包。", "\u{3000}\u{3000}据报道，", "a b", " a b ", "\n a \n",
        "\u{2003}标题\u{202F}", "\u{200B}零宽\u{200B}", "x\u{3000}", "\u{3000}x", "é\u{301} ",
    ]

    @Test(arguments: strings)
    func trimmingMatchesFoundation(_ text: String) {
        let expected = text.trimmingCharacters(in: .whitespaces)
        #expect(InlineSpace.trimmed(text) == expected)
        #expect(InlineSpace.trimmed(Array(text.unicodeScalars)[...]) == expected)
        #expect(InlineSpace.isBlank(text) == expected.isEmpty)
    }
}
