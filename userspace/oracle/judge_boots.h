// The loop over boots behind judge(), on its own: the kernel and the guest
// image are ready, boot as few times as possible and decide. judge() runs
// it with guest::run_instance; a test runs it with recorded consoles in
// place of QEMU, which is how the decision path around emulator faults
// (oracle/emulator_fault.h) is tested without a VM.
#pragma once

#include "guest/guest_image.h"
#include "guest/instance.h"
#include "guest/kernel.h"
#include "oracle/judge.h"
#include "oracle/judge_json.h"

#include <filesystem>
#include <functional>
#include <string>

namespace pipehang::oracle {

// Boots one instance: guest::run_instance, a lab's job (JudgeOptions::runner)
// or, in tests, recorded consoles.
using guest::InstanceRunner;

struct BootPlan {
	const guest::Kernel *kernel = nullptr;
	const guest::GuestImage *image = nullptr;
	std::string name;                  // the kernel as the human lines name it
	std::string custom_repro;          // host path of --repro-file, or ""
	std::filesystem::path console_dir; // console-N.log of every boot go there
};

// The request for one boot of WANT reproducer runs with SETTINGS: the
// guest in oracle mode, its /run.conf and the watchdog's limit (without a
// watcher or console file). What judge_boots() boots, and what
// `pipehang lava-job` puts in a job.
guest::InstanceRequest oracle_request(const JudgeOptions &opt, const BootPlan &plan,
				      const guest::GuestSettings &settings, int want);

// Fills RES (decision, evidence; its json must hold judgement_json()) and
// the boot counts and VM time of TM. Throws std::runtime_error for harness
// failures, an emulator fault with no boot left for the re-boot included.
void judge_boots(const JudgeOptions &opt, const BootPlan &plan, const InstanceRunner &runner, JudgeResult &res,
		 JudgeTimings &tm);

} // namespace pipehang::oracle
