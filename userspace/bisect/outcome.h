// What one tested revision produced: the verdict the oracle gave, the kernel
// signature it was built into, and the evidence lines to print.
#pragma once

#include "oracle/verdict.h"

#include <string>
#include <vector>

namespace pipehang::bisect {

// The oracle's verdict type (contract 4): a revision is good, bad, skip, or
// error when the harness failed on it.
using oracle::Verdict;

struct BuildOutcome {
	bool ok = false;
	std::string signature; // hash of the executed kernel code; empty if !ok
	std::string error;     // why the build failed (for the skip reason)
	double seconds = 0;
	// Bad input, never a skip of every revision: the build script refused
	// its input (usage, e.g. a tree that is not a kernel tree) or the
	// configuration lacks what the oracle needs (e.g. a --config with
	// virtio-blk as a module).
	bool input_error = false;
	// Hash of the configuration input (--config, fragments); part of the
	// verdict-reuse key next to the signature.
	std::string config_hash;
};

struct TestOutcome {
	Verdict verdict = Verdict::error;
	std::string title;              // crash title when bad
	std::string reason;             // why skip / error
	std::vector<std::string> lines; // syzbot-style run lines ("run #0: OK", ...)
	// The reproducer's entry point was missing on this kernel (e.g. openat2
	// returned ENOSYS) -- the run says nothing about the splice path.
	bool entry_unavailable = false;
	std::string unavailable_entry; // which entry, e.g. "openat2"
	double seconds = 0;
};

// Everything known about one revision once it has been handled.
struct Evaluation {
	BuildOutcome build;
	TestOutcome test;
	bool reused = false;     // verdict taken from an identical signature
	std::string reused_from; // the commit whose verdict was reused
	Verdict verdict() const
	{
		if (!build.ok)
			return build.input_error ? Verdict::error : Verdict::skip;
		return test.verdict;
	}
};

} // namespace pipehang::bisect
