// Who held the lock a hung task waited for, in one line, as the verdict and
// the JSON print it.
#pragma once

#include "report/classifier.h"

#include <string>

namespace pipehang::report {

// The holder a report names: a pipewatch record ("ph-splice-0/123, held
// 2010 ms, running on a CPU in iov_iter_alignment <- ext4_file_write_iter <-
// iter_file_splice_write") or the kernel's own 6.15+ owner line
// ("ph-splice-0/123, in __iomap_dio_rw <- ... (kernel hung-task report)");
// the frames are holder_frames() (report/holder_frames.h). Empty when
// REPORT names no holder.
std::string report_holder(const Report &r);

} // namespace pipehang::report
