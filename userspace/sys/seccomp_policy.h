// SeccompPolicy: builds a seccomp filter with libseccomp. Two shapes:
//  - deny list: everything allowed except the named syscalls, which fail
//    with an errno (ENOSYS by default) — this is how a reproducer emulates a
//    kernel that predates a syscall (e.g. openat2 before 5.6);
//  - allow list: only the named syscalls run, everything else fails — a
//    sandbox for a reproducer.
// A policy is plain data until apply() installs it, so it can be built,
// inspected and tested without touching the calling process.
#pragma once

#include <string>
#include <vector>

#include "sys/result.h"

namespace pipehang::sys {

// The native syscall number for name, or -1 if libseccomp does not know it.
int syscall_number(const std::string &name);

class SeccompPolicy {
public:
	enum class Mode { kDenyList, kAllowList };
	struct Rule {
		std::string name;
		int number = -1;
		bool allow = false; // allow-list entry; otherwise fail with err
		int err = 0;
	};

	// Everything allowed; deny() adds exceptions.
	static SeccompPolicy deny_list();
	// Everything fails with default_errno; allow() adds exceptions.
	static SeccompPolicy allow_list(int default_errno = 1 /* EPERM */);

	// Adds a rule. Returns false and sets *error (naming the syscall) when the
	// name is unknown or the rule contradicts the policy's mode.
	bool deny(const std::string &name, int err, std::string *error);
	bool allow(const std::string &name, std::string *error);
	// Allows what any C++ program needs to keep running, print and exit
	// (write, exit_group, futex, mmap, ...): the base of a sandbox.
	void allow_runtime_basics();

	Mode mode() const { return mode_; }
	int default_errno() const { return default_errno_; }
	const std::vector<Rule> &rules() const { return rules_; }
	bool empty() const { return rules_.empty(); }
	// Names of the denied syscalls (deny-list mode), in insertion order.
	std::vector<std::string> denied_names() const;

	// Installs the filter on the calling process, synchronised to all its
	// threads; sets no_new_privs. Irreversible. err is libseccomp's errno.
	SysResult apply() const;

private:
	explicit SeccompPolicy(Mode mode, int default_errno) : mode_(mode), default_errno_(default_errno) {}
	bool has(const std::string &name) const;

	Mode mode_;
	int default_errno_;
	std::vector<Rule> rules_;
};

} // namespace pipehang::sys
