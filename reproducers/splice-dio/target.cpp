#include "target.h"

#include <errno.h>
#include <fcntl.h>
#include <unistd.h>

#include <cstdio>
#include <vector>

#include "sys/errno_name.h"
#include "sys/openat2.h"

namespace pipehang::repro {

// O_RDWR rather than O_WRONLY: the page-cache check after the splice maps
// the file for reading.
int TargetOpener::target_flags()
{
	return O_RDWR | O_CREAT | O_TRUNC | O_DIRECT | O_CLOEXEC;
}

TargetOpener::Attempt TargetOpener::try_entry(Entry e, int dirfd, const std::string &name, int flags, int timeout_ms,
					      IterationRecord &rec)
{
	Attempt a;
	sys::SysResult r;
	switch (e) {
	case Entry::kOpenat2: {
		sys::OpenHow how;
		how.flags = static_cast<std::uint64_t>(flags);
		how.mode = 0600;
		// The name is a plain file in dirfd; RESOLVE_BENEATH makes this a real
		// openat2 use (the flags openat cannot express) without changing what opens.
		how.resolve = sys::kResolveBeneath | sys::kResolveNoMagiclinks;
		r = sys::openat2(dirfd, name.c_str(), how);
		break;
	}
	case Entry::kOpenat: r = sys::openat(dirfd, name.c_str(), flags, 0600); break;
	case Entry::kIoUring: {
		if (!uring_) {
			uring_ = std::make_unique<sys::Uring>();
			sys::SysResult init = uring_->init(8);
			if (!init.ok()) {
				uring_.reset();
				a.err = init.err;
				a.detail = "io_uring_setup failed";
				return a;
			}
		}
		sys::OpenHow how;
		how.flags = static_cast<std::uint64_t>(flags);
		how.mode = 0600;
		if (uring_->supports(sys::kUringOpOpenat2)) {
			rec.uring_op = sys::uring_op_name(sys::kUringOpOpenat2);
			r = uring_->openat2(dirfd, name.c_str(), how, timeout_ms);
		} else if (uring_->supports(sys::kUringOpOpenat)) {
			rec.uring_op = sys::uring_op_name(sys::kUringOpOpenat);
			r = uring_->openat(dirfd, name.c_str(), flags, 0600, timeout_ms);
		} else {
			// The kernel's probe says neither open opcode exists (or the probe
			// itself is missing): for this entry point that is "no such call".
			a.err = ENOSYS;
			a.detail = "io_uring has neither IORING_OP_OPENAT2 nor IORING_OP_OPENAT";
			return a;
		}
		break;
	}
	case Entry::kAuto: a.err = EINVAL; return a;
	}
	if (r.ok())
		a.fd.reset(static_cast<int>(r.value));
	else
		a.err = r.err;
	return a;
}

void TargetOpener::classify_failure(Entry e, const Attempt &a, int dirfd, const std::string &name, int timeout_ms,
				    IterationRecord &rec)
{
	const std::string how = std::string(entry_name(e)) + (a.detail.empty() ? "" : " (" + a.detail + ")");
	const std::string err = sys::errno_name(a.err);
	switch (a.err) {
	case ENOSYS:
		rec.fail(Outcome::kSkip, "open", a.err, "ENOSYS",
			 "ENOSYS: " + how + " is not available on this kernel (or denied by --deny)" +
				 (requested_ == Entry::kAuto
					  ? "; no entry point left to fall back to"
					  : "; no fallback with --entry " + std::string(entry_name(requested_))));
		return;
	case EINVAL: {
		// EINVAL from an open with O_DIRECT almost always means the filesystem
		// refuses O_DIRECT. Prove it: the same open through the same entry
		// point without O_DIRECT must work.
		IterationRecord scratch = rec;
		Attempt probe = try_entry(e, dirfd, name, target_flags() & ~O_DIRECT, timeout_ms, scratch);
		if (probe.fd.valid()) {
			probe.fd.reset();
			::unlinkat(dirfd, name.c_str(), 0);
			rec.fail(Outcome::kSkip, "open", a.err, "NO_O_DIRECT",
				 "NO_O_DIRECT: the filesystem (" + rec.fs + ") refuses O_DIRECT: " + how +
					 " failed with EINVAL, the same open without O_DIRECT works");
			return;
		}
		rec.fail(Outcome::kFailure, "open", a.err, "OPEN_FAILED",
			 how + " failed: " + err + " (" + sys::errno_text(a.err) + ")");
		return;
	}
	case EPERM:
	case EACCES:
	case EROFS:
	case ENOSPC:
	case EDQUOT:
	case EOPNOTSUPP:
		rec.fail(Outcome::kSkip, "open", a.err, "CANNOT_WRITE",
			 "CANNOT_WRITE: " + how + " cannot create a file in --dir: " + err + " (" +
				 sys::errno_text(a.err) + ")");
		return;
	default:
		rec.fail(Outcome::kFailure, "open", a.err, "OPEN_FAILED",
			 how + " failed: " + err + " (" + sys::errno_text(a.err) + ")");
	}
}

sys::UniqueFd TargetOpener::open(int dirfd, const std::string &name, int timeout_ms, IterationRecord &rec)
{
	std::vector<Entry> chain;
	if (requested_ != Entry::kAuto)
		chain = {requested_};
	else if (resolved_)
		chain = {resolved_entry_};
	else
		chain = {Entry::kOpenat2, Entry::kOpenat, Entry::kIoUring};

	rec.entry_requested = entry_name(requested_);
	for (std::size_t i = 0; i < chain.size(); ++i) {
		const Entry e = chain[i];
		rec.entry = entry_name(e);
		rec.uring_op.clear();
		// Any entry other than openat2 under auto is a fallback, also on later
		// iterations that reuse it.
		rec.fallback = requested_ == Entry::kAuto && e != Entry::kOpenat2;
		Attempt a = try_entry(e, dirfd, name, target_flags(), timeout_ms, rec);
		if (a.fd.valid()) {
			rec.o_direct = (::fcntl(a.fd.get(), F_GETFL) & O_DIRECT) != 0;
			if (requested_ == Entry::kAuto && !resolved_) {
				resolved_ = true;
				resolved_entry_ = e;
			}
			return std::move(a.fd);
		}
		const bool can_fall_back = a.err == ENOSYS && i + 1 < chain.size();
		if (can_fall_back) {
			std::fprintf(stderr, "repro-splice-dio: %s unavailable (ENOSYS%s%s), falling back to %s\n",
				     entry_name(e), a.detail.empty() ? "" : ": ", a.detail.c_str(),
				     entry_name(chain[i + 1]));
			continue;
		}
		classify_failure(e, a, dirfd, name, timeout_ms, rec);
		return sys::UniqueFd();
	}
	return sys::UniqueFd();
}

} // namespace pipehang::repro
