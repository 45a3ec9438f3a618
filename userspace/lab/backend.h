// Where a LAVA job runs: the local dispatcher (lava-run, no server) or a
// LAVA server (REST API v0.2). Both take a job definition and hand back
// its log, read as it grows, and how the job ended; what that means for a
// kernel is decided by the caller (lab_runner.h), the same for both. A
// backend's own trouble (the server unreachable, the token refused,
// lava-run missing) is thrown as LabError: a harness error, never a
// verdict.
#pragma once

#include "lab/lava_log.h"

#include <chrono>
#include <functional>
#include <memory>
#include <stdexcept>
#include <string>
#include <string_view>

namespace pipehang::lab {

struct LabError : std::runtime_error {
	using std::runtime_error::runtime_error;
};

struct LabJob {
	std::string name;              // for messages
	std::string definition;        // the job YAML
	std::chrono::seconds limit{0}; // bound on the whole wait, queueing included
	// Called with each new piece of the device's console (and with ""
	// about every second); a non-empty reason stops the job (lava-run is
	// killed, a server's job canceled).
	std::function<std::string(std::string_view chunk)> on_console;
};

struct LabJobEnd {
	std::string id;            // the lab's name for the job: "lava-run ID" or the job's URL
	LavaLog log;               // console, test cases, LAVA's own result
	std::string health;        // a server's health (Complete, Incomplete, Canceled); lava-run: pass/fail
	std::string stopped;       // why we stopped it; empty if it ended by itself
	double seconds = 0;        // from submission to the end
	double queued_seconds = 0; // of which waiting for a device (server)
};

class LabBackend {
public:
	virtual ~LabBackend() = default;
	virtual LabJobEnd run(const LabJob &job) = 0;
	// "lava-run" or the server's URL, for messages.
	virtual std::string where() const = 0;
};

// lava-run with DEVICE_FILE: a device dictionary template (*.jinja2, e.g.
// one extending qemu.jinja2), rendered with each job's context by
// RENDERER (scripts/lab/render-device.py), or a device YAML used as is.
// Throws LabError if lava-run is not installed or the file is unreadable.
std::unique_ptr<LabBackend> lava_run_backend(const std::string &device_file, const std::string &renderer);

// A LAVA server at URL (http://host:port/), authenticated with TOKEN.
// Checks the token at once: LabError if the server cannot be reached or
// refuses it.
std::unique_ptr<LabBackend> lava_server_backend(const std::string &url, const std::string &token);

} // namespace pipehang::lab
