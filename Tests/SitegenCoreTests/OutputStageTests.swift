import Foundation
import Testing
@testable import SitegenCore

/// Files made by a producer (the large exports) reach the disk in pieces; what lands must be the
/// bytes the producer made, and an unchanged one must be kept like any unchanged file.
struct OutputStageTests {
    /// About 3.4 MB in records of varying length, so pieces are cut mid-record and more than one
    /// `pieceSize` is written.
    static func record(_ i: Int) -> String { "记录 \(i): " + String(repeating: "事件", count: i % 97) + "\n" }
    static let records = 20_000

    static func produce(_ out: inout [UInt8], _ drain: (inout [UInt8]) -> Void) {
        for i in 0..<records {
            out.append(contentsOf: record(i).utf8)
            drain(&out)
        }
    }

    /// The same bytes built in one piece, independently of the stage.
    static let expected: [UInt8] = (0..<records).flatMap { Array(record($0).utf8) }

    func stageOnce(_ output: URL, _ manifest: URL, extra: String) throws -> WriteSummary {
        let writer = OutputWriter(output: output, protectedFolders: [])
        let stage = try OutputStage(writer: writer, manifest: manifest)
        stage.add(OutputFile(path: "data/big.txt", produce: Self.produce))
        stage.add(OutputFile(path: "index.html", text: extra))
        try writer.finishSite(stage, assetsFrom: nil)
        return try stage.commit(manifest: manifest)
    }

    @Test func producedFileIsWrittenInPiecesAndKeptWhenUnchanged() throws {
        #expect(Self.expected.count > 3 * OutputStage.pieceSize)
        let dir = TempDir()
        let output = dir.url.appendingPathComponent("public"), manifest = dir.url.appendingPathComponent("manifest")
        let first = try stageOnce(output, manifest, extra: "one")
        let path = output.appendingPathComponent("data/big.txt").path
        #expect(FileManager.default.contents(atPath: path).map(Array.init) == Self.expected)
        #expect(first.written == 3)  // with the ownership marker
        let inode = try #require(OutputWriter.stat(path)).inode

        // Rebuilt with the same bytes: linked from the previous site (same inode), not rewritten.
        let second = try stageOnce(output, manifest, extra: "two")
        #expect(second.written == 1)
        #expect(second.unchanged == 2)  // the big file and the marker
        #expect(OutputWriter.stat(path)?.inode == inode)
        #expect(FileManager.default.contents(atPath: path).map(Array.init) == Self.expected)
    }

    /// The digest of a file read back in pieces is the digest of its bytes, whatever the split.
    @Test(arguments: [0, 1, 7, 8, 9, 1000, 65_537])
    func digestInPiecesEqualsWholeDigest(_ length: Int) throws {
        let bytes = (0..<length).map { UInt8(truncatingIfNeeded: $0 &* 2_654_435_761 >> 7) }
        for split in [1, 3, 8, 13, 4096] {
            var d = ContentDigest.Streaming(length: length)
            var i = 0
            while i < length {
                let end = min(length, i + split)
                bytes[i..<end].withUnsafeBytes { d.update($0) }
                i = end
            }
            #expect(d.finish() == ContentDigest.of(bytes), "length \(length), pieces of \(split)")
        }
        let dir = TempDir()
        let a = dir.url.appendingPathComponent("a").path, b = dir.url.appendingPathComponent("b").path
        #expect(FileBytes.write(bytes, to: a))
        let read = try #require(FileBytes.digest(ofFile: a))
        #expect(read.digest == ContentDigest.of(bytes) && read.size == length)
        #expect(FileBytes.copy(a, to: b))
        #expect(FileBytes.sameContents(a, b))
        #expect(FileBytes.write(bytes + [1], to: b))
        #expect(!FileBytes.sameContents(a, b))
        if length > 0 {
            var changed = bytes
            changed[length / 2] ^= 0xFF
            #expect(FileBytes.write(changed, to: b))
            #expect(!FileBytes.sameContents(a, b))
        }
    }

    @Test func producedFileIsMadeWholeForInMemoryUse() {
        let f = OutputFile(path: "data/big.txt", produce: Self.produce)
        #expect(f.bytes == Self.expected)
        #expect(f.count == Self.expected.count)
    }
}
