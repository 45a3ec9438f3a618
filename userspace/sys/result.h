// SysResult: what every thin syscall wrapper in pipehang_sys returns.
// Wrappers never throw and never touch global errno for the caller: the
// kernel's answer (a value or an errno) is carried explicitly so callers can
// report exactly which step failed and why.
#pragma once

namespace pipehang::sys {

struct SysResult {
	long value = -1; // the syscall's return value when ok()
	int err = 0;     // errno when the call failed, 0 on success

	bool ok() const { return err == 0; }
	static SysResult success(long v) { return SysResult{v, 0}; }
	static SysResult failure(int e) { return SysResult{-1, e}; }
	// Builds a result from a libc-style return (-1 + errno) captured right
	// after the call.
	static SysResult from_libc(long ret, int saved_errno) { return ret < 0 ? failure(saved_errno) : success(ret); }
	// Builds a result from a kernel/liburing-style return (-errno on failure).
	static SysResult from_negative_errno(long ret)
	{
		return ret < 0 ? failure(static_cast<int>(-ret)) : success(ret);
	}
};

} // namespace pipehang::sys
