// The judgement as JSON (`pipehang run --json`, documented in
// docs/harness.md): what was judged, each boot, the verdict. Assembled
// here so judge() stays the loop that decides.
#pragma once

#include "guest/guest_image.h"
#include "guest/instance.h"
#include "guest/kernel.h"
#include "oracle/judge.h"

#include <nlohmann/json.hpp>

#include <filesystem>
#include <string>

namespace pipehang::oracle {

// kernel, module, image, settings, and empty boots/runs/reports arrays.
nlohmann::json judgement_json(const JudgeOptions &opt, const std::string &spec, const guest::Kernel &k,
			      const guest::GuestImage &img);

// One entry of "boots".
nlohmann::json boot_json(int boot, const guest::InstanceResult &r, bool booted, bool finished,
			 const std::filesystem::path &console_file);

struct JudgeTimings {
	double total_seconds = 0, prepare_seconds = 0, vm_seconds = 0;
	int boots = 0;
};

// verdict, exit_code, reason, confidence, counts and timings.
void add_decision(nlohmann::json &out, const Decision &d, const JudgeTimings &t);

} // namespace pipehang::oracle
