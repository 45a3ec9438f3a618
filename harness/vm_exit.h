// Exit statuses of `pipehang vm` besides the guest script's own status
// (documented in docs/harness.md).
#pragma once

namespace pipehang::cli::vm_exit {
constexpr int harness_error = 128; // bad input, QEMU missing or dying, image build failure
constexpr int boot_failed = 123;   // no boot marker: the kernel never reached our init
constexpr int timeout = 124;       // watchdog: the guest was still running at --timeout
constexpr int guest_died = 122;    // booted, but the VM ended before the script finished
constexpr int interrupted = 130;   // SIGINT/SIGTERM: VM killed, temp files removed
} // namespace pipehang::cli::vm_exit
