#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// The CPUs this process may run on, from the kernel's own account of its
/// affinity mask (`taskset`, `docker --cpuset-cpus`): Glibc's module does not
/// export `sched_getaffinity` to Swift.
public enum CPUAffinity {
    /// How many CPUs `Cpus_allowed_list` in /proc/self/status names ("0",
    /// "0-3", "0,2-3"); nil where there is no such line or it cannot be read.
    public static func allowedCount(status: String? = nil) -> Int? {
        guard let text = status ?? (try? String(contentsOfFile: "/proc/self/status", encoding: .utf8)),
            let line = text.split(separator: "\n").first(where: { $0.hasPrefix("Cpus_allowed_list:") })
        else { return nil }
        var count = 0
        for range in line.dropFirst("Cpus_allowed_list:".count).split(separator: ",") {
            let bounds = range.split(separator: "-").map { Int($0.trimmingWhitespace()) }
            switch bounds.count {
            case 1:
                guard bounds[0] != nil else { return nil }
                count += 1
            case 2:
                guard let low = bounds[0], let high = bounds[1], high >= low else { return nil }
                count += high - low + 1
            default:
                return nil
            }
        }
        return count > 0 ? count : nil
    }
}
