// Small helpers shared by the pipe-bench modes.
#include "bench.h"

#include <errno.h>
#include <time.h>

#include <algorithm>
#include <cstring>

namespace pipebench {

double now_ms()
{
	timespec ts{};
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

double median(std::vector<double> v)
{
	if (v.empty())
		return 0;
	std::sort(v.begin(), v.end());
	std::size_t n = v.size();
	return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

std::string errno_name(int err)
{
	// Only the values these modes can meet; the rest are numbered.
	switch (err) {
	case EINVAL: return "EINVAL";
	case EBADF: return "EBADF";
	case EBUSY: return "EBUSY";
	case ENOENT: return "ENOENT";
	case EPERM: return "EPERM";
	case EACCES: return "EACCES";
	case EMFILE: return "EMFILE";
	case EINTR: return "EINTR";
	default: return "E" + std::to_string(err);
	}
}

} // namespace pipebench
