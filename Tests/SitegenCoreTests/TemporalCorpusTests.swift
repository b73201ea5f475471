import Foundation
import Testing
@testable import SitegenCore

/// The hand-labelled corpus (Fixtures/temporal-corpus.jsonl, 400+ paragraphs from many kinds of
/// publishers, Traditional Chinese and the seed articles): every item must come out exactly as labelled.
struct TemporalCorpusTests {
    struct Item: Decodable, Sendable, CustomTestStringConvertible {
        struct Expected: Decodable, Sendable, Equatable {
            var text: String
            var value: String
            var mod: String?
            var end: String?
        }
        var id: String
        var reference: String
        var text: String
        var expected: [Expected]
        var tags: [String]
        var testDescription: String { "\(id): \(text.prefix(30))" }
    }

    static let items: [Item] = {
        let url = Repo.root.appendingPathComponent("Tests/SitegenCoreTests/Fixtures/temporal-corpus.jsonl")
        let text = (try? String(contentsOf: url, encoding: .utf8)) ?? ""
        return text.split(separator: "\n").compactMap { try? JSONDecoder().decode(Item.self, from: Data($0.utf8)) }
    }()

    @Test func corpusIsLargeAndCoversEveryCategory() {
        #expect(Self.items.count >= 300)
        let tags = Set(Self.items.flatMap(\.tags))
        for t in ["absolute", "modifier", "relative", "anaphora", "year-inference", "range", "traditional", "negative"] {
            #expect(tags.contains(t), "no item tagged \(t)")
        }
    }

    @Test(arguments: items) func itemMatchesItsLabels(_ item: Item) throws {
        let ref = try #require(CivilDate(iso: item.reference))
        let got = TemporalJSON.expressions(in: item.text, reference: ref).map {
            Item.Expected(text: $0.text, value: $0.value.string, mod: $0.mod?.rawValue, end: $0.end?.string)
        }
        #expect(got == item.expected)
    }
}
