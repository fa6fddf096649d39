#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A C function looked up by name in the running process (`dlsym` with `RTLD_DEFAULT`), for
/// functions a header does not declare to Swift or a library build may lack: glibc's
/// `renameat2`, OpenBLAS's `blas_thread_shutdown_`. Nil when the process has no such symbol.
/// Look each one up once (a `static let`), not per call.
package func runtimeFunction<Function>(named name: String, as type: Function.Type) -> Function? {
    guard let symbol = dlsym(nil, name) else { return nil }  // nil: RTLD_DEFAULT
    return unsafeBitCast(symbol, to: type)
}
