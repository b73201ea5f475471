import Foundation
import Testing
@testable import SitegenCore

/// Event marks in an article's HTML: placed inside the element that holds the sentence, and each
/// `id="e-…"` once per page (the browser tests' Nu checker and permalink checks rely on both).
struct ArticleAnnotatorTests {
    func parsed(_ body: String) -> ParsedArticle {
        let text = "---\ntitle: t\ndate: 2024-12-31\n---\n" + body
        let article = try! ArticleLoader().load(data: Data(text.utf8), relativePath: "articles/t.md")
        return MarkdownParser().parse(article)
    }

    func mark(_ id: String, _ quote: String) -> ArticleAnnotator.Mark {
        .init(eventID: id, quote: quote, label: "2024年", permalink: "/events/\(id)/")
    }

    func count(_ needle: String, in s: String) -> Int { s.components(separatedBy: needle).count - 1 }

    @Test func aOneItemListMarksTheItemNotTheList() {
        // A one-item tight list: <ul> and its <li> share the source position.
        let p = parsed("1. **标题**\n\n   - 5月15日，豆包宣布降价。\n")
        let i = p.blocks.firstIndex { $0.text.contains("豆包") }!
        let html = ArticleAnnotator.annotate(html: p.html, blocks: p.blocks, marks: [i: [mark("e1", "5月15日，豆包宣布降价。")]])
        #expect(html.contains("<li class=\"has-event\"><mark class=\"event\" id=\"e-e1\">5月15日，豆包宣布降价。</mark>"))
        #expect(!html.contains("<ul class=\"has-event\">"))
        #expect(!html.contains("data-sourcepos"))
    }

    @Test func aTableRowGetsItsLinkInsideTheFirstCell() {
        let p = parsed("| 企业 | 时间 |\n| --- | --- |\n| 豆包 | 2024年5月 |\n")
        let i = p.blocks.firstIndex { $0.text.contains("豆包") }!
        let html = ArticleAnnotator.annotate(html: p.html, blocks: p.blocks, marks: [i: [mark("e1", p.blocks[i].text)]])
        #expect(html.contains("<tr class=\"has-event\">\n<td><a class=\"event-link\" id=\"e-e1\" href=\"/events/e1/\">2024年</a>豆包</td>"))
    }

    @Test func everyAnchorIsUniqueAndTargetsTheSentence() {
        let p = parsed("5月15日，豆包宣布降价。\n\n同日，百度宣布免费；22日，腾讯跟进。\n\n并且，5月15日豆包再次降价。\n\n**5月**，腾讯*宣布*降价。\n")
        let a = p.blocks.firstIndex { $0.text.hasPrefix("5月15日") }!
        let b = p.blocks.firstIndex { $0.text.hasPrefix("同日") }!
        let c = p.blocks.firstIndex { $0.text.hasPrefix("并且") }!
        let d = p.blocks.firstIndex { $0.text.contains("宣布降价") && $0.text.hasPrefix("5月，") }!
        let html = ArticleAnnotator.annotate(html: p.html, blocks: p.blocks, marks: [
            a: [mark("e1", "5月15日，豆包宣布降价。")],
            b: [mark("e2", "同日，百度宣布免费；22日，腾讯跟进。"), mark("e3", "同日，百度宣布免费；22日，腾讯跟进。")],
            c: [mark("e1", "并且，5月15日豆包再次降价。")],  // the same event reported again
            d: [mark("e4", "5月，腾讯宣布降价。")],  // broken up by inline markup
        ])
        for id in ["e1", "e2", "e3", "e4"] { #expect(count("id=\"e-\(id)\"", in: html) == 1, "id e-\(id)") }
        #expect(html.contains("<mark class=\"event\" id=\"e-e2\"><span class=\"event-alias\" id=\"e-e3\">同日"))
        #expect(html.contains("<mark class=\"event\">并且"))
        #expect(html.contains("<a class=\"event-link\" id=\"e-e4\" href=\"/events/e4/\">"))
    }
}
