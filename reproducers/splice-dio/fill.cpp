#include "fill.h"

#include <errno.h>
#include <fcntl.h>
#include <sys/mman.h>
#include <unistd.h>

#include <cstdlib>
#include <cstring>

#include "sys/pipe.h"

namespace pipehang::repro {

const char *fill_name(Fill f)
{
	switch (f) {
	case Fill::kPages: return "pages";
	case Fill::kGap: return "gap";
	case Fill::kMixed: return "mixed";
	}
	return "?";
}

namespace {

// One page that every access faults on: the source of the faulting write.
// PROT_NONE rather than NULL so the fault does not depend on mmap_min_addr.
class UnmappedPage {
public:
	UnmappedPage()
	{
		void *p = ::mmap(nullptr, sys::page_size(), PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		addr_ = p == MAP_FAILED ? nullptr : p;
	}
	~UnmappedPage()
	{
		if (addr_)
			::munmap(addr_, sys::page_size());
	}
	UnmappedPage(const UnmappedPage &) = delete;
	UnmappedPage &operator=(const UnmappedPage &) = delete;
	const void *get() const { return addr_; }

private:
	void *addr_ = nullptr;
};

ssize_t write_retry(int fd, const void *buf, std::size_t len)
{
	ssize_t n;
	do
		n = ::write(fd, buf, len);
	while (n < 0 && errno == EINTR);
	return n;
}

} // namespace

FillResult fill_pipe(int write_fd, Fill fill, std::size_t data_pages, unsigned number)
{
	FillResult res;
	const std::size_t page = sys::page_size();
	void *buf = nullptr;
	if (::posix_memalign(&buf, page, page) != 0) {
		res.status = sys::SysResult::failure(ENOMEM);
		res.failed_what = "buffer allocation";
		return res;
	}
	std::memset(buf, 'A' + static_cast<int>(number % 26), page);
	auto data_page = [&]() {
		ssize_t n = write_retry(write_fd, buf, page);
		if (n == static_cast<ssize_t>(page)) {
			res.data_bytes += n;
			return true;
		}
		res.status = sys::SysResult::failure(n < 0 ? errno : EIO);
		res.failed_what = n < 0 ? "data write" : "short data write (" + std::to_string(n) + " bytes)";
		return false;
	};

	if (fill != Fill::kPages && data_pages > 0) {
		// [data][empty] first; the remaining data pages follow below.
		if (data_page()) {
			UnmappedPage hole;
			if (!hole.get()) {
				res.status = sys::SysResult::failure(errno);
				res.failed_what = "mmap of the unmapped source page";
			} else {
				ssize_t n = write_retry(write_fd, hole.get(), page);
				res.fault_write_done = true;
				res.fault_write_ret = n;
				res.fault_write_errno = n < 0 ? errno : 0;
			}
		}
		if (res.status.ok())
			data_pages -= 1;
	}
	for (std::size_t i = 0; res.status.ok() && i < data_pages; ++i)
		if (!data_page())
			break;
	std::free(buf);
	return res;
}

int probe_empty_buffer_kept(int *err)
{
	*err = 0;
	sys::Pipe p;
	const std::size_t page = sys::page_size();
	if (auto r = sys::make_pipe(p, O_CLOEXEC | O_NONBLOCK); !r.ok()) {
		*err = r.err;
		return -1;
	}
	if (auto r = sys::set_pipe_size(p.write_end.get(), 2 * page);
	    !r.ok() || r.value != static_cast<long>(2 * page)) {
		*err = r.ok() ? EINVAL : r.err;
		return -1;
	}
	UnmappedPage hole;
	void *buf = nullptr;
	if (!hole.get() || ::posix_memalign(&buf, page, page) != 0) {
		*err = ENOMEM;
		return -1;
	}
	std::memset(buf, 'p', page);
	int kept = -1;
	ssize_t fault = write_retry(p.write_end.get(), hole.get(), page);
	if (fault < 0 && errno == EFAULT) {
		ssize_t first = write_retry(p.write_end.get(), buf, page);
		ssize_t second = first == static_cast<ssize_t>(page) ? write_retry(p.write_end.get(), buf, page) : -1;
		if (first != static_cast<ssize_t>(page))
			*err = first < 0 ? errno : EIO;
		else if (second < 0 && errno == EAGAIN)
			kept = 1;
		else if (second == static_cast<ssize_t>(page))
			kept = 0;
		else
			*err = second < 0 ? errno : EIO;
	} else {
		*err = fault < 0 ? errno : EINVAL;
	}
	std::free(buf);
	return kept;
}

} // namespace pipehang::repro
