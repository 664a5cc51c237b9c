//===- CpuThreads.h - How many CPU threads a session takes ------*- C++ -*-===//
//
// The pieces of defaultCpuThreads() that tests reach without a container.
//
//===----------------------------------------------------------------------===//

#ifndef INTR_LIB_RUNTIME_CPUTHREADS_H
#define INTR_LIB_RUNTIME_CPUTHREADS_H

#include <optional>
#include <string>

namespace intr::detail {

/// The CPUs that a cgroup CPU quota lets a process keep busy, rounded up:
/// `quota` and `period` in microseconds as cgroup v2's cpu.max holds them
/// ("200000 100000"; a quota of "max" is no limit) or cgroup v1's
/// cpu.cfs_quota_us and cpu.cfs_period_us (a quota of -1 is no limit).
/// Nothing for no limit or unreadable text.
std::optional<int> cpusOfQuota(const std::string &quota,
                               const std::string &period);

} // namespace intr::detail

#endif // INTR_LIB_RUNTIME_CPUTHREADS_H
