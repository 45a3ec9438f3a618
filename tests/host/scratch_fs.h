// ScratchFs: a filesystem mounted just for one test, unmounted and deleted
// afterwards even when the test fails: an ext4 image on a loop device, a
// tmpfs, or a ramfs. When the machine cannot provide it (not root, no loop
// devices) the object is not ok() and skip_reason() says why.
#pragma once

#include <string>

namespace pipehang::testing {

class ScratchFs {
public:
	enum class Kind { kExt4Loop, kTmpfs, kRamfs };

	// size_mb only matters for kExt4Loop; mount_options are added to -o.
	explicit ScratchFs(Kind kind, unsigned size_mb = 64, const std::string &mount_options = "");
	~ScratchFs();
	ScratchFs(const ScratchFs &) = delete;
	ScratchFs &operator=(const ScratchFs &) = delete;

	bool ok() const { return mounted_; }
	const std::string &skip_reason() const { return why_; }
	// Directory holding the image and the mount point; the mount point.
	const std::string &base() const { return base_; }
	const std::string &mount_point() const { return mount_point_; }
	// "MAJ:MIN" of the block device behind the mount (loop only), for blkio.
	const std::string &device_numbers() const { return devno_; }

private:
	std::string base_;
	std::string mount_point_;
	std::string image_;
	std::string devno_;
	std::string why_;
	bool mounted_ = false;
};

// The "MAJ:MIN" of the device a path lives on (from stat st_dev).
std::string device_numbers_of(const std::string &path);

// Removes what a test process killed by the CTest timeout (so no destructor
// ran) left behind: /var/tmp/pipehang-host.<pid>.* mounts and directories
// and blkio groups pipehang-test-<pid>, for pids that no longer exist.
void remove_leftovers_of_dead_tests();

} // namespace pipehang::testing
