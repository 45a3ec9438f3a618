#include "scratch_fs.h"

#include <signal.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include <cerrno>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <vector>

#include "process_runner.h"
#include "sys/clock.h"

namespace pipehang::testing {

std::string device_numbers_of(const std::string &path)
{
	struct stat st {};
	if (::stat(path.c_str(), &st) != 0)
		return "";
	return std::to_string(major(st.st_dev)) + ":" + std::to_string(minor(st.st_dev));
}

namespace {

const char *kScratchPrefix = "pipehang-host.";
const char *kBlkioPrefix = "pipehang-test-";

// The pid encoded right after prefix in name (digits, then '.' or the end),
// or 0 when the name does not follow that pattern.
pid_t owner_pid(const std::string &name, const std::string &prefix)
{
	if (name.rfind(prefix, 0) != 0)
		return 0;
	std::size_t i = prefix.size(), digits = 0;
	long pid = 0;
	while (i < name.size() && name[i] >= '0' && name[i] <= '9' && digits < 9) {
		pid = pid * 10 + (name[i] - '0');
		++i;
		++digits;
	}
	if (digits == 0 || (i < name.size() && name[i] != '.'))
		return 0;
	return static_cast<pid_t>(pid);
}

bool pid_alive(pid_t pid)
{
	return pid > 0 && (::kill(pid, 0) == 0 || errno == EPERM);
}

} // namespace

void remove_leftovers_of_dead_tests()
{
	if (::geteuid() != 0)
		return;
	std::error_code ec;
	for (const auto &entry : std::filesystem::directory_iterator("/var/tmp", ec)) {
		const std::string name = entry.path().filename();
		const pid_t pid = owner_pid(name, kScratchPrefix);
		if (pid <= 0 || pid_alive(pid))
			continue;
		const std::string mnt = entry.path().string() + "/mnt";
		// Lazy unmount: a reproducer of the dead test may still hold it.
		run_command({"umount", "-l", mnt}, 30, nullptr);
		std::filesystem::remove_all(entry.path(), ec);
	}
	for (const auto &entry : std::filesystem::directory_iterator("/sys/fs/cgroup/blkio", ec)) {
		const std::string name = entry.path().filename();
		const pid_t pid = owner_pid(name, kBlkioPrefix);
		if (pid > 0 && !pid_alive(pid))
			::rmdir(entry.path().c_str());
	}
}

ScratchFs::ScratchFs(Kind kind, unsigned size_mb, const std::string &mount_options)
{
	if (::geteuid() != 0) {
		why_ = "mounting a scratch filesystem needs root";
		return;
	}
	remove_leftovers_of_dead_tests();
	std::string tmpl = std::string("/var/tmp/") + kScratchPrefix + std::to_string(::getpid()) + ".XXXXXX";
	if (!::mkdtemp(tmpl.data())) {
		why_ = "mkdtemp failed";
		return;
	}
	base_ = tmpl;
	mount_point_ = base_ + "/mnt";
	std::filesystem::create_directory(mount_point_);
	switch (kind) {
	case Kind::kExt4Loop: {
		image_ = base_ + "/ext4.img";
		if (!run_command({"truncate", "-s", std::to_string(size_mb) + "M", image_}, 30, &why_))
			return;
		// No lazy init: background inode-table zeroing would add unrelated I/O.
		if (!run_command({"mkfs.ext4", "-q", "-F", "-E", "lazy_itable_init=0,lazy_journal_init=0", image_}, 60,
				 &why_))
			return;
		const std::string options = mount_options.empty() ? "loop" : "loop," + mount_options;
		if (!run_command({"mount", "-t", "ext4", "-o", options, image_, mount_point_}, 60, &why_)) {
			why_ = "loop mount not possible here: " + why_;
			return;
		}
		break;
	}
	case Kind::kTmpfs:
		if (!run_command({"mount", "-t", "tmpfs", "-o", "size=64m", "pipehang-test", mount_point_}, 30, &why_))
			return;
		break;
	case Kind::kRamfs:
		if (!run_command({"mount", "-t", "ramfs", "pipehang-test", mount_point_}, 30, &why_))
			return;
		break;
	}
	mounted_ = true;
	devno_ = device_numbers_of(mount_point_);
}

ScratchFs::~ScratchFs()
{
	if (mounted_) {
		// A reproducer blocked in the kernel can keep the mount busy for a few
		// seconds: retry, then detach lazily so the test never leaves it behind.
		bool done = false;
		const double deadline = sys::monotonic_ms() + 20000;
		while (!done && sys::monotonic_ms() < deadline) {
			done = run_command({"umount", mount_point_}, 30, nullptr);
			if (!done)
				sys::sleep_ms(200);
		}
		if (!done)
			run_command({"umount", "-l", mount_point_}, 30, nullptr);
	}
	if (!base_.empty()) {
		std::error_code ec;
		std::filesystem::remove_all(base_, ec);
	}
}

} // namespace pipehang::testing
