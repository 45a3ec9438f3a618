// A bisection as KTAP (`pipehang bisect --ktap`; the format and its
// verdict mapping: oracle/ktap.h, docs/harness.md "KTAP"). Each bisection
// of the session (the first, and the re-bisection after a false culprit)
// is one test; the revisions it tested, in order, are its subtests, each
// with its role and run lines as diagnostics and its verdict as result
// (good ok, bad not ok, skip '# SKIP', error '# ERROR'). A bisection that
// ran to its end is ok, with the culprit (or the candidates) named before
// its result line; one that stopped is `not ok ... # ERROR why`.
#pragma once

#include "bisect/report.h"

#include <string>

namespace pipehang::bisect {

std::string session_ktap(const SessionReport &rep);

} // namespace pipehang::bisect
