// A bisection's report as JSON (`pipehang bisect --json FILE`, documented
// in docs/bisect.md): every field of BisectionReport, the good-end search,
// a merge culprit's parents and entry points. Assembled here, beside the
// session, so the CLI only writes it out (as oracle/judge_json.* does for
// the oracle's judgement).
#pragma once

#include "bisect/report.h"

#include <nlohmann/json.hpp>

namespace pipehang::bisect {

// {"id", "subject"}
nlohmann::json commit_json(const Commit &c);

// One revision the good-end search tested.
nlohmann::json to_json(const SearchedRevision &r);

// One revision a bisection evaluated (an entry of "tested").
nlohmann::json tested_json(const TestedRevision &t);

// A merge culprit (parents, entry points, explanation), or null.
nlohmann::json merge_json(const MergeCulprit &merge);

// One bisection: mode, every revision tested ("tested": role, verdict,
// reason, title, build and test seconds, signature, reuse, run lines),
// ends, search, culprit or candidates, checks, counts. `--json` and the
// HTML report (`--report`, html/bisect_report.h) are made from it.
nlohmann::json bisection_json(const BisectionReport &r);

// The whole session: {"first": ..., "rebisect": ... or null}.
nlohmann::json session_json(const SessionReport &rep);

} // namespace pipehang::bisect
