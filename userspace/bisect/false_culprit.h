// The false-culprit check: syzbot blamed "open: introduce openat2(2) syscall"
// because every kernel without openat2 made its reproducer fail before the
// splice, and such a run looked clean. After a bisection we look for the two
// symptoms of that mistake and say so.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace pipehang::bisect {

// Names of syscalls a patch adds: SYSCALL_DEFINEn(name, ...) definitions and
// new rows of the x86 syscall table (`437 common openat2 sys_openat2`).
std::vector<std::string> syscalls_added_by(std::string_view patch);

// Macro names a patch #defines on an added line (flags such as RESOLVE_*).
std::vector<std::string> defines_added_by(std::string_view patch);

// One commit's section of a Repo::patch() text ("commit <id>", blank line,
// message, diff). A merge's patch has one per commit it brings in.
struct PatchSection {
	std::string id;
	std::string subject;
	std::string text;
};
std::vector<PatchSection> split_commits(std::string_view patch);

// A syscall or flag a patch adds, and the commit that adds it.
struct NameAdded {
	std::string name;
	std::string kind; // "syscall" or "flag"
	std::string commit_id;
	std::string commit_subject;
};
std::vector<NameAdded> names_added_by(std::string_view patch);

struct FalseCulpritInput {
	std::string culprit_patch;           // Repo::patch() of the culprit
	bool culprit_is_merge = false;       // then the patch is the commits it brings in
	std::vector<std::string> used_names; // syscalls and flags the reproducer uses
	// Entry points the oracle reported unavailable on revisions judged good
	// (e.g. "openat2" on every kernel before it was added).
	std::vector<std::string> unavailable_on_good_side;
	int good_revisions_with_unavailable_entry = 0;
};

struct FalseCulpritFindings {
	bool suspicious() const { return !reasons.empty(); }
	std::vector<std::string> reasons; // one human sentence each
};

FalseCulpritFindings check_false_culprit(const FalseCulpritInput &in);

} // namespace pipehang::bisect
