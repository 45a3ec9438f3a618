// The oracle driver behind `pipehang run` (and called in-process by the
// bisect driver): resolve the kernel, build the guest, boot it as few times
// as possible running the reproducer (guest/instance.h), read each console
// (evidence.h) and decide (decide.h). Harness problems are thrown, never
// turned into a kernel verdict. JudgeOptions is the one home of the
// oracle's defaults; the machine's are in guest/settings.h.
#pragma once

#include "guest/guest_image.h"
#include "guest/instance.h"
#include "guest/settings.h"
#include "oracle/decide.h"
#include "oracle/evidence.h"

#include <nlohmann/json.hpp>

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

namespace pipehang::oracle {

struct JudgeOptions {
	std::string kernel; // --kernel spec; empty: Debian default
	std::string target{kTargetTitle};
	Policy policy;
	bool fallback = false;         // let the reproducer fall back from openat2
	std::vector<std::string> deny; // syscalls the reproducer denies itself (seccomp)
	guest::GuestSettings guest;    // QEMU, disk, hung-task and module settings
	guest::ImageOptions image;     // the guest image's host paths (the CLI's image_options())
	int boot_timeout = 240;        // s until the boot marker
	int run_timeout = 90;          // s without any marker progress once booted
	int max_boots = 3;
	bool early_stop = true;
	// What the reproducer puts in the pipe (its --fill): mixed carries the
	// real trigger (an empty buffer between data pages) and the slow-disk
	// one in one splice, so a run exposes either.
	std::string fill = "mixed";
	std::string repro = "repro-splice-dio";
	// A reproducer of your own (any executable the busybox guest can run,
	// e.g. a shell script) copied into the guest as /bin/repro-custom and
	// used instead of `repro`; it must follow contract 1 (JSON lines, exits).
	std::string repro_file;
	std::vector<std::string> repro_args; // extra reproducer flags
	std::string console_dir;             // keep each boot's console there (optional)
	// Receives the human lines as they happen (booting, run #i: ..., verdict).
	std::function<void(const std::string &)> on_line;
	// Receives the judgement's JSON so far after every boot (runs, reports,
	// boots; final = false) and once more with the verdict (final = true):
	// what `--report` rewrites its page from as the work goes. Optional.
	std::function<void(const nlohmann::json &, bool final)> on_report;
	// Receives the raw serial console as it arrives (--console-out), optional.
	std::function<void(std::string_view)> on_console;
	// Where each boot happens: empty boots here (guest::run_instance); a
	// lab's runner (lab/lab_runner.h, --lab) submits a job instead. The
	// verdict is decided here the same way whatever ran the boot.
	guest::InstanceRunner runner;
};

struct JudgeResult {
	Decision decision;
	// Everything the decision was taken on: boot, module, setup and every
	// run over all boots, typed (the bisect driver reads it, never the
	// human lines or the JSON).
	Evidence evidence;
	nlohmann::json json; // the full verdict (--json)
};

// Throws guest::KernelError for bad --kernel input and std::runtime_error
// for harness failures (QEMU missing/killed, image build failure).
JudgeResult judge(const JudgeOptions &opt);

} // namespace pipehang::oracle
