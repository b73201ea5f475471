import Foundation

// Two fuzz targets, chosen by SITEGEN_FUZZ_TARGET (`dates`, the default, or `article`).
//
// `scripts/fuzz` builds this with `-sanitize=fuzzer -D SITEGEN_LIBFUZZER`: libFuzzer then drives
// the target (its usual flags and corpus folders as arguments). A plain build replays files
// instead, which is how a crash is reproduced without the fuzzer:
//
//     SITEGEN_FUZZ_TARGET=article SitegenFuzz Fuzz/corpus/article/crash-…

#if SITEGEN_LIBFUZZER
// libFuzzer's own entry point (SwiftPM renames an executable's `main`, so libFuzzer's `main` is
// not used; this is what it would have called).
@_silgen_name("LLVMFuzzerRunDriver")
func LLVMFuzzerRunDriver(
    _ argc: UnsafeMutablePointer<Int32>,
    _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>,
    _ callback: @convention(c) (UnsafePointer<UInt8>?, Int) -> Int32
) -> Int32

var argc = CommandLine.argc
var argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? = CommandLine.unsafeArgv
exit(LLVMFuzzerRunDriver(&argc, &argv) { data, size in
    FuzzTargets.run(UnsafeBufferPointer(start: data, count: size))
    return 0
})
#else
var files: [URL] = []
for arg in CommandLine.arguments.dropFirst() where !arg.hasPrefix("-") {
    let url = URL(fileURLWithPath: arg)
    var isDir: ObjCBool = false
    guard FileManager.default.fileExists(atPath: url.path, isDirectory: &isDir) else { continue }
    if isDir.boolValue {
        for name in (try? FileManager.default.contentsOfDirectory(atPath: url.path))?.sorted() ?? [] where !name.hasPrefix(".") {
            files.append(url.appendingPathComponent(name))
        }
    } else {
        files.append(url)
    }
}
for file in files {
    guard let data = FileManager.default.contents(atPath: file.path) else { continue }
    data.withUnsafeBytes { FuzzTargets.run(UnsafeBufferPointer(start: $0.bindMemory(to: UInt8.self).baseAddress, count: data.count)) }
}
print("\(FuzzTargets.name): replayed \(files.count) inputs without a failure")
#endif
