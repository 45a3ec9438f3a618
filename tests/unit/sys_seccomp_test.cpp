// SeccompPolicy: the builder's bookkeeping, and the real filter installed in
// a forked child (a filter cannot be removed, so never in the test process).
#include <errno.h>
#include <fcntl.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <functional>
#include <string>
#include <thread>

#include "sys/clock.h"
#include "sys/openat2.h"
#include "sys/seccomp_policy.h"

using namespace pipehang::sys;

namespace {

// Runs body in a child and returns its exit status (or -1 on a crash or
// after 10 s, when the child is killed).
int run_in_child(const std::function<int()> &body)
{
	pid_t pid = ::fork();
	if (pid < 0)
		return -2;
	if (pid == 0)
		::_exit(body());
	const double deadline = monotonic_ms() + 10000;
	int status = 0;
	for (;;) {
		pid_t r = ::waitpid(pid, &status, WNOHANG);
		if (r == pid)
			break;
		if (monotonic_ms() > deadline) {
			::kill(pid, SIGKILL);
			::waitpid(pid, &status, 0);
			return -1;
		}
		sleep_ms(5);
	}
	return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

TEST(SysSeccomp, ResolvesSyscallNames)
{
	EXPECT_EQ(syscall_number("openat2"), kSysOpenat2);
	EXPECT_EQ(syscall_number("openat"), SYS_openat);
	EXPECT_EQ(syscall_number("io_uring_setup"), SYS_io_uring_setup);
	EXPECT_EQ(syscall_number("no_such_syscall"), -1);
	EXPECT_EQ(syscall_number(""), -1);
}

TEST(SysSeccomp, DenyListBookkeeping)
{
	SeccompPolicy p = SeccompPolicy::deny_list();
	std::string error;
	EXPECT_TRUE(p.empty());
	EXPECT_TRUE(p.deny("openat2", ENOSYS, &error));
	EXPECT_TRUE(p.deny("openat2", ENOSYS, &error)); // duplicates collapse
	EXPECT_TRUE(p.deny("splice", EPERM, &error));
	ASSERT_EQ(p.rules().size(), 2u);
	EXPECT_EQ(p.rules()[1].err, EPERM);
	EXPECT_EQ(p.denied_names(), (std::vector<std::string>{"openat2", "splice"}));

	EXPECT_FALSE(p.deny("bogus_call", ENOSYS, &error));
	EXPECT_NE(error.find("bogus_call"), std::string::npos);
	EXPECT_FALSE(p.deny("read", 0, &error));
	EXPECT_FALSE(p.allow("read", &error));
	EXPECT_NE(error.find("deny-list"), std::string::npos);
}

TEST(SysSeccomp, AllowListBookkeeping)
{
	SeccompPolicy p = SeccompPolicy::allow_list(EACCES);
	std::string error;
	EXPECT_EQ(p.mode(), SeccompPolicy::Mode::kAllowList);
	EXPECT_EQ(p.default_errno(), EACCES);
	EXPECT_FALSE(p.deny("openat2", ENOSYS, &error));
	p.allow_runtime_basics();
	bool has_exit_group = false;
	for (const auto &r : p.rules())
		has_exit_group |= (r.name == "exit_group" && r.allow);
	EXPECT_TRUE(has_exit_group);
	EXPECT_TRUE(p.denied_names().empty());
}

TEST(SysSeccomp, DenyMakesOnlyThatSyscallFailWithEnosys)
{
	int status = run_in_child([] {
		SeccompPolicy p = SeccompPolicy::deny_list();
		if (!p.deny("openat2", ENOSYS, nullptr))
			return 10;
		if (!p.apply().ok())
			return 11;
		OpenHow how;
		how.flags = O_RDONLY | O_DIRECTORY;
		SysResult r = openat2(AT_FDCWD, "/", how);
		if (r.ok() || r.err != ENOSYS)
			return 12;
		SysResult o = openat(AT_FDCWD, "/", O_RDONLY | O_DIRECTORY, 0);
		if (!o.ok())
			return 13;
		return 0;
	});
	EXPECT_EQ(status, 0) << "10 build, 11 apply, 12 openat2 not ENOSYS, 13 openat broken";
}

TEST(SysSeccomp, DenyAppliesToThreadsStartedBefore)
{
	// TSYNC: the closer/splicer threads must see the same emulated kernel.
	int status = run_in_child([] {
		std::atomic<int> phase{0};
		std::atomic<int> result{-1};
		std::thread t([&] {
			while (phase.load() == 0)
				sleep_ms(1);
			OpenHow how;
			how.flags = O_RDONLY | O_DIRECTORY;
			result = openat2(AT_FDCWD, "/", how).err;
		});
		SeccompPolicy p = SeccompPolicy::deny_list();
		p.deny("openat2", ENOSYS, nullptr);
		bool ok = p.apply().ok();
		phase = 1;
		t.join();
		return ok && result.load() == ENOSYS ? 0 : 1;
	});
	EXPECT_EQ(status, 0);
}

TEST(SysSeccomp, AllowListSandboxBlocksEverythingElse)
{
	int status = run_in_child([] {
		SeccompPolicy p = SeccompPolicy::allow_list(EACCES);
		p.allow_runtime_basics();
		if (!p.apply().ok())
			return 10;
		// getppid is not in the basics: it must fail with the default errno.
		long r = ::syscall(SYS_getppid);
		if (r != -1 || errno != EACCES)
			return 11;
		if (::getpid() <= 0)
			return 12; // allowed
		return 0;
	});
	EXPECT_EQ(status, 0) << "10 apply, 11 getppid not blocked, 12 getpid blocked";
}

} // namespace
