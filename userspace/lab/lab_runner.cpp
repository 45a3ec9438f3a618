#include "lab/lab_runner.h"

#include "lab/artifacts.h"
#include "lab/lava_job.h"
#include "util/interrupt.h"
#include "util/temp_dir.h"

#include <fmt/format.h>

#include <atomic>
#include <cstdlib>
#include <fstream>
#include <unistd.h>

namespace pipehang::lab {

namespace fs = std::filesystem;
using guest::InstanceEnd;
using guest::InstanceRequest;
using guest::InstanceResult;

void check_lab_options(const LabOptions &o)
{
	if (o.device_type.empty())
		throw std::invalid_argument("--lab-device-type: empty");
	for (auto &t : o.tags)
		if (t.empty() || t.find_first_of(" \t\n,") != std::string::npos)
			throw std::invalid_argument("--lab-tag '" + t + "': one tag per flag, no spaces or commas");
	if (!o.artifact_url.empty() && o.artifact_url.find("://") == std::string::npos)
		throw std::invalid_argument("--artifact-url '" + o.artifact_url +
					    "': not a URL (http://..., file://...)");
	if (o.queue_timeout.count() <= 0)
		throw std::invalid_argument("--lab-queue-timeout: must be positive");
	if (!o.enabled()) {
		if (!o.device_file.empty() || !o.token_file.empty())
			throw std::invalid_argument(
				std::string(o.device_file.empty() ? "--lab-token-file" : "--lab-device") +
				" needs --lab");
		return;
	}
	if (!o.local() && o.lab.rfind("http://", 0) != 0 && o.lab.rfind("https://", 0) != 0)
		throw std::invalid_argument("--lab '" + o.lab +
					    "': expected lava-run or a LAVA server's http(s):// URL");
	if (o.local() && o.device_file.empty())
		throw std::invalid_argument("--lab lava-run needs --lab-device FILE (a rendered LAVA device "
					    "dictionary, e.g. scripts/lab/qemu-tcg.jinja2)");
	if (!o.local() && !o.device_file.empty())
		throw std::invalid_argument("--lab-device is for --lab lava-run; a server has its own devices");
	if (!o.artifact_url.empty() && o.artifact_url.find("://") == std::string::npos)
		throw std::invalid_argument("--artifact-url '" + o.artifact_url +
					    "': not a URL (http://..., file://...)");
	if (o.queue_timeout.count() <= 0)
		throw std::invalid_argument("--lab-queue-timeout: must be positive");
}

std::string lab_token(const LabOptions &o)
{
	std::string token;
	if (!o.token_file.empty()) {
		std::ifstream f(o.token_file);
		if (!f)
			throw LabError("cannot read the token file " + o.token_file);
		std::getline(f, token);
	} else if (const char *env = std::getenv(kTokenEnv)) {
		token = env;
	}
	while (!token.empty() && std::isspace(static_cast<unsigned char>(token.back())))
		token.pop_back();
	if (token.empty())
		throw LabError("no token for the LAVA server " + o.lab + ": give --lab-token-file FILE or set " +
			       kTokenEnv + (o.token_file.empty() ? "" : " (" + o.token_file + " is empty)"));
	return token;
}

std::shared_ptr<LabBackend> open_lab(const LabOptions &o)
{
	if (o.local())
		return lava_run_backend(o.device_file, o.device_renderer);
	return lava_server_backend(o.lab, lab_token(o));
}

namespace {

bool starts_with(const std::string &s, std::string_view p)
{
	return s.rfind(p, 0) == 0;
}

// The job's result: the log's own record, else what the server's health says.
LavaJobResult job_result(const LabJobEnd &e)
{
	if (e.log.job)
		return *e.log.job;
	LavaJobResult r;
	r.pass = e.health == "Complete";
	if (!r.pass) {
		r.error_type = e.health.empty() ? "unknown" : e.health;
		r.error_msg = "no job result in the log";
	}
	return r;
}

std::string lava_reason(const LabJobEnd &e, const LavaJobResult &r)
{
	std::string why = fmt::format("LAVA {}: {} error: {}", e.id, r.error_type.empty() ? "unknown" : r.error_type,
				      r.error_msg.empty() ? "(no message)" : r.error_msg);
	return why;
}

} // namespace

void classify_lab_end(InstanceResult &res, const LabJobEnd &e)
{
	const bool spoke = !res.console.empty();
	if (!e.stopped.empty()) {
		res.end = !res.booted                          ? InstanceEnd::boot_failed
			  : starts_with(e.stopped, "watchdog") ? InstanceEnd::watchdog
							       : InstanceEnd::stopped;
		res.reason = e.stopped;
		if (!res.booted && !spoke) {
			// Nothing ran on the device: the lab's time, not the kernel's.
			res.end = InstanceEnd::infra_error;
			res.reason = fmt::format("{} (LAVA {}: the device printed nothing)", e.stopped, e.id);
		}
		return;
	}
	const LavaJobResult r = job_result(e);
	if (r.pass) {
		auto done = guest::find_marker(res.markers, "done");
		if (done && starts_with(done->data.value("status", ""), "run.conf lacks")) {
			res.end = InstanceEnd::infra_error;
			res.reason = "guest init: " + done->data.value("status", "");
		} else if (res.booted) {
			res.end = InstanceEnd::exited;
		} else {
			res.end = InstanceEnd::boot_failed;
			res.reason = "the VM ended before the guest init ran (no PIPEHANG: boot marker)";
		}
		return;
	}
	const std::string why = lava_reason(e, r);
	if (spoke && r.error_msg.find("Connection closed") != std::string::npos) {
		// QEMU exited under LAVA's feet: the guest ended it (power-off,
		// panic, reboot), as a local QEMU that exits by itself.
		res.end = res.booted ? InstanceEnd::exited : InstanceEnd::boot_failed;
		res.reason = res.booted ? "" : "the VM ended before the guest init ran (" + why + ")";
	} else if (res.booted && r.error_type == "LAVATimeout") {
		res.end = InstanceEnd::watchdog;
		res.reason = why;
	} else if (!res.booted && spoke && r.error_type != "Canceled") {
		res.end = InstanceEnd::boot_failed;
		res.reason = "the kernel never reached the guest init (" + why + ")";
	} else {
		res.end = InstanceEnd::infra_error;
		res.reason = why;
		if (!e.log.errors.empty())
			res.reason += " [" + e.log.errors.back() + "]";
	}
}

LavaJobSpec job_spec(const LabOptions &o, const InstanceRequest &req, const std::string &base_url,
		     const JobArtifacts &artifacts)
{
	LavaJobSpec spec;
	spec.name = fmt::format("pipehang {} ({})", req.kernel->release.empty() ? "kernel" : req.kernel->release,
				req.conf.count("PH_RUNS") ? req.conf.at("PH_RUNS") + " runs" : req.mode);
	spec.device_type = o.device_type;
	spec.tags = o.tags;
	spec.artifact_url = base_url;
	spec.artifacts = artifacts;
	spec.settings = req.settings;
	spec.kernel_cmdline = guest::boot_cmdline(req.settings);
	spec.timeout = req.timeout;
	spec.boot_timeout = req.timeout;
	return spec;
}

namespace {

std::string next_boot_name()
{
	static std::atomic<unsigned> n{0};
	return fmt::format("boot-{}-{}", getpid(), n++);
}

InstanceResult run_on_lab(LabBackend &lab, const LabOptions &o, const InstanceRequest &req)
{
	if (!req.kernel || !req.image)
		throw std::invalid_argument("lab runner: no kernel or no guest image");
	const fs::path root = o.artifact_dir.empty() ? util::cache_root() / "lab-artifacts" : fs::path(o.artifact_dir);
	const std::string name = next_boot_name();
	const fs::path dir = fs::absolute(root / name);
	// The job's files go when the job ends, whichever way.
	struct Cleanup {
		fs::path dir;
		~Cleanup()
		{
			std::error_code ec;
			fs::remove_all(dir, ec);
		}
	} cleanup{dir};

	guest::ConsoleTee console_out(req);
	InstanceResult res;
	const std::string base = o.artifact_url.empty() ? "file://" + fs::absolute(root).string() : o.artifact_url;
	const LavaJobSpec spec = job_spec(o, req, artifact_url(base, name) + "/", stage_artifacts(req, dir));

	LabJob job;
	job.name = spec.name;
	job.definition = lava_job_yaml(spec);
	job.limit = req.timeout + std::chrono::seconds(300) + (o.local() ? std::chrono::seconds(0) : o.queue_timeout);
	std::string console;
	const auto t0 = std::chrono::steady_clock::now();
	job.on_console = [&](std::string_view chunk) -> std::string {
		console.append(chunk);
		if (!chunk.empty())
			console_out.write(chunk);
		if (!res.booted && console.find("PIPEHANG: boot ") != std::string::npos) {
			res.booted = true;
			res.boot_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
		}
		return req.watch ? req.watch(console) : std::string();
	};
	LabJobEnd e;
	try {
		e = lab.run(job);
	} catch (const util::Interrupted &ex) {
		res.end = InstanceEnd::interrupted;
		res.reason = ex.what();
		return res;
	} catch (const LabError &ex) {
		res.end = InstanceEnd::infra_error;
		res.reason = ex.what();
		res.console = console;
		return res;
	}
	res.console = e.log.console;
	res.markers = guest::parse_markers(res.console);
	res.booted = guest::find_marker(res.markers, "boot").has_value();
	res.seconds = e.seconds - e.queued_seconds;
	res.accel = req.settings.accel == "kvm" || req.settings.accel == "tcg-single" ? req.settings.accel : "tcg";
	classify_lab_end(res, e);
	console_out.finish();
	return res;
}

} // namespace

guest::InstanceRunner lab_runner(const LabOptions &o, std::shared_ptr<LabBackend> lab)
{
	return [o, lab](const InstanceRequest &req) { return run_on_lab(*lab, o, req); };
}

} // namespace pipehang::lab
