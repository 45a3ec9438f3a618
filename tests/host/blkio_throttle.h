// BlkioThrottle: a cgroup-v1 blkio group that caps write bandwidth to one
// block device. Processes started in it write O_DIRECT data slowly, which is
// the host-side stand-in for the QEMU-throttled virtio disk: splice() then
// holds pipe->mutex for seconds and close() visibly waits in pipe_release().
#pragma once

#include <string>

namespace pipehang::testing {

class BlkioThrottle {
public:
	BlkioThrottle(const std::string &device_numbers, unsigned long long write_bps);
	~BlkioThrottle();
	BlkioThrottle(const BlkioThrottle &) = delete;
	BlkioThrottle &operator=(const BlkioThrottle &) = delete;

	bool ok() const { return ok_; }
	const std::string &skip_reason() const { return why_; }
	// The cgroup.procs file a child writes itself into.
	std::string procs_file() const { return dir_ + "/cgroup.procs"; }

private:
	std::string dir_;
	std::string why_;
	bool ok_ = false;
};

} // namespace pipehang::testing
