// The LAVA job that boots one pipehang guest: device type `qemu` (or the
// lab's own), the kernel, the guest's initrd and the ext4 test disk
// deployed to tmpfs by URL, boot method qemu, and a `monitors` test action
// over the guest init's PIPEHANG: markers with one LAVA test case per
// reproducer run. No shell prompt, no overlay: the guest's own init runs
// the test and powers off, as in a local boot. LAVA's strict schema
// (lava_common.schemas.validate) accepts it (tests/lab/).
#pragma once

#include "guest/settings.h"

#include <chrono>
#include <string>
#include <vector>

namespace pipehang::lab {

// An artifact as the job names it: a file in the artifact directory.
struct Artifact {
	std::string file;        // name inside the artifact directory
	std::string sha256;      // of the file as served (compressed if compression is set)
	std::string compression; // "" or "zstd"
};

struct JobArtifacts {
	Artifact kernel, initrd, disk;
};

struct LavaJobSpec {
	std::string name;              // job_name
	std::string device_type;       // e.g. qemu
	std::vector<std::string> tags; // device tags the scheduler must match
	std::string artifact_url;      // base URL the lab fetches artifacts from
	JobArtifacts artifacts;
	guest::GuestSettings settings;        // memory, CPUs, accelerator, disk throttle
	std::string kernel_cmdline;           // the whole command line
	std::chrono::seconds timeout{0};      // the job's limit: the local watchdog's
	std::chrono::seconds boot_timeout{0}; // to the guest's boot marker
};

// The markers the monitors test action waits for (and the kernel's panic
// line, which also ends a boot: the guest cannot print `done` then).
inline constexpr const char *kMonitorStart = "PIPEHANG: boot ";
inline constexpr const char *kMonitorEnd = "PIPEHANG: done |Kernel panic - not syncing";

// The job definition as YAML. Throws std::invalid_argument for a spec
// without device type, artifact URL or artifacts.
std::string lava_job_yaml(const LavaJobSpec &spec);

// The QEMU options of SETTINGS that a lab's qemu device does not set
// itself (CPUs, CPU model, -no-reboot, the single-threaded TCG), as the
// job context's extra_options.
std::vector<std::string> qemu_extra_options(const guest::GuestSettings &settings);

// ARTIFACT_URL with one '/' between it and FILE.
std::string artifact_url(const std::string &base, const std::string &file);

} // namespace pipehang::lab
