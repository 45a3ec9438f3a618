// How much of a file sits in the page cache (mmap + mincore). After an
// O_DIRECT write the written range is not cached; if the filesystem quietly
// fell back to a buffered write (ext4 does for data=journal, inline data,
// verity, some encryption setups), the data is in the cache. The reproducer
// uses this to prove its splice really went through the direct-I/O path.
#pragma once

#include <cstddef>

#include "sys/result.h"

namespace pipehang::sys {

// Number of resident pages in [0, length) of fd, which must be open for
// reading. length 0 gives 0. Errors: the mmap/mincore errno.
SysResult resident_pages(int fd, std::size_t length);

} // namespace pipehang::sys
