// `pipehang lava-job`: the LAVA job that judges a kernel, for a lab to
// run without pipehang on the lab's side: DIR/job.yaml plus its artifacts
// (the kernel, the guest's initrd with the reproducer and pipewatch.ko
// built for that kernel, the ext4 test disk) in DIR. The job is the one
// `run --lab` submits for its first boot (lab/lava_job.h); its console
// can be judged afterwards with `pipehang parse`.
#include "command.h"
#include "flag_checks.h"
#include "guest_options.h"
#include "lab_flags.h"
#include "paths.h"

#include "guest/kernel.h"
#include "lab/artifacts.h"
#include "lab/lab_runner.h"
#include "lab/lava_job.h"
#include "oracle/judge.h"
#include "oracle/judge_boots.h"
#include "oracle/repro_command.h"
#include "util/exit_status.h"
#include "util/interrupt.h"
#include "util/temp_dir.h"

#include <fmt/format.h>

#include <cstdio>
#include <filesystem>

namespace pipehang::cli {
namespace {

namespace fs = std::filesystem;

struct LavaJobArgs {
	oracle::JudgeOptions o;
	lab::LabOptions lab;
	std::string out;
	bool no_module = false;
};

int write_job(LavaJobArgs &a)
{
	namespace es = util::exit_status;
	util::install_interrupt_handlers();
	if (a.o.guest.qemu != guest::GuestSettings{}.qemu) {
		std::fprintf(stderr, "pipehang lava-job: usage error: --qemu: the lab's device runs its own QEMU (its "
				     "device type decides which)\n");
		return es::usage;
	}
	try {
		lab::LabOptions lo = a.lab;
		lo.artifact_dir = a.out;
		lab::check_lab_options(lo);
	} catch (const std::invalid_argument &e) {
		std::fprintf(stderr, "pipehang lava-job: usage error: %s\n", e.what());
		return es::usage;
	}
	try {
		const std::string spec = a.o.kernel.empty() ? guest::default_debian_kernel() : a.o.kernel;
		guest::Kernel k = guest::resolve_kernel(spec);
		guest::ImageOptions iopt = image_options(!a.no_module);
		iopt.with_module = !a.no_module;
		guest::GuestImage img = guest::build_guest_image(k, iopt);
		if (!a.no_module && !img.module.ok) {
			std::fprintf(stderr,
				     "pipehang lava-job: pipewatch.ko cannot be built for %s: %s (--no-module judges "
				     "without it)\n",
				     spec.c_str(), img.module.error.c_str());
			return es::skip;
		}
		oracle::BootPlan plan;
		plan.kernel = &k;
		plan.image = &img;
		plan.name = k.release.empty() ? spec : k.release;
		a.o.image = iopt;
		plan.custom_repro = oracle::custom_reproducer(a.o, img);
		guest::InstanceRequest req = oracle::oracle_request(a.o, plan, a.o.guest, a.o.policy.runs);

		const fs::path out = fs::absolute(a.out);
		const std::string base =
			a.lab.artifact_url.empty() ? "file://" + out.string() + "/" : a.lab.artifact_url;
		lab::JobArtifacts art = lab::stage_artifacts(req, out);
		const std::string yaml = lab::lava_job_yaml(lab::job_spec(a.lab, req, base, art));
		util::write_file_atomic(out / "job.yaml", yaml);
		std::printf("%s\n", (out / "job.yaml").c_str());
		std::fprintf(stderr,
			     "wrote %s/job.yaml for %s (%d runs) with %s, %s and %s; the lab fetches them from %s\n",
			     out.c_str(), plan.name.c_str(), a.o.policy.runs, art.kernel.file.c_str(),
			     art.initrd.file.c_str(), art.disk.file.c_str(), base.c_str());
		return es::good;
	} catch (const guest::KernelError &e) {
		std::fprintf(stderr, "pipehang lava-job: usage error: %s\n", e.what());
		return es::usage;
	} catch (const util::Interrupted &e) {
		std::fprintf(stderr, "pipehang lava-job: %s\n", e.what());
		return es::interrupted;
	} catch (const std::exception &e) {
		std::fprintf(stderr, "pipehang lava-job: harness error: %s\n", e.what());
		return es::error;
	}
}

RunFn setup(CLI::App &app)
{
	auto a = std::make_shared<LavaJobArgs>();
	app.description(
		"Write the LAVA job that judges a kernel (DIR/job.yaml: device type qemu, the kernel, "
		"initrd and test disk deployed to tmpfs by URL, boot method qemu, a monitors test action with "
		"one test case per reproducer run) and its artifacts into DIR, for a lab to run as it is. "
		"`pipehang parse` titles the reports in the job's console; `pipehang run --lab` submits the same "
		"job and decides the verdict (docs/lab.md). Exit status: "
		"0 written, 2 bad input, 125 pipewatch.ko cannot be built for the kernel, 128 harness error.");
	app.add_option("--kernel", a->o.kernel,
		       "bzImage, kernel build tree, Debian linux-image .deb, or Debian kernel version (e.g. "
		       "6.1.0-57-amd64). Default: the newest Debian 6.1 image")
		->check(not_empty(kKernelHint));
	app.add_option("--out", a->out, "the directory for job.yaml and the artifacts (made if missing)")
		->required()
		->type_name("DIR")
		->check(writable_dir());
	app.add_option("--runs", a->o.policy.runs, "reproducer runs in the job (one LAVA test case each)")
		->capture_default_str()
		->check(CLI::Range(1, 1000));
	app.add_option("--run-timeout", a->o.run_timeout, "seconds one run may take")
		->capture_default_str()
		->check(CLI::Range(10, 3600));
	app.add_option("--boot-timeout", a->o.boot_timeout, "seconds allowed until the guest init runs")
		->capture_default_str()
		->check(CLI::Range(5, 3600));
	app.add_flag("--fallback", a->o.fallback, "let the reproducer fall back from openat2 to openat/io_uring");
	app.add_option("--fill", a->o.fill, "what the reproducer's pipe holds (see `pipehang run --help`)")
		->check(CLI::IsMember({"pages", "gap", "mixed"}))
		->capture_default_str();
	app.add_flag("--no-module", a->no_module, "a guest without pipewatch.ko");
	add_guest_options(app, a->o.guest);
	add_lab_options(app, a->lab, false);
	return [a] { return write_job(*a); };
}

PIPEHANG_COMMAND("lava-job", setup);

} // namespace
} // namespace pipehang::cli
