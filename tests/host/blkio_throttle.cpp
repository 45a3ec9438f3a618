#include "blkio_throttle.h"

#include <errno.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstring>
#include <fstream>

#include "sys/clock.h"

namespace pipehang::testing {

static const char *kBlkioRoot = "/sys/fs/cgroup/blkio";

BlkioThrottle::BlkioThrottle(const std::string &device_numbers, unsigned long long write_bps)
{
	const std::string knob = std::string(kBlkioRoot) + "/blkio.throttle.write_bps_device";
	if (::access(knob.c_str(), W_OK) != 0) {
		why_ = std::string("no writable cgroup-v1 blkio throttle (") + knob + ")";
		return;
	}
	if (device_numbers.empty()) {
		why_ = "no block device numbers for the scratch filesystem";
		return;
	}
	dir_ = std::string(kBlkioRoot) + "/pipehang-test-" + std::to_string(::getpid());
	if (::mkdir(dir_.c_str(), 0755) != 0 && errno != EEXIST) {
		why_ = "cannot create " + dir_ + ": " + std::strerror(errno);
		dir_.clear();
		return;
	}
	std::ofstream out(dir_ + "/blkio.throttle.write_bps_device");
	out << device_numbers << " " << write_bps << "\n";
	out.flush();
	if (!out) {
		why_ = "cannot set blkio.throttle.write_bps_device for " + device_numbers;
		return;
	}
	ok_ = true;
}

BlkioThrottle::~BlkioThrottle()
{
	if (dir_.empty())
		return;
	// rmdir fails with EBUSY while a (possibly still blocked) child is in it.
	const double deadline = sys::monotonic_ms() + 20000;
	while (::rmdir(dir_.c_str()) != 0 && errno == EBUSY && sys::monotonic_ms() < deadline)
		sys::sleep_ms(100);
}

} // namespace pipehang::testing
