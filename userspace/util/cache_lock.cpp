#include "util/cache_lock.h"

#include "util/interrupt.h"
#include "util/progress.h"

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <stdexcept>
#include <sys/file.h>
#include <unistd.h>

namespace pipehang::util {

CacheLock::CacheLock(const std::filesystem::path &lock_file, std::chrono::seconds max_wait)
{
	std::filesystem::create_directories(lock_file.parent_path());
	fd_ = open(lock_file.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
	if (fd_ < 0)
		throw std::runtime_error("cannot open lock " + lock_file.string() + ": " + strerror(errno));
	auto until = std::chrono::steady_clock::now() + max_wait;
	bool told = false;
	while (flock(fd_, LOCK_EX | LOCK_NB) != 0) {
		if (errno != EWOULDBLOCK && errno != EINTR) {
			close(fd_);
			throw std::runtime_error("cannot lock " + lock_file.string() + ": " + strerror(errno));
		}
		if (!told) {
			progress("waiting for another pipehang using {}", lock_file.string());
			told = true;
		}
		if (std::chrono::steady_clock::now() > until) {
			close(fd_);
			throw std::runtime_error("gave up waiting for lock " + lock_file.string());
		}
		if (interrupted()) {
			close(fd_);
			check_interrupted();
		}
		usleep(200000);
	}
}

CacheLock::~CacheLock()
{
	if (fd_ >= 0)
		close(fd_); // releases the flock
}

} // namespace pipehang::util
