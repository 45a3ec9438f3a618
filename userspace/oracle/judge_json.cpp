#include "oracle/judge_json.h"

#include "oracle/emulator_fault.h"
#include "oracle/repro_command.h"

namespace pipehang::oracle {

using nlohmann::json;

json judgement_json(const JudgeOptions &opt, const std::string &spec, const guest::Kernel &k,
		    const guest::GuestImage &img)
{
	json out;
	out["target"] = opt.target;
	out["kernel"] = {{"spec", spec},
			 {"kind", to_string(k.kind)},
			 {"bzimage", k.bzimage.string()},
			 {"release", k.release},
			 {"signature", k.signature}};
	out["module"] = {{"requested", opt.policy.require_module},
			 {"built", img.module.ok},
			 {"error", img.module.error},
			 {"cached", img.module.cached}};
	out["image"] = {{"cpio", img.cpio.string()},
			{"key", img.key},
			{"kernel_modules", img.kernel_modules},
			{"missing_kernel_modules", img.missing_modules}};
	out["settings"] = {{"runs", opt.policy.runs},
			   {"max_runs", opt.policy.max_runs},
			   {"fallback", opt.fallback},
			   {"deny", opt.deny},
			   {"fill", opt.fill},
			   {"disk_throttle_bps", opt.guest.throttle_bps},
			   {"other_crash", opt.policy.other_crash == OtherCrash::bad ? "bad" : "skip"},
			   {"hung_task_timeout_secs", opt.guest.hung_secs},
			   {"repro_args", repro_args(opt)}};
	out["boots"] = json::array();
	out["runs"] = json::array();
	out["reports"] = json::array();
	out["emulator_faults"] = emulator_faults_json({});
	return out;
}

json boot_json(int boot, const guest::InstanceResult &r, bool booted, bool finished,
	       const std::filesystem::path &console_file)
{
	return {{"boot", boot},
		{"seconds", r.seconds},
		{"boot_seconds", r.boot_seconds},
		{"accel", r.accel},
		{"booted", booted},
		{"finished", finished},
		{"end", std::string(to_string(r.end))},
		{"stop_reason", r.end == guest::InstanceEnd::exited ? "" : r.reason},
		{"console_bytes", r.console_bytes()},
		{"console", console_file.string()}};
}

void add_decision(json &out, const Decision &d, const JudgeTimings &t)
{
	out["verdict"] = std::string(to_string(d.verdict));
	out["exit_code"] = exit_code(d.verdict);
	out["reason"] = d.reason;
	out["confidence"] = d.confidence;
	out["counts"] = {{"total", d.counts.total},
			 {"clean", d.counts.clean},
			 {"target", d.counts.target},
			 {"other_crash", d.counts.other_crash},
			 {"not_exercised", d.counts.not_exercised},
			 {"repro_failed", d.counts.repro_failed},
			 {"lost", d.counts.lost}};
	if (t.boots == 0) {
		out["timings"] = {
			{"total_seconds", t.total_seconds}, {"prepare_seconds", t.prepare_seconds}, {"boots", 0}};
		return;
	}
	double run_sum = 0;
	int run_n = 0;
	for (auto &r : out["runs"])
		if (r.contains("seconds")) {
			run_sum += r["seconds"].get<double>();
			run_n++;
		}
	out["timings"] = {{"total_seconds", t.total_seconds},
			  {"prepare_seconds", t.prepare_seconds},
			  {"vm_seconds", t.vm_seconds},
			  {"boots", t.boots},
			  {"mean_run_seconds", run_n ? run_sum / run_n : -1.0}};
}

} // namespace pipehang::oracle
