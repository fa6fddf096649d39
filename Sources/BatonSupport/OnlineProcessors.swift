#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Cores online (at least 1): the default number of workers of the parallel parse, fit and
/// validation passes. Read once per process: glibc's `sysconf(_SC_NPROCESSORS_ONLN)` opens and
/// parses /sys/devices/system/cpu/online on every call, and a file read part by part asked once
/// per part (283 opens in one `baton validate` of 1e6 leads).
package func onlineProcessorCount() -> Int { processorsOnline }

private let processorsOnline = max(1, Int(sysconf(Int32(_SC_NPROCESSORS_ONLN))))
