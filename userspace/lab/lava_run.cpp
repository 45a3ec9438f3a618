// lava-run: LAVA's dispatcher running one job here, as root, without a
// server. Its log records go to stderr (redirected to the pipe we read),
// its verdict on the job to OUTPUT_DIR/result.yaml, its scratch files to
// /var/lib/lava/dispatcher/tmp/JOB_ID: each run gets an id of its own so
// runs side by side do not share it, and the scratch dir is removed after.
#include "lab/backend.h"

#include "util/process.h"
#include "util/temp_dir.h"

#include <fmt/format.h>
#include <nlohmann/json.hpp>
#include <yaml-cpp/yaml.h>

#include <atomic>
#include <fstream>
#include <system_error>
#include <unistd.h>

namespace pipehang::lab {

namespace fs = std::filesystem;

namespace {

std::string next_job_id()
{
	static std::atomic<unsigned> n{0};
	return fmt::format("pipehang-{}-{}", getpid(), n++);
}

// result.yaml: the job's own result when the log lacks it (cut short).
void read_result_file(const fs::path &file, LavaLog &log)
{
	if (log.job || !fs::exists(file))
		return;
	try {
		YAML::Node r = YAML::LoadFile(file.string());
		LavaJobResult res;
		res.pass = r["result"] && r["result"].as<std::string>() == "pass";
		if (r["error_type"])
			res.error_type = r["error_type"].as<std::string>();
		if (r["error_msg"])
			res.error_msg = r["error_msg"].as<std::string>();
		log.job = res;
	} catch (const YAML::Exception &) {
	}
}

// The job's context as JSON for the renderer: booleans and numbers kept
// as such (jinja's `if not no_kvm` must not see the string "false").
std::string context_json(const std::string &definition)
{
	nlohmann::json ctx = nlohmann::json::object();
	YAML::Node c = YAML::Load(definition)["context"];
	auto value = [](const YAML::Node &v) -> nlohmann::json {
		const std::string s = v.as<std::string>();
		if (s == "true" || s == "false")
			return s == "true";
		if (!s.empty() && s.find_first_not_of("0123456789") == std::string::npos)
			return std::stoll(s);
		return s;
	};
	for (auto it = c.begin(); c && it != c.end(); ++it) {
		if (it->second.IsSequence()) {
			nlohmann::json list = nlohmann::json::array();
			for (auto item : it->second)
				list.push_back(item.as<std::string>());
			ctx[it->first.as<std::string>()] = list;
		} else if (it->second.IsScalar()) {
			ctx[it->first.as<std::string>()] = value(it->second);
		}
	}
	return ctx.dump();
}

class LavaRun final : public LabBackend {
public:
	LavaRun(std::string device, std::string renderer) : device_(std::move(device)), renderer_(std::move(renderer))
	{
	}

	std::string where() const override { return "lava-run"; }

	LabJobEnd run(const LabJob &job) override
	{
		util::TempDir work("lava-run");
		const fs::path def = work / "job.yaml", out = work / "output";
		{
			std::ofstream f(def);
			if (!(f << job.definition) || !f.flush())
				throw LabError("cannot write " + def.string());
		}
		// A device dictionary template is rendered with this job's
		// context, as a server does; a rendered device file is used as is.
		std::string device = device_;
		if (device_.size() > 7 && device_.compare(device_.size() - 7, 7, ".jinja2") == 0) {
			device = (work / "device.yaml").string();
			auto r = util::run_process({renderer_, device_, device, context_json(job.definition)},
						   util::timed(std::chrono::seconds(60)));
			if (!r.ok())
				throw LabError("cannot render the LAVA device " + device_ + ": " + r.describe() + ": " +
					       r.errors);
		}
		const std::string id = next_job_id();
		LabJobEnd end;
		end.id = "lava-run " + id;
		std::string partial;
		auto feed = [&](std::string_view text) {
			std::string console = text.empty() ? std::string() : read_lava_log(text, end.log, partial);
			if (end.stopped.empty() && job.on_console)
				end.stopped = job.on_console(console);
			return end.stopped.empty();
		};
		util::ProcOptions po;
		po.timeout = job.limit;
		po.keep_output = false;
		po.on_output = feed;
		int ticks = 0;
		po.on_tick = [&]() { return ++ticks % 10 ? true : feed({}); };
		po.kill_grace = std::chrono::seconds(10); // lava-run's own SIGTERM handler stops QEMU
		// The log records are on stderr; the pipe we read is stdout.
		// lava-run's scratch dir goes whichever way this ends (an
		// interrupt kills lava-run before it cleans up).
		struct Scratch {
			fs::path dir;
			~Scratch()
			{
				std::error_code ec;
				fs::remove_all(dir, ec);
			}
		} scratch{fs::path("/var/lib/lava/dispatcher/tmp") / id};
		auto p = util::run_process({"sh", "-c", "exec \"$0\" \"$@\" 2>&1", "lava-run", "--job-id", id,
					    "--output-dir", out.string(), "--device", device, def.string()},
					   po);
		if (!p.started)
			throw LabError("cannot start lava-run: " + p.start_error);
		if (!partial.empty())
			read_lava_log("\n", end.log, partial);
		read_result_file(out / "result.yaml", end.log);
		end.seconds = p.seconds;
		if (p.timed_out)
			end.stopped = fmt::format("watchdog: the LAVA job still running after {} s", job.limit.count());
		if (!end.log.job && end.stopped.empty())
			throw LabError(fmt::format("lava-run {} (no job result): {}", p.describe(),
						   p.errors.empty() ? "see its log" : p.errors));
		end.health = end.log.job ? (end.log.job->pass ? "pass" : "fail") : "stopped";
		return end;
	}

private:
	std::string device_, renderer_;
};

} // namespace

std::unique_ptr<LabBackend> lava_run_backend(const std::string &device_file, const std::string &renderer)
{
	if (!util::have_program("lava-run"))
		throw LabError(
			"lava-run is not installed (Debian package lava-dispatcher; scripts/install-deps.sh lab)");
	if (device_file.empty())
		throw LabError("--lab lava-run needs --lab-device FILE, a rendered LAVA device dictionary "
			       "(e.g. scripts/lab/qemu-tcg.jinja2)");
	std::ifstream f(device_file);
	if (!f)
		throw LabError("cannot read the LAVA device file " + device_file);
	return std::make_unique<LavaRun>(fs::absolute(device_file).string(), renderer);
}

} // namespace pipehang::lab
