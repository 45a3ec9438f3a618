#include "live_state.h"

#include <sys/mman.h>

#include <new>

#include "sys/clock.h"

namespace pipehang::repro {

long long now_us()
{
	return static_cast<long long>(sys::monotonic_ms() * 1000.0);
}

void LiveFlags::reset()
{
	splicers_entered = 0;
	splicers_returned = 0;
	close_entered = 0;
	close_returned = 0;
	close_err = 0;
	first_splice_start_us = 0;
	last_splice_end_us = 0;
	close_start_us = 0;
	close_end_us = 0;
	bytes_spliced = 0;
	closer_tid = 0;
	for (auto &tid : splicer_tids)
		tid = 0;
}

bool LiveState::init()
{
	void *p = ::mmap(nullptr, sizeof(LiveFlags), PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (p == MAP_FAILED)
		return false;
	flags_ = new (p) LiveFlags();
	return true;
}

void LiveState::publish(const IterationRecord &r, const std::string &file_name)
{
	std::lock_guard<std::mutex> lock(mu_);
	current_ = r;
	file_name_ = file_name;
}

void LiveState::snapshot(IterationRecord &r, std::string &file_name)
{
	std::lock_guard<std::mutex> lock(mu_);
	r = current_;
	file_name = file_name_;
}

} // namespace pipehang::repro
