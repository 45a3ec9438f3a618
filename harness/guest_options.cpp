#include "guest_options.h"

#include "flag_checks.h"

#include <fmt/format.h>

namespace pipehang::cli {

namespace {

// QEMU's own ceiling for a throttling limit (THROTTLE_VALUE_MAX, 1e15):
// a larger value is refused by QEMU at boot, so refuse it here first.
constexpr std::uint64_t kQemuThrottleMax = 1000000000000000ull;

// insmod's NAME=VALUE words, nothing a shell in the guest would read as
// more than that: the guest init expands $PH_MODULE_ARGS unquoted, so a
// quote, $, ; or glob character would reach insmod as something else. What
// insmod itself refuses (an unknown parameter, a value that is not a
// number) stays the module's answer: "module not loaded", a skip, as the
// VM test vm_verdict_skip_module_load pins.
CLI::Validator module_args_words()
{
	return CLI::Validator(
		[](std::string &value) {
			static const std::string name_chars =
				"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_";
			// No quotes, $, ;, glob characters: the guest expands the words unquoted.
			static const std::string value_chars = name_chars + ",.:+-/";
			std::size_t i = 0;
			while (i < value.size()) {
				if (value[i] == ' ') {
					i++;
					continue;
				}
				std::size_t end = value.find(' ', i);
				std::string word =
					value.substr(i, end == std::string::npos ? std::string::npos : end - i);
				std::size_t eq = word.find('=');
				std::string name = word.substr(0, eq);
				if (name.empty() || name.find_first_not_of(name_chars) != std::string::npos ||
				    (eq != std::string::npos &&
				     word.find_first_not_of(value_chars, eq + 1) != std::string::npos))
					return fmt::format(
						"'{}' is not a module parameter NAME=VALUE (letters, digits, _ "
						"in NAME; no quotes or shell characters)",
						word);
				i += word.size();
			}
			return std::string();
		},
		"");
}

} // namespace

void add_guest_options(CLI::App &app, guest::GuestSettings &s)
{
	app.add_option("--disk-throttle", s.throttle_bps,
		       fmt::format("limit the test disk's writes to BPS bytes/s, 0 (no limit) to {} (QEMU "
				   "throttling.bps-write; slow-device scenario)",
				   kQemuThrottleMax))
		->check(whole_number(0, kQemuThrottleMax));
	app.add_option("--disk-iops", s.throttle_iops,
		       fmt::format("limit the test disk's write operations per second, 0 (no limit) to {} (QEMU "
				   "throttling.iops-write)",
				   kQemuThrottleMax))
		->check(whole_number(0, kQemuThrottleMax));
	app.add_option("--disk-mb", s.disk_mb, "size of the fresh ext4 test disk in MiB")
		->capture_default_str()
		->check(whole_number(2, 1 << 20));
	app.add_option(
		   "--module-args", s.module_args,
		   "insmod parameters for pipewatch.ko, on top of the module's own defaults (modinfo pipewatch.ko): "
		   "space-separated NAME=VALUE words ('' for the module's defaults alone)")
		->capture_default_str()
		->check(module_args_words());
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
