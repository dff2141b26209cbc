#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Raises the process's soft limit on open files to its hard limit: each connection is one file, and
/// at the usual soft limit (1 024) a thousand idle clients would leave none for anyone else.
/// Returns the limit in force afterwards.
@discardableResult
public func raiseOpenFileLimit() -> UInt64 {
    #if os(Linux)
        let resource = Int32(RLIMIT_NOFILE.rawValue)
    #else
        let resource = RLIMIT_NOFILE
    #endif
    var limit = rlimit()
    guard getrlimit(resource, &limit) == 0 else { return 0 }
    if limit.rlim_cur < limit.rlim_max {
        var raised = limit
        raised.rlim_cur = limit.rlim_max
        if setrlimit(resource, &raised) == 0 { return UInt64(raised.rlim_cur) }
    }
    return UInt64(limit.rlim_cur)
}
