#include "guest_options.h"

namespace pipehang::cli {

void add_guest_options(CLI::App &app, guest::GuestSettings &s)
{
	app.add_option("--disk-throttle", s.throttle_bps,
		       "limit the test disk's writes to BPS bytes/s (QEMU throttling.bps-write; slow-device scenario)");
	app.add_option("--disk-iops", s.throttle_iops, "limit the test disk's write operations per second");
	app.add_option("--disk-mb", s.disk_mb, "size of the fresh ext4 test disk in MiB")
		->capture_default_str()
		->check(CLI::Range(2, 1 << 20));
	app.add_option("--module-args", s.module_args,
		       "insmod parameters for pipewatch.ko, on top of the module's own defaults (modinfo pipewatch.ko)")
		->capture_default_str();
	app.add_option("--hung-timeout", s.hung_secs, "guest kernel.hung_task_timeout_secs")
		->capture_default_str()
		->check(CLI::Range(1, 3600));
	app.add_option("--append", s.append, "extra kernel command line arguments");
	app.add_option("--qemu", s.qemu, "QEMU binary (looked up in PATH)")->capture_default_str();
	app.add_option("--accel", s.accel,
		       "auto (KVM if a bounded probe shows it works, else TCG), kvm, tcg, or tcg-single (one host "
		       "thread for all vCPUs: for guests that patch kernel text in a loop, see docs/harness.md)")
		->capture_default_str()
		->check(CLI::IsMember({"auto", "kvm", "tcg", "tcg-single"}));
	app.add_option("--memory", s.memory_mb, "guest RAM in MiB")
		->capture_default_str()
		->check(CLI::Range(128, 65536));
	app.add_option("--smp", s.smp, "guest CPUs")->capture_default_str()->check(CLI::Range(1, 64));
}

} // namespace pipehang::cli
