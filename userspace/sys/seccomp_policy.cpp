#include "sys/seccomp_policy.h"

#include <errno.h>
#include <seccomp.h>

namespace pipehang::sys {

int syscall_number(const std::string &name)
{
	if (name.empty())
		return -1;
	int nr = seccomp_syscall_resolve_name(name.c_str());
	return nr == __NR_SCMP_ERROR ? -1 : nr;
}

SeccompPolicy SeccompPolicy::deny_list()
{
	return SeccompPolicy(Mode::kDenyList, 0);
}

SeccompPolicy SeccompPolicy::allow_list(int default_errno)
{
	return SeccompPolicy(Mode::kAllowList, default_errno);
}

bool SeccompPolicy::has(const std::string &name) const
{
	for (const Rule &r : rules_)
		if (r.name == name)
			return true;
	return false;
}

bool SeccompPolicy::deny(const std::string &name, int err, std::string *error)
{
	const int nr = syscall_number(name);
	if (nr < 0) {
		if (error)
			*error = "unknown syscall '" + name + "'";
		return false;
	}
	if (mode_ != Mode::kDenyList) {
		if (error)
			*error = "cannot deny '" + name +
				 "' in an allow-list policy (everything not allowed already fails)";
		return false;
	}
	if (err <= 0 || err > 4095) {
		if (error)
			*error = "errno " + std::to_string(err) + " for '" + name + "' is out of range";
		return false;
	}
	if (!has(name))
		rules_.push_back(Rule{name, nr, false, err});
	return true;
}

bool SeccompPolicy::allow(const std::string &name, std::string *error)
{
	const int nr = syscall_number(name);
	if (nr < 0) {
		if (error)
			*error = "unknown syscall '" + name + "'";
		return false;
	}
	if (mode_ != Mode::kAllowList) {
		if (error)
			*error = "cannot allow '" + name +
				 "' in a deny-list policy (everything not denied already runs)";
		return false;
	}
	if (!has(name))
		rules_.push_back(Rule{name, nr, true, 0});
	return true;
}

void SeccompPolicy::allow_runtime_basics()
{
	// Enough for a static glibc program to allocate, use threads, print,
	// sleep and exit. Names libseccomp does not know on this arch are skipped.
	static const char *const kBasics[] = {
		"read",         "write",       "writev",        "close",           "exit",
		"exit_group",   "brk",         "mmap",          "munmap",          "mprotect",
		"mremap",       "madvise",     "futex",         "rt_sigreturn",    "rt_sigprocmask",
		"rt_sigaction", "sigaltstack", "clock_gettime", "clock_nanosleep", "nanosleep",
		"gettid",       "getpid",      "tgkill",        "sched_yield",     "set_robust_list",
		"rseq",         "clone",       "clone3",        "fstat",           "newfstatat",
		"getrandom",    "prlimit64",
	};
	for (const char *name : kBasics) {
		if (syscall_number(name) >= 0)
			allow(name, nullptr);
	}
}

std::vector<std::string> SeccompPolicy::denied_names() const
{
	std::vector<std::string> names;
	for (const Rule &r : rules_)
		if (!r.allow)
			names.push_back(r.name);
	return names;
}

SysResult SeccompPolicy::apply() const
{
	const uint32_t default_action =
		mode_ == Mode::kDenyList ? SCMP_ACT_ALLOW : SCMP_ACT_ERRNO(static_cast<uint16_t>(default_errno_));
	scmp_filter_ctx ctx = seccomp_init(default_action);
	if (!ctx)
		return SysResult::failure(ENOMEM);
	int ret = 0;
	// Every thread must see the same view of the kernel, or a closer thread
	// could take a path the splicer thread cannot.
	ret = seccomp_attr_set(ctx, SCMP_FLTATR_CTL_TSYNC, 1);
	for (const Rule &r : rules_) {
		if (ret < 0)
			break;
		const uint32_t action = r.allow ? SCMP_ACT_ALLOW : SCMP_ACT_ERRNO(static_cast<uint16_t>(r.err));
		ret = seccomp_rule_add(ctx, action, r.number, 0);
	}
	if (ret >= 0)
		ret = seccomp_load(ctx);
	seccomp_release(ctx);
	return ret < 0 ? SysResult::failure(-ret) : SysResult::success(0);
}

} // namespace pipehang::sys
