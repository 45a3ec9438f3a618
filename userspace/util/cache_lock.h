// An exclusive lock on one cache entry, so concurrent pipehang processes
// (parallel tests, several engineers) never build or unpack the same entry
// twice or read a half-written one. Waiting is bounded.
#pragma once

#include <chrono>
#include <filesystem>

namespace pipehang::util {

class CacheLock {
public:
	explicit CacheLock(const std::filesystem::path &lock_file,
			   std::chrono::seconds max_wait = std::chrono::minutes(30));
	~CacheLock();
	CacheLock(const CacheLock &) = delete;
	CacheLock &operator=(const CacheLock &) = delete;

private:
	int fd_ = -1;
};

} // namespace pipehang::util
