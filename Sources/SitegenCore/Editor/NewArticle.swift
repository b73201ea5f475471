import Foundation

/// `sitegen new "标题"`: a new article with front matter filled in and a safe, unique slug.
public enum NewArticle {
    public static func today() -> CivilDate {
        let now = Date()
        let days = Int((now.timeIntervalSince1970 + Double(TimeZone.current.secondsFromGMT(for: now))) / 86400)
        return CivilDate(dayNumber: days)
    }

    /// A slug for a title: ASCII words and CJK kept, everything else folded to hyphens; when the
    /// title gives nothing usable, the date.
    public static func slug(for title: String, date: CivilDate) -> String {
        let s = SafeName.slug(title)
        return s.isEmpty ? "article-\(date.iso)" : s
    }

    public static func frontMatter(title: String, date: CivilDate) -> String {
        """
        ---
        title: \(JSONText.quote(title))
        date: \(date.iso)
        source:
        source_url:
        tags: []
        ---

        """
    }

    /// Writes the file; never overwrites: a taken name gets -2, -3 ….
    public static func create(title: String, date: CivilDate, slug: String?, in folder: URL) throws(Diagnostic) -> URL {
        let trimmed = title.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !trimmed.isEmpty else {
            throw Diagnostic(file: folder.path, message: "the title is empty", hint: "give the article a title: sitegen new \"标题\"")
        }
        let base = slug.map(SafeName.slug) ?? Self.slug(for: trimmed, date: date)
        guard !base.isEmpty else { throw Diagnostic(file: folder.path, message: "cannot make a file name from '\(slug ?? "")'") }
        let fm = FileManager.default
        do { try fm.createDirectory(at: folder, withIntermediateDirectories: true) } catch {
            throw Diagnostic(file: folder.path, message: "cannot create the folder: \(error.localizedDescription)")
        }
        var name = base
        var n = 1
        while fm.fileExists(atPath: folder.appendingPathComponent(name + ".md").path) {
            n += 1
            name = "\(base)-\(n)"
        }
        let url = folder.appendingPathComponent(name + ".md")
        // O_EXCL semantics: refuse if the file appeared in between.
        guard fm.createFile(atPath: url.path, contents: Data(frontMatter(title: trimmed, date: date).utf8)),
              fm.fileExists(atPath: url.path) else {
            throw Diagnostic(file: url.path, message: "cannot write the file", hint: "check the folder's permissions")
        }
        return url
    }
}
