// Shared by the fuzz targets (scripts/fuzz). Each target defines
// `LLVMFuzzerTestOneInput` and an entry point that calls `Fuzz.run`:
//
// - built by scripts/fuzz (`-sanitize=fuzzer,address -D FUZZING`), `Fuzz.run`
//   hands the process to libFuzzer (LLVMFuzzerRunDriver), which calls the
//   target's `LLVMFuzzerTestOneInput` with each input;
// - in a normal build it replays the files (or directories of files) given as
//   arguments through the same check, so the targets link and a corpus or a
//   crash file can be re-run without the sanitizers: `swift run FuzzJSON FILE…`.
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

public typealias FuzzCallback = @convention(c) (UnsafePointer<UInt8>?, Int) -> CInt

#if FUZZING
@_silgen_name("LLVMFuzzerRunDriver")
private func LLVMFuzzerRunDriver(
    _ argc: UnsafeMutablePointer<CInt>,
    _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>,
    _ callback: FuzzCallback
) -> CInt
#endif

public enum Fuzz {
    /// The bytes libFuzzer passes (nil with size 0 for the empty input).
    public static func bytes(_ data: UnsafePointer<UInt8>?, _ size: Int) -> [UInt8] {
        guard let data, size > 0 else { return [] }
        return Array(UnsafeBufferPointer(start: data, count: size))
    }

    /// The process's entry point: libFuzzer's driver in a fuzzer build, a
    /// replay of the argument files otherwise.
    public static func run(_ callback: FuzzCallback) -> Never {
        exit(main(CommandLine.argc, CommandLine.unsafeArgv, callback))
    }

    private static func main(
        _ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?, _ callback: FuzzCallback
    ) -> CInt {
        #if FUZZING
        var argc = argc
        var argv = argv
        return LLVMFuzzerRunDriver(&argc, &argv, callback)
        #else
        let paths = (1..<Int(argc)).compactMap { argv?[$0].map { String(cString: $0) } }
        if paths.isEmpty {
            print("usage: \(CommandLine.arguments.first ?? "fuzz-target") FILE|DIRECTORY…  (replays inputs; scripts/fuzz fuzzes)")
            return 2
        }
        var count = 0
        for path in paths {
            for file in files(at: path) {
                guard let bytes = read(file) else {
                    print("cannot read \(file)")
                    return 1
                }
                _ = bytes.withUnsafeBufferPointer { callback($0.baseAddress, $0.count) }
                count += 1
            }
        }
        print("replayed \(count) input(s)")
        return 0
        #endif
    }

    /// Stops the process the way libFuzzer reports a finding (a crash with
    /// the input saved) when an invariant does not hold.
    public static func require(_ condition: Bool, _ message: @autoclosure () -> String, file: StaticString = #file, line: UInt = #line) {
        if !condition { fatalError("invariant failed: \(message())", file: file, line: line) }
    }

    private static func files(at path: String) -> [String] {
        guard let dir = opendir(path) else { return [path] }
        defer { closedir(dir) }
        var out: [String] = []
        while let entry = readdir(dir) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(decoding: raw.prefix(while: { $0 != 0 }), as: UTF8.self)
            }
            if name.hasPrefix(".") { continue }
            out.append(path + "/" + name)
        }
        return out.sorted()
    }

    private static func read(_ path: String) -> [UInt8]? {
        guard let file = fopen(path, "rb") else { return nil }
        defer { fclose(file) }
        var out: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 65536)
        while true {
            let n = buffer.withUnsafeMutableBytes { fread($0.baseAddress, 1, $0.count, file) }
            if n <= 0 { break }
            out.append(contentsOf: buffer[0..<n])
        }
        return out
    }
}
