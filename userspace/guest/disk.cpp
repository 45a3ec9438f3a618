#include "guest/disk.h"

#include "util/process.h"

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <stdexcept>
#include <unistd.h>

namespace pipehang::guest {

using namespace pipehang::util;

using namespace std::chrono_literals;

std::filesystem::path make_ext4_disk(const std::filesystem::path &dir, std::uint64_t size_mb)
{
	if (size_mb < 2)
		throw std::invalid_argument("disk size must be at least 2 MiB");
	auto img = dir / "disk.img";
	int fd = open(img.c_str(), O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	if (fd < 0)
		throw std::runtime_error("cannot create " + img.string() + ": " + strerror(errno));
	int rc = ftruncate(fd, off_t(size_mb) << 20);
	int err = errno;
	close(fd);
	if (rc != 0)
		throw std::runtime_error("cannot size " + img.string() + ": " + strerror(err));
	run_checked({"mkfs.ext4", "-q", "-F", "-L", "pipehang", "-E", "lazy_itable_init=0,lazy_journal_init=0",
		     img.string()},
		    timed(2min));
	return img;
}

} // namespace pipehang::guest
