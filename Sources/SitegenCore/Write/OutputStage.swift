import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A new site being assembled beside the output, file by file, while the render stage is still
/// producing pages (see `OutputUpdate.swift` for the guarantees). Streaming is what keeps a large
/// build's memory flat: at 10,000 articles the rendered site is 2.9 GB, and holding all of it
/// until the write (as the build did before) made the peak RSS 3.5 GB; each page now goes to disk
/// as soon as it is rendered and its bytes are freed.
///
/// `add` may be called from any thread. The first failure is kept and reported by `commit`; later
/// files are then ignored. Until `commit` swaps the folders, the output is never touched: an error,
/// `abandon()` or a kill leaves the previous site as it was. The staging folder starts from the
/// spare copy of the site before the current one when there is one (see `spareURL`), and the
/// current site becomes the next spare after the swap.
public final class OutputStage: PageReuse, @unchecked Sendable {
    typealias Kind = FileBytes.EntryKind

    let writer: OutputWriter
    let outputPath: String
    let staging: URL
    let stagingPath: String
    /// The current output, by relative path, as it was when the stage began.
    let existing: [String: Kind]
    let manifest: [String: OutputWriter.ManifestEntry]
    /// The input key of each page the last build rendered or kept (see `PageReuse`).
    let previousKeys: [String: UInt64]

    private let lock = NSLock()
    /// Folders created inside the staging folder ("" is the staging folder itself).
    private var made: Set<String> = [""]
    /// Every file added.
    private var added: Set<String> = []
    /// What the manifest needs to trust each file next time (absent when it could not be read
    /// back), with the input key of each page rendered from keyed inputs.
    private var records: [String: Record] = [:]
    private var written = 0
    private var linked = 0
    /// True when the output's shape conflicts with the new site somewhere (a file where a folder
    /// must go, a symlink in place of a folder): such paths are never read from.
    private var conflict = false
    private var failure: Diagnostic?
    private var finished = false
    private var reused = 0

    /// `key`: the page's input key, saved beside the manifest for the next build (nil: a file
    /// not made from keyed inputs, never reused without rendering).
    struct Record { var stat: OutputWriter.FileStat; var digest: UInt64; var key: UInt64? = nil }

    /// What the staging folder held when the stage began: the spare copy of the site two builds
    /// back (see `spareURL`), by relative path, with inode numbers. Empty for a fresh folder.
    let spare: [String: (kind: Kind, inode: UInt64)]

    /// When there is no previous site at all (a first build, or the output and spare were
    /// deleted), a folder beside the staging one where every file written gets a second hard link
    /// as it is written. After the swap it becomes the spare copy, so the first rebuild finds an
    /// identical copy to start from instead of linking every unchanged file anew: at 10,000
    /// articles that was 162,000 links and about 4 s of the first one-article rebuild after a cold
    /// build. The twin is only ever trusted file by file through inode numbers (see `spareHolds`),
    /// so a file it misses or holds stale costs a link next time, never a wrong page. Its name
    /// carries the build's pid, so a killed build's twin is cleared like its staging folder.
    let twinPath: String?
    /// Folders made in the twin ("" is the twin itself). Under the lock.
    private var twinMade: Set<String> = [""]

    /// Where the previous site is kept after a swap instead of being deleted. Its unchanged files
    /// are hard links to the live site's, so it costs only the old versions of changed files; the
    /// next build starts from it and touches only what differs, where a fresh staging folder
    /// needed a link per file and deleting the previous site an unlink per file (at 10,000
    /// articles that was 162,000 of each, 4–6 s of a one-article rebuild).
    static func spareURL(_ output: URL) -> URL {
        output.deletingLastPathComponent().appendingPathComponent(".\(output.lastPathComponent).spare")
    }

    /// Checks the output folder is safe to replace, clears leftovers of killed builds, and makes
    /// the staging folder. `manifest`: the record of the last write (nil: compare bytes on disk).
    init(writer: OutputWriter, manifest: URL?) throws(Diagnostic) {
        try writer.checkSafe()
        writer.removeLeftoversOfDeadBuilds()
        self.writer = writer
        outputPath = writer.output.path
        var existing: [String: Kind] = [:]
        OutputWriter.walk(writer.output, prefix: "", into: &existing)
        self.existing = existing
        self.manifest = manifest.flatMap(OutputWriter.readManifest) ?? [:]
        previousKeys = manifest.flatMap { Self.readKeys(Self.keysURL(manifest: $0)) } ?? [:]
        let stamp = "\(ProcessInfo.processInfo.processIdentifier)-\(UInt64(Date().timeIntervalSince1970 * 1000))"
        staging = writer.output.deletingLastPathComponent().appendingPathComponent(".\(writer.output.lastPathComponent).new-\(stamp)")
        stagingPath = staging.path
        // The spare copy becomes the staging folder when it is a real folder (never a symlink,
        // which could lead writes outside); otherwise the staging folder starts empty.
        let spareURL = Self.spareURL(writer.output)
        var st = SystemStat()
        var spare: [String: (kind: Kind, inode: UInt64)] = [:]
        if lstat(spareURL.path, &st) == 0 {
            if (st.st_mode & S_IFMT) == S_IFDIR, rename(spareURL.path, stagingPath) == 0 {
                Self.walkWithInodes(stagingPath, prefix: "", into: &spare)
            } else {
                FileBytes.removeTree(spareURL.path)
            }
        }
        self.spare = spare
        if spare.isEmpty {
            guard mkdir(stagingPath, 0o755) == 0 || (errno == EEXIST && lstat(stagingPath, &st) == 0 && (st.st_mode & S_IFMT) == S_IFDIR) else {
                throw Diagnostic(file: writer.output.path, message: "cannot create the staging folder \(stagingPath): \(String(cString: strerror(errno)))",
                                 hint: "check free disk space and that the output's parent folder is writable; the previous site was left in place")
            }
        }
        for (path, e) in spare where e.kind == .directory { made.insert(path) }
        let twin = stagingPath + "-twin"
        twinPath = existing.isEmpty && spare.isEmpty && mkdir(twin, 0o755) == 0 ? twin : nil
    }

    static func walkWithInodes(_ path: String, prefix: String, into out: inout [String: (kind: Kind, inode: UInt64)]) {
        for (name, kind, inode) in FileBytes.entriesWithInodes(of: path) ?? [] {
            out[prefix + name] = (kind, inode)
            if kind == .directory { walkWithInodes(path + "/" + name, prefix: prefix + name + "/", into: &out) }
        }
    }

    /// Whether the staging folder, started from the spare copy, already holds the live output's
    /// file at `path` (the same inode): then nothing needs doing for an unchanged file.
    private func spareHolds(_ path: String, inode: UInt64) -> Bool {
        guard let e = spare[path] else { return false }
        return e.kind == .file && e.inode == inode
    }

    /// Removes what the spare copy has at `path` (a file, or a folder where a file must go now),
    /// so nothing is ever written through a hard link into the live site.
    private func clearSpare(_ path: String) {
        guard let e = spare[path] else { return }
        if e.kind == .directory { FileBytes.removeTree(stagingPath + "/" + path) } else { unlink(stagingPath + "/" + path) }
    }

    /// Adds many files (see `add(_:)`).
    public func add(_ files: [OutputFile]) {
        for f in files { add(f) }
    }

    /// Puts one file into the new site: a hard link to the current output's file when that holds
    /// the same bytes already (nothing rewritten, its time kept), else a fresh write. A path added
    /// twice keeps the later file.
    public func add(_ f: OutputFile) { add(f, inputKey: nil) }

    /// Adds a page rendered from inputs whose key is `key` (see `PageReuse`).
    public func add(_ f: OutputFile, key: UInt64) { add(f, inputKey: key) }

    private func add(_ f: OutputFile, inputKey key: UInt64?) {
        guard let (parents, again) = reserve(f.path) else { return }
        let target = stagingPath + "/" + f.path
        // A second file for a path must not write through a hard link into the live site.
        if again { unlink(target) }
        if case .produced(let produce) = f.storage {
            if !again { clearSpare(f.path) }
            addProduced(f.path, produce, parents: parents, again: again, key: key)
            return
        }
        let (digest, reused, wrote) = f.withBytes { buf -> (UInt64, Bool, Bool) in
            let digest = ContentDigest.of(buf)
            if !again, reusable(f.path), isUnchanged(f.path, size: buf.count, digest: digest, sameBytes: { FileBytes.holds(buf, at: $0) }) {
                if let st = OutputWriter.stat(outputPath + "/" + f.path), spareHolds(f.path, inode: st.inode) {
                    return (digest, true, true)
                }
                clearSpare(f.path)
                if link(outputPath + "/" + f.path, target) == 0 { return (digest, true, true) }
            } else if !again {
                clearSpare(f.path)
            }
            return (digest, false, FileBytes.write(buf, to: target))
        }
        guard wrote else {
            fail(cannotWrite(f.path))
            return
        }
        finish(f.path, size: f.count, digest: digest, reused: reused, key: key)
    }

    /// Records a new file's path and makes the staging folders above it. Returns its parent
    /// folders and whether the path was added before; nil when the stage has failed or finished.
    private func reserve(_ path: String) -> (parents: [String], again: Bool)? {
        let parents = Self.parentFolders(of: path)
        lock.lock()
        defer { lock.unlock() }
        if failure != nil || finished { return nil }
        let again = !added.insert(path).inserted
        // Checked for every file: folders that came with the spare copy are never made here.
        for d in parents { if let k = existing[d], k != .directory { conflict = true } }
        if let d = makeFolders(parents) {
            if failure == nil {
                failure = Diagnostic(file: writer.output.appendingPathComponent(d).path, message: "cannot create folder",
                                     hint: "check free disk space and permissions; the previous site was left in place")
            }
            return nil
        }
        if existing[path] == .directory { conflict = true }
        return (parents, again)
    }

    /// Makes the staging folders in `parents` that are not there yet (a file the spare copy has
    /// where one goes is removed first). Called under the lock, so two threads never race on the
    /// same folder. Returns the folder that could not be made, if any.
    private func makeFolders(_ parents: [String]) -> String? {
        Self.makeFolders(parents, under: stagingPath, made: &made) { d in
            if let e = spare[d], e.kind != .directory { unlink(stagingPath + "/" + d) }
        }
    }

    /// Makes the folders in `parents` below `root` that `made` lacks, in order (`before` runs
    /// ahead of each). Returns the folder that could not be made, if any.
    private static func makeFolders(_ parents: [String], under root: String, made: inout Set<String>,
                                    before: (String) -> Void = { _ in }) -> String? {
        for d in parents where !made.contains(d) {
            before(d)
            guard FileBytes.makeDirectory(root + "/" + d) else { return d }
            made.insert(d)
        }
        return nil
    }

    /// Whether the folder holding `path` is in `made` (a path at the top has nothing to make).
    /// Most files sit in a folder made already, so this is checked before listing every folder above.
    private static func folderMade(above path: String, in made: Set<String>) -> Bool {
        guard let slash = path.utf8.lastIndex(of: UInt8(ascii: "/")) else { return true }
        return made.contains(String(path[..<slash]))
    }

    /// A file made by a producer goes to disk in pieces of about a megabyte as it is made, so a
    /// 200 MB export is never in memory whole. Its digest is then taken from the written file
    /// (read back in pieces, from the page cache); when it equals the current output's file, the new copy
    /// is replaced by a hard link to that one, as `add` does for unchanged files.
    private func addProduced(_ path: String, _ produce: OutputFile.Producer, parents: [String], again: Bool, key: UInt64?) {
        let target = stagingPath + "/" + path
        let fd = open(target, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard fd >= 0 else {
            fail(cannotWrite(path))
            return
        }
        var ok = true
        var out: [UInt8] = []
        out.reserveCapacity(Self.pieceSize + Self.pieceSize / 4)
        produce(&out) { buf in
            guard buf.count >= Self.pieceSize else { return }
            if ok { ok = buf.withUnsafeBytes { FileBytes.writeAll($0, to: fd) } }
            buf.removeAll(keepingCapacity: true)
        }
        if ok { ok = out.withUnsafeBytes { FileBytes.writeAll($0, to: fd) } }
        out = []
        if close(fd) != 0 { ok = false }
        guard ok, let (digest, size) = FileBytes.digest(ofFile: target) else {
            fail(cannotWrite(path))
            return
        }
        var reused = false
        if !again, reusable(path), isUnchanged(path, size: size, digest: digest, sameBytes: { FileBytes.sameContents($0, target) }),
           unlink(target) == 0 {
            reused = link(outputPath + "/" + path, target) == 0
            guard reused || FileBytes.copy(outputPath + "/" + path, to: target) else {
                fail(cannotWrite(path))
                return
            }
        }
        finish(path, size: size, digest: digest, reused: reused, key: key)
    }

    /// Bytes a producer's file is written in.
    static let pieceSize = 1 << 20

    private func cannotWrite(_ path: String) -> Diagnostic {
        Diagnostic(file: writer.output.appendingPathComponent(path).path, message: "cannot write file: \(String(cString: strerror(errno)))",
                   hint: "check free disk space and permissions; the previous site was left in place")
    }

    /// Counts a file in and keeps what the manifest needs to trust it next time.
    private func finish(_ path: String, size: Int, digest: UInt64, reused: Bool, key: UInt64?) {
        let st = OutputWriter.stat(stagingPath + "/" + path)
        lock.lock()
        if reused { linked += 1 } else { written += 1 }
        if let st, st.size == size { records[path] = Record(stat: st, digest: digest, key: key) } else { records.removeValue(forKey: path) }
        let twinFolder = twinPath != nil && makeTwinFolders(of: path)
        lock.unlock()
        if twinFolder, let twinPath { linkIntoTwin(path, twinPath) }
    }

    /// Makes the twin's folders above `path` (under the lock); false when one cannot be made.
    private func makeTwinFolders(of path: String) -> Bool {
        guard let twinPath else { return true }
        if Self.folderMade(above: path, in: twinMade) { return true }
        return Self.makeFolders(Self.parentFolders(of: path), under: twinPath, made: &twinMade) == nil
    }

    /// A second link to the staging file just finished. A path written twice has its earlier
    /// link replaced. Failures are left alone: the twin is a head start, not a copy anyone relies on.
    private func linkIntoTwin(_ path: String, _ twinPath: String) {
        let from = stagingPath + "/" + path, to = twinPath + "/" + path
        if link(from, to) != 0 && errno == EEXIST {
            unlink(to)
            _ = link(from, to)
        }
    }

    /// Keeps the current output's file for `path` without rendering it when the last build made
    /// it from the same input `key` and the file is still exactly what that build wrote (size,
    /// modification time and inode as in the manifest, so its digest is known). False: render it.
    /// Called for every page of the site (162,000 at 10,000 articles), so it does the least it
    /// can: one stat, and at most one lock when the spare copy already holds the file.
    public func reuse(_ path: String, key: UInt64) -> Bool {
        guard previousKeys[path] == key, let entry = manifest[path], reusable(path),
              let st = OutputWriter.stat(outputPath + "/" + path),
              st.size == entry.size, st.mtime == entry.mtime, st.inode == entry.inode else { return false }
        let inSpare = spareHolds(path, inode: st.inode)
        let record = Record(stat: st, digest: entry.digest, key: key)
        lock.lock()
        guard failure == nil, !finished, makeParentFolders(of: path), added.insert(path).inserted else {
            lock.unlock()
            return false
        }
        if inSpare {
            countReused(path, record)
            lock.unlock()
            return true
        }
        lock.unlock()
        clearSpare(path)
        guard link(outputPath + "/" + path, stagingPath + "/" + path) == 0 else {
            lock.withLock { _ = added.remove(path) }
            return false
        }
        lock.withLock { countReused(path, record) }
        return true
    }

    /// Under the lock.
    private func countReused(_ path: String, _ record: Record) {
        linked += 1
        reused += 1
        records[path] = record
    }

    /// Makes the staging folders above `path` (under the lock). Most pages sit in a folder made
    /// already, which is checked first without listing every folder above.
    private func makeParentFolders(of path: String) -> Bool {
        Self.folderMade(above: path, in: made) || makeFolders(Self.parentFolders(of: path)) == nil
    }

    public func reuseGroup(key: UInt64) -> [String]? {
        let paths = previousKeys.compactMap { $0.value == key ? $0.key : nil }.sorted()
        guard !paths.isEmpty else { return nil }
        // A path kept before one that cannot be is rendered again with the group (a second add
        // of a path replaces the first).
        for path in paths where !reuse(path, key: key) { return nil }
        return paths
    }

    private func fail(_ d: Diagnostic) {
        lock.lock()
        if failure == nil { failure = d }
        lock.unlock()
    }

    /// The current output's file at `path` may be read and linked: it is a plain file and every
    /// folder above it is a real folder (never a symlink, which could lead outside the site).
    /// `existing` comes from a walk that descends into real folders only, so a file in it has
    /// nothing but real folders above it.
    private func reusable(_ path: String) -> Bool {
        existing[path] == .file
    }

    /// Whether the current output's file at `path` holds the new file's bytes: by the manifest's
    /// digest when the file is still what the last build wrote, else by `sameBytes(fullPath)`.
    private func isUnchanged(_ path: String, size: Int, digest: UInt64, sameBytes: (String) -> Bool) -> Bool {
        let full = outputPath + "/" + path
        guard let st = OutputWriter.stat(full), st.size == size else { return false }
        if let e = manifest[path], e.size == st.size, e.mtime == st.mtime, e.inode == st.inode {
            return e.digest == digest
        }
        return sameBytes(full)
    }

    /// "a/b/c.html" → ["a", "a/b"].
    static func parentFolders(of path: String) -> [String] {
        var out: [String] = []
        var i = path.startIndex
        while let slash = path[i...].firstIndex(of: "/") {
            out.append(String(path[..<slash]))
            i = path.index(after: slash)
        }
        return out
    }

    /// Swaps the assembled site in (unless it is identical to the output, which is then left
    /// alone), removes the previous one and records the manifest. Throws the first failure of any
    /// `add`, after removing the staging folder; the output is then the previous site.
    public func commit(manifest manifestURL: URL?) throws(Diagnostic) -> WriteSummary {
        lock.lock()
        finished = true
        let failure = self.failure
        lock.unlock()
        if let failure {
            abandon()
            throw failure
        }
        removeSpareLeftovers()
        let extra = existing.filter { !added.contains($0.key) && !made.contains($0.key) }
        let deleted = extra.filter { $0.value != .directory }.count
        let total = added.count
        if linked == total && extra.isEmpty && !conflict && !existing.isEmpty {
            // Every file already held its bytes and nothing is extra: the output stays as it is
            // (same inodes and times), and the identical copy is kept as the spare.
            keepAsSpare()
            if let manifestURL { writeKeys(to: Self.keysURL(manifest: manifestURL)) }
            return WriteSummary(pages: total, files: total, written: 0, unchanged: total, deleted: 0, replacedWhole: false,
                                reused: reused)
        }
        do {
            try writer.swapIn(staging)
        } catch {
            FileBytes.removeTree(stagingPath)
            if let twinPath { FileBytes.removeTree(twinPath) }
            throw Diagnostic(file: writer.output.path, message: "cannot put the new site in place: \(error.localizedDescription)",
                             hint: "check permissions of the output folder and its parent; the previous site was left in place")
        }
        keepAsSpare()  // the previous site, after the swap
        if let twinPath { keepAsSpare(twinPath) }  // or, when there was none, the twin of the new one
        if let manifestURL {
            // Keys first: should the manifest not follow (a kill), the old manifest no longer
            // matches the files this build rewrote, so none of them is reused on stale keys.
            writeKeys(to: Self.keysURL(manifest: manifestURL))
            writeManifest(to: manifestURL)
        }
        return WriteSummary(pages: total, files: total, written: written, unchanged: linked, deleted: deleted,
                            replacedWhole: conflict || existing.isEmpty, reused: reused)
    }

    /// Removes what the spare copy had that the new site does not: files first, then folders
    /// no new file is in (deepest first).
    private func removeSpareLeftovers() {
        guard !spare.isEmpty else { return }
        // Each file's own folder first (a few thousand distinct ones for 162,000 files), then the
        // folders above those: listing every folder above every file took 0.3 s at 10,000 articles.
        var direct: Set<Substring> = []
        for p in added {
            if let slash = p.utf8.lastIndex(of: UInt8(ascii: "/")) { direct.insert(p[..<slash]) }
        }
        var needed: Set<String> = []
        for d in direct {
            let folder = String(d)
            guard needed.insert(folder).inserted else { continue }
            for above in Self.parentFolders(of: folder) { needed.insert(above) }
        }
        for (p, e) in spare where e.kind != .directory && !added.contains(p) && !needed.contains(p) {
            unlink(stagingPath + "/" + p)
        }
        let folders = spare.filter { $0.value.kind == .directory && !needed.contains($0.key) && !added.contains($0.key) }.keys
        for d in folders.sorted(by: { $0.count > $1.count }) { FileBytes.removeTree(stagingPath + "/" + d) }
        lock.withLock { made.formIntersection(needed.union([""])) }
    }

    /// Keeps `folder` (by default the one now at the staging path: the previous site after a
    /// swap, or a copy identical to the output; or the twin) as the spare for the next build,
    /// replacing the one there; removed if it cannot be kept.
    private func keepAsSpare(_ folder: String? = nil) {
        let folder = folder ?? stagingPath
        var st = SystemStat()
        guard lstat(folder, &st) == 0 else { return }
        let spare = Self.spareURL(writer.output).path
        FileBytes.removeTree(spare)
        if rename(folder, spare) != 0 { FileBytes.removeTree(folder) }
    }

    /// Drops the staging folder; the output is left as it was. A stage abandoned before any file
    /// went in (the build stopped at an error in the content) still holds the spare copy as it
    /// was, which goes back to being the spare, so the next build does not start from nothing.
    public func abandon() {
        lock.lock()
        finished = true
        let untouched = added.isEmpty && made.count == spare.count { $0.value.kind == .directory } + 1
        lock.unlock()
        if untouched && !spare.isEmpty {
            keepAsSpare()
        } else {
            FileBytes.removeTree(stagingPath)
        }
        if let twinPath { FileBytes.removeTree(twinPath) }
    }

    private func writeManifest(to url: URL) {
        var w = CacheWriter()
        w.raw(OutputWriter.manifestMagic)
        // In dictionary order: the file is read back into a dictionary, and sorting 162,000 paths
        // for it and for the keys file took 0.6 s of CPU of every rebuild at 10,000 articles.
        w.int(records.count)
        for (p, r) in records {
            w.string(p); w.int(r.stat.size); w.int(Int(r.stat.mtime)); w.u64(r.stat.inode); w.u64(r.digest)
        }
        OutputWriter.writeAtomically(w.bytes, to: url)
    }

    // MARK: page keys

    static let keysMagic: [UInt8] = Array("SGPK1".utf8)

    static func keysURL(manifest: URL) -> URL { manifest.deletingPathExtension().appendingPathExtension("keys") }

    static func readKeys(_ url: URL) -> [String: UInt64]? {
        OutputWriter.readTable(url, magic: keysMagic) { r throws(CacheReader.Invalid) in try r.u64() }
    }

    private func writeKeys(to url: URL) {
        var w = CacheWriter()
        w.raw(Self.keysMagic)
        let entries = lock.withLock { records }
        w.int(entries.count { $0.value.key != nil })
        for (p, r) in entries { if let k = r.key { w.string(p); w.u64(k) } }  // in dictionary order, as the manifest
        OutputWriter.writeAtomically(w.bytes, to: url)
    }
}
