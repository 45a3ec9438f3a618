#include "sys/page_cache.h"

#include <errno.h>
#include <sys/mman.h>

#include <vector>

#include "sys/pipe.h"

namespace pipehang::sys {

SysResult resident_pages(int fd, std::size_t length)
{
	if (length == 0)
		return SysResult::success(0);
	// Mapping does not fault anything in: mincore then reports the cache as
	// the writes left it.
	void *map = ::mmap(nullptr, length, PROT_READ, MAP_SHARED, fd, 0);
	if (map == MAP_FAILED)
		return SysResult::failure(errno);
	const std::size_t pages = (length + page_size() - 1) / page_size();
	std::vector<unsigned char> vec(pages);
	int ret = ::mincore(map, length, vec.data());
	const int err = errno;
	::munmap(map, length);
	if (ret != 0)
		return SysResult::failure(err);
	long resident = 0;
	for (unsigned char v : vec)
		resident += (v & 1);
	return SysResult::success(resident);
}

} // namespace pipehang::sys
