// Booting on a LAVA lab instead of this machine: a guest::InstanceRunner
// that stages the boot's kernel, initrd and disk as artifacts, submits the
// job (lava_job.h) to the local dispatcher or a server (backend.h), follows
// its console, and hands back an InstanceResult like a local boot's. The
// oracle then decides from that console exactly as for a local boot: same
// classifier, same rule, same verdict and exit status.
//
// How a job's end becomes an instance's end (the lab's own failures are
// never a kernel verdict):
//   job passed (the monitors saw `done` or a panic)  -> exited, or boot
//       failed if the guest init never ran
//   we stopped it (the oracle's watcher: the target report seen, the
//       boot or stall limit; our job limit)          -> stopped / boot failed / watchdog
//   QEMU ended by itself ("Connection closed")       -> exited / boot failed, as locally
//   LAVATimeout after the boot marker                -> watchdog (the guest ran too long)
//   the kernel printed but never reached the guest
//       init, whatever LAVA says                     -> boot failed (a skip), LAVA named
//   anything else (Infrastructure before any console,
//       Bug, Configuration, Job, canceled on the lab,
//       the server unreachable, the token refused)   -> infrastructure error (exit 128)
#pragma once

#include "guest/instance.h"
#include "lab/backend.h"
#include "lab/lava_job.h"
#include "lab/lava_log.h"

#include <chrono>
#include <string>
#include <vector>

namespace pipehang::lab {

// The one home of the lab's defaults; the CLI binds --lab* to these.
struct LabOptions {
	std::string lab;                  // "lava-run", or a LAVA server's http(s):// URL; empty: no lab
	std::string token_file;           // the server's API token; else $PIPEHANG_LAVA_TOKEN
	std::string device_type = "qemu"; // the lab's device type to ask for
	std::vector<std::string> tags;    // device tags the job needs
	std::string device_file;          // lava-run: the device dictionary (template or YAML)
	std::string device_renderer;      // lava-run: renders a template (the CLI: scripts/lab/render-device.py)
	// Where each job's artifacts are written, one directory per job
	// (removed when the job ends); empty: <cache>/lab-artifacts.
	std::string artifact_dir;
	// The URL the lab fetches artifact_dir's contents from; empty:
	// file://<artifact_dir> (a dispatcher on this machine).
	std::string artifact_url;
	std::chrono::seconds queue_timeout{600}; // a server: waiting for a free device
	bool enabled() const { return !lab.empty(); }
	bool local() const { return lab == "lava-run"; }
};

// Bad flags: std::invalid_argument naming the flag (a usage error).
void check_lab_options(const LabOptions &o);

// The server's token, from --lab-token-file or $PIPEHANG_LAVA_TOKEN;
// LabError if neither gives one. Never printed.
std::string lab_token(const LabOptions &o);

// The environment variable that may hold the token.
inline constexpr const char *kTokenEnv = "PIPEHANG_LAVA_TOKEN";

// The backend named by O (checks a server's token at once: LabError).
std::shared_ptr<LabBackend> open_lab(const LabOptions &o);

// A runner that boots every request as a job on LAB.
guest::InstanceRunner lab_runner(const LabOptions &o, std::shared_ptr<LabBackend> lab);

// The job for REQ whose staged ARTIFACTS the lab fetches from BASE_URL.
LavaJobSpec job_spec(const LabOptions &o, const guest::InstanceRequest &req, const std::string &base_url,
		     const JobArtifacts &artifacts);

// The instance's end from the job's (the table above). RES carries the
// console and markers already.
void classify_lab_end(guest::InstanceResult &res, const LabJobEnd &job);

} // namespace pipehang::lab
