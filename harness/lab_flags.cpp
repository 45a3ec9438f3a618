#include "lab_flags.h"

#include "flag_checks.h"
#include "paths.h"

#include "util/exit_status.h"

#include <cstdio>

namespace pipehang::cli {

void add_lab_options(CLI::App &app, lab::LabOptions &o, bool with_backend)
{
	if (with_backend) {
		app.add_option("--lab", o.lab,
			       "boot on a LAVA lab instead of this machine: 'lava-run' (LAVA's dispatcher here, no "
			       "server; needs --lab-device) or a LAVA server's URL, e.g. http://127.0.0.1:8000/ (jobs "
			       "through its REST API; token from --lab-token-file or $PIPEHANG_LAVA_TOKEN). The "
			       "verdict is decided here from the job's console, as for a local boot (docs/lab.md)")
			->type_name("lava-run|URL");
		app.add_option("--lab-token-file", o.token_file,
			       "file holding the LAVA server's API token (never give a token on the command line)")
			->check(readable_file());
		app.add_option("--lab-device", o.device_file,
			       "--lab lava-run: the device lava-run boots: a device dictionary template (*.jinja2, "
			       "e.g. scripts/lab/qemu-tcg.jinja2, rendered with each job's context like a server "
			       "does) or a rendered device YAML")
			->check(readable_file());
		app.add_option("--lab-queue-timeout", o.queue_timeout,
			       "seconds a server's job may wait for a free device before it is canceled")
			->capture_default_str()
			->check(CLI::Range(1, 86400));
	}
	app.add_option("--lab-device-type", o.device_type, "the lab's device type the job asks for")
		->capture_default_str()
		->check(not_empty("give a LAVA device type, e.g. qemu"));
	app.add_option("--lab-tag", o.tags, "a device tag the job needs (repeatable)");
	if (with_backend)
		app.add_option(
			   "--artifact-dir", o.artifact_dir,
			   "where the kernel, initrd and disk of each job are written, one directory per job, removed "
			   "when the job ends (default: <cache>/lab-artifacts)")
			->type_name("DIR")
			->check(writable_dir());
	app.add_option("--artifact-url", o.artifact_url,
		       with_backend
			       ? "the URL the lab fetches --artifact-dir's files from, e.g. http://host:8080/ "
				 "(default: file://<artifact-dir>, for a dispatcher on this machine)"
			       : "the URL the lab fetches --out's files from, e.g. http://host:8080/job/ (default: "
				 "file://<out>, for a dispatcher on this machine)")
		->type_name("URL");
}

int open_lab_runner(const char *command, const lab::LabOptions &o, guest::InstanceRunner &runner)
{
	runner = nullptr;
	lab::LabOptions opt = o;
	opt.device_renderer = (source_dir() / "scripts/lab/render-device.py").string();
	try {
		lab::check_lab_options(opt);
	} catch (const std::invalid_argument &e) {
		std::fprintf(stderr, "pipehang %s: usage error: %s\n", command, e.what());
		return util::exit_status::usage;
	}
	if (!opt.enabled())
		return 0;
	try {
		runner = lab::lab_runner(opt, lab::open_lab(opt));
	} catch (const lab::LabError &e) {
		std::fprintf(stderr, "pipehang %s: harness error: %s\n", command, e.what());
		return util::exit_status::error;
	}
	return 0;
}

} // namespace pipehang::cli
