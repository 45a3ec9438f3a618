// Evidence from the hung-task detector's blocker line (Linux 6.15+,
// CONFIG_DETECT_HUNG_TASK_BLOCKER), printed after a hung task's stack:
//   INFO: task A:12 is blocked on a mutex likely owned by task B:34.
//   INFO: task A:12 blocked on a semaphore likely last held by task B:34
//   INFO: task A:12 <reader> blocked on an rw-semaphore likely owned by task B:34 <writer>
//   INFO: task A:12 is blocked on a mutex, but the owner is not found.
// followed by the holder's stack. The report gets the same fields a
// pipewatch record has, so the verdict can name the holder either way.
#pragma once

#include "report/classifier.h"

#include <string_view>
#include <vector>

namespace pipehang::report {

// Sets r.fields "holder" ("B/34", or "none/0" when the kernel found no
// owner), "waiter" ("A/12"), "blocked_on" ("mutex", "semaphore",
// "rw-semaphore") and adds the holder's call trace as the stack "holder".
// lines: the report's messages, header first. Does nothing without a
// blocker line.
void add_blocker_evidence(const std::vector<std::string_view> &lines, Report &r);

} // namespace pipehang::report
