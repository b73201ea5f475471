import Testing
@testable import SitegenCore

/// `ChineseText.fold` puts a bitmap in front of its Traditional→Simplified table; the bitmap must
/// let every table entry through and nothing else change.
struct ChineseTextFoldTests {
    @Test(arguments: [
        ("週", "周"), ("後", "后"), ("億", "亿"), ("數", "数"), ("幾", "几"), ("號", "号"),
        ("２", "2"), ("Ｑ", "Q"), ("－", "-"), ("\u{3000}", " "), ("\u{A0}", " "),
        ("周", "周"), ("年", "年"), ("a", "a"), ("😀", "😀"),
    ])
    func foldsOneScalar(_ pair: (String, String)) {
        let input = pair.0.unicodeScalars.first!, expected = pair.1.unicodeScalars.first!
        #expect(ChineseText.fold(input) == expected)
        #expect(ChineseText.fold([input]) == [expected])
    }

    @Test func everyTableEntryIsReachedAndNoOtherScalarChanges() {
        var wrong: [String] = []
        for value in UInt32(0)...0x10FFFF {
            guard let scalar = Unicode.Scalar(value) else { continue }
            let widthOrSpace = (0xFF01...0xFF5E).contains(value) || value == 0x3000 || value == 0xA0
            if widthOrSpace { continue }
            let expected = ChineseText.traditional[value] ?? scalar
            if ChineseText.fold(scalar) != expected { wrong.append(String(value, radix: 16)) }
        }
        #expect(wrong.isEmpty, "U+\(wrong.prefix(10).joined(separator: ", U+"))")
        #expect(ChineseText.traditional.count > 100)
    }

    @Test func foldingAParagraphEqualsFoldingEachScalar() {
        let text = Array("２０２４年５月１５日，字節跳動發佈豆包大模型，價格為每千tokens０．０００８元。\u{3000}ABC".unicodeScalars)
        #expect(ChineseText.fold(text) == text.map { ChineseText.fold($0) })
        #expect(String(String.UnicodeScalarView(ChineseText.fold(text))).hasPrefix("2024年5月15日,字节跳动发布豆包"))
        #expect(EntityMatcher.fold(Array("ＯｐｅｎＡＩ發佈GPT".unicodeScalars)) == Array("openai发布gpt".unicodeScalars))
    }
}
