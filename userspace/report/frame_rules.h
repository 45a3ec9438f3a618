// Data: which stack frames never name the guilty function, and the anchor
// frames the hang/stall extractors look for. Kept apart from the report
// families so both can be reviewed (and extended) as plain lists.
//
// Name patterns use a minimal glob: '*' matches any run of characters
// ("name" exact, "name*" prefix, "*name" suffix, "*name*" substring,
// "print_*_bug"). They are matched against bare
// function names (".constprop.0", ".isra.0", ".cold" suffixes removed).
// Skip lists match the raw name; anchors match the name after its syscall
// prefix is stripped (strip_frame_prefix), as syzkaller does, so that
// "__x64_sys_ioctl", "ksys_ioctl" and "compat_SyS_ioctl" are all "ioctl".
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace pipehang::report {

struct SkipGroup {
	std::string_view why; // which part of the kernel's structure the frames belong to
	std::vector<std::string_view> patterns;
	// Dispatch/glue code with logic of its own: skipped as a caller, but a
	// report raised inside it (its RIP, a sanitizer header naming it) is
	// its own bug and names it. false: helpers that only ever carry the
	// caller's bug (memcpy, kfree, locking, printing...).
	bool own_bugs = false;
	// Named as a last resort, when a stack holds nothing outside the skip
	// lists but frames of this group: syzkaller's narrower skip list names
	// them then, and a stack of such frames is no sign of a corrupt report.
	// false: machinery no bug is ever named after (printing, locking,
	// sanitizers, entry code, string helpers...).
	bool last_resort = false;
};

// Frames skipped for every report family: dispatch and infrastructure code
// that sits on every stack and never tells which subsystem has the bug.
const std::vector<SkipGroup> &common_skip_groups();

// True for a frame in common_skip_groups(): never named as the caller that
// has the bug (checked by the invariant tests).
bool is_infrastructure_frame(std::string_view name);
// True for a frame in the groups without own_bugs: never named at all.
bool is_helper_frame(std::string_view name);
// True for a frame of a group without last_resort: never named, even when
// nothing else is left.
bool is_machinery_frame(std::string_view name);

// Hung-task extractor (syzkaller's idea: victims of RCU or RTNL problems hang
// all over the kernel, so bucket them by the lock they wait on).
struct AnchorRename {
	std::string_view anchor; // glob
	std::string_view rename; // "" keeps the frame's own name
};
const std::vector<AnchorRename> &hung_task_anchors();
const std::vector<std::string_view> &hung_task_skips(); // globs

// Stall/lockup extractor: the looping code is random; name the function just
// inside a well-known dispatch point (syscall entry, workqueue, softirq...).
const std::vector<std::string_view> &stall_anchors(); // globs, stripped names
// Anchors that are themselves the answer, renamed: a CPU spinning in a
// cross-CPU call waits for the other CPUs; the generic caller side names
// the bucket, not whichever function issued the call.
const std::vector<AnchorRename> &stall_self_anchors();

// Frames the verdict line passes over when it says where the pipe->mutex
// holder is (report/holder_frames.h), on top of every machinery frame
// (is_machinery_frame: scheduler, locking, entry code, trampolines): the
// VFS write dispatch between the splice and the filesystem, which is on
// every such stack and tells nothing.
const std::vector<std::string_view> &holder_line_skips(); // globs, raw names

// Syscall-entry prefixes ("__x64_sys_", "ksys_", "SyS_"...) removed from every
// frame a title names; the shortest result wins ("__x64_sys_pause" ->
// "sys_pause", "__do_sys_pause" -> "pause"), as in syzkaller.
const std::vector<std::string_view> &stripped_frame_prefixes();
std::string strip_frame_prefix(std::string_view name);

bool glob_match(std::string_view pattern, std::string_view name);
bool matches_any(const std::vector<std::string_view> &globs, std::string_view name);

} // namespace pipehang::report
