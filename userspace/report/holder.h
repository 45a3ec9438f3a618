// Who held the lock a hung task waited for, in one line, as the verdict and
// the JSON print it.
#pragma once

#include "report/classifier.h"

#include <string>

namespace pipehang::report {

// The holder a report names: a pipewatch record ("ph-splice-0/123, held
// 2010 ms, sleeping") or the kernel's own 6.15+ owner line ("ph-splice-0/123
// (kernel hung-task report)"); empty when REPORT names none.
std::string report_holder(const Report &r);

} // namespace pipehang::report
