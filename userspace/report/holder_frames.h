// Where the pipe->mutex holder is, in a few frames: the first frames of its
// stack that are not scheduler, locking, entry or trampoline code (the skip
// lists are data, in frame_rules.h). A spinning holder reads
// "iov_iter_alignment <- ext4_file_write_iter <- iter_file_splice_write"
// (the real bug); a sleeping one "__iomap_dio_rw <- iomap_dio_rw <-
// ext4_file_write_iter" (waiting for a slow disk). That difference is the
// diagnosis, so the verdict line, --json and the bisection log carry it.
#pragma once

#include "report/classifier.h"

#include <cstddef>
#include <string>
#include <vector>

namespace pipehang::report {

// How many frames the verdict line names: enough to reach the splice from
// the innermost function on the stacks seen so far, short enough for a line.
inline constexpr std::size_t kHolderLineFrames = 3;

// The first MAX frames of FRAMES (innermost first) that say where the task
// is; machinery frames and holder_line_skips() are passed over. Empty when
// nothing is left.
std::vector<std::string> telling_frames(const std::vector<std::string> &frames, std::size_t max = kHolderLineFrames);

// telling_frames() of R's stack labelled "holder" (a pipewatch record, or
// the owner's stack after the kernel's 6.15+ blocker line); empty when R
// carries no holder stack.
std::vector<std::string> holder_frames(const Report &r, std::size_t max = kHolderLineFrames);

// "a <- b <- c", innermost first. ASCII on purpose: the line goes to
// terminals of any locale, to `git bisect log` and into mail; the HTML
// report draws its own arrows.
std::string frames_line(const std::vector<std::string> &frames);

} // namespace pipehang::report
