// Data: which stack frames never name the guilty function, and the anchor
// frames the hang/stall extractors look for. Kept apart from the report
// families so both can be reviewed (and extended) as plain lists.
//
// Name patterns use a minimal glob: "name" exact, "name*" prefix,
// "*name" suffix, "*name*" substring. They are matched against bare
// function names (".constprop.0", ".isra.0", ".cold" suffixes removed).
#pragma once

#include <string_view>
#include <vector>

namespace pipehang::report {

struct SkipGroup {
	std::string_view why; // scheduler, locking, stack dumping, entry, helpers...
	std::vector<std::string_view> patterns;
};

// Frames skipped for every report family.
const std::vector<SkipGroup> &common_skip_groups();

// Hung-task extractor (syzkaller's idea: victims of RCU or RTNL problems hang
// all over the kernel, so bucket them by the lock they wait on).
struct AnchorRename {
	std::string_view anchor;  // glob
	std::string_view rename;  // "" keeps the frame's own name
};
const std::vector<AnchorRename> &hung_task_anchors();
const std::vector<std::string_view> &hung_task_skips(); // globs

// Stall/lockup extractor: the looping code is random; name the function just
// inside a well-known dispatch point (syscall entry, workqueue, softirq...).
const std::vector<std::string_view> &stall_anchors();          // globs
const std::vector<std::string_view> &stall_trimmed_prefixes(); // "__x64_" ...

bool glob_match(std::string_view pattern, std::string_view name);
bool matches_any(const std::vector<std::string_view> &globs, std::string_view name);

} // namespace pipehang::report
