// TargetOpener: opens the O_DIRECT target file through the chosen entry
// point. With --entry auto it tries openat2, then openat, then io_uring,
// moving on only on ENOSYS (the entry point does not exist here), and
// remembers the first one that works for later iterations. Every failure is
// classified: "cannot exercise here" (exit 4) versus unexpected (exit 1).
#pragma once

#include <memory>
#include <string>

#include "options.h"
#include "record.h"
#include "sys/unique_fd.h"
#include "sys/uring.h"

namespace pipehang::repro {

class TargetOpener {
public:
	explicit TargetOpener(Entry requested) : requested_(requested) {}

	// Opens dirfd/name for O_DIRECT writing. On success returns the fd and
	// fills rec.entry/fallback/uring_op/o_direct; on failure returns an
	// invalid fd and fills rec's failure fields (failed_step "open").
	sys::UniqueFd open(int dirfd, const std::string &name, int timeout_ms, IterationRecord &rec);

	// The flags used for the target: read-write, created fresh, O_DIRECT.
	static int target_flags();

private:
	struct Attempt {
		sys::UniqueFd fd;
		int err = 0;
		std::string detail; // extra words for the reason (which io_uring op, ...)
	};
	Attempt try_entry(Entry e, int dirfd, const std::string &name, int flags, int timeout_ms, IterationRecord &rec);
	void classify_failure(Entry e, const Attempt &a, int dirfd, const std::string &name, int timeout_ms,
			      IterationRecord &rec);

	Entry requested_;
	bool resolved_ = false;
	Entry resolved_entry_ = Entry::kOpenat2;
	std::unique_ptr<sys::Uring> uring_;
};

} // namespace pipehang::repro
