// The two ways of judging a kernel that the bisect commands offer.
#pragma once

#include "bisect/session.h"

#include <optional>
#include <string>

namespace pipehang::cli::bisect_modes {

// Syscalls and flags repro-splice-dio uses (docs/reproducers.md): a culprit
// that adds one of them is suspicious.
inline std::vector<std::string> reproducer_names()
{
	return {"openat2",
		"openat",
		"open",
		"io_uring_setup",
		"io_uring_enter",
		"io_uring_register",
		"splice",
		"pipe2",
		"fcntl",
		"close",
		"RESOLVE_BENEATH",
		"RESOLVE_NO_MAGICLINKS",
		"IORING_OP_OPENAT2",
		"IORING_OP_OPENAT",
		"O_DIRECT",
		"F_SETPIPE_SZ"};
}

// pipehang's default: the reproducer falls back from openat2 to openat or
// io_uring on ENOSYS, and a kernel where it cannot reach splice is a skip.
inline pipehang::bisect::Mode pipehang_mode()
{
	return {"pipehang", "reproducer entry auto (openat2, else openat, else io_uring); not exercised = skip",
		"auto",     true,
		false,      reproducer_names()};
}

// What syzbot did: openat2 only, and ENOSYS looked like a clean run.
inline pipehang::bisect::Mode syzbot_mode()
{
	return {"syzbot",  "reproducer entry openat2 only; ENOSYS counted as a clean run (like syzbot)",
		"openat2", false,
		true,      reproducer_names()};
}

inline std::optional<pipehang::bisect::Mode> by_name(const std::string &name)
{
	if (name == "pipehang")
		return pipehang_mode();
	if (name == "syzbot")
		return syzbot_mode();
	return std::nullopt;
}

} // namespace pipehang::cli::bisect_modes
