#include "guest/qemu.h"

#include "util/interrupt.h"
#include "util/progress.h"
#include "util/temp_dir.h"

#include <fmt/format.h>

#include <cerrno>
#include <csignal>
#include <cstring>
#include <fcntl.h>
#include <linux/kvm.h>
#include <optional>
#include <stdexcept>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

namespace pipehang::guest {

using namespace pipehang::util;

using Clock = std::chrono::steady_clock;

std::string base_kernel_cmdline()
{
	// panic=-1: reboot at once on panic; with -no-reboot QEMU then exits.
	// mitigations=off: TCG pays dearly for them and they change nothing
	// about pipe locking.
	// no_timer_check: the boot-time check that the IO-APIC timer ticks
	// gives up when a loaded host runs the emulated CPU too slowly, and
	// the kernel panics ("IO-APIC + timer doesn't work!"): seen on 3 of 7
	// TCG boots of 6.12-rt beside kernel builds (bench/emulator-faults.sh).
	// The emulator's timer works; the check only measures the host.
	return "console=ttyS0,115200 rdinit=/init panic=-1 mitigations=off no_timer_check";
}

namespace {

// Child side of the probe: exit 0 only if the vCPU reached HLT.
[[noreturn]] void kvm_probe_child()
{
	int kvm = open("/dev/kvm", O_RDWR | O_CLOEXEC);
	if (kvm < 0 || ioctl(kvm, KVM_GET_API_VERSION, 0) != 12)
		_exit(1);
	int vm = ioctl(kvm, KVM_CREATE_VM, 0);
	if (vm < 0)
		_exit(2);
	void *mem = mmap(nullptr, 0x1000, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (mem == MAP_FAILED)
		_exit(3);
	static_cast<unsigned char *>(mem)[0] = 0xf4; // hlt
	kvm_userspace_memory_region region{};
	region.slot = 0;
	region.guest_phys_addr = 0;
	region.memory_size = 0x1000;
	region.userspace_addr = reinterpret_cast<__u64>(mem);
	if (ioctl(vm, KVM_SET_USER_MEMORY_REGION, &region) < 0)
		_exit(4);
	int vcpu = ioctl(vm, KVM_CREATE_VCPU, 0);
	if (vcpu < 0)
		_exit(5);
	int run_size = ioctl(kvm, KVM_GET_VCPU_MMAP_SIZE, 0);
	auto *run = static_cast<kvm_run *>(mmap(nullptr, run_size, PROT_READ | PROT_WRITE, MAP_SHARED, vcpu, 0));
	if (run == MAP_FAILED)
		_exit(6);
	kvm_sregs sregs;
	if (ioctl(vcpu, KVM_GET_SREGS, &sregs) < 0)
		_exit(7);
	sregs.cs.base = 0;
	sregs.cs.selector = 0;
	if (ioctl(vcpu, KVM_SET_SREGS, &sregs) < 0)
		_exit(8);
	kvm_regs regs{};
	regs.rip = 0;
	regs.rflags = 2;
	if (ioctl(vcpu, KVM_SET_REGS, &regs) < 0)
		_exit(9);
	if (ioctl(vcpu, KVM_RUN, 0) < 0)
		_exit(10);
	_exit(run->exit_reason == KVM_EXIT_HLT ? 0 : 11);
}

} // namespace

namespace {

bool kvm_hlt_probe(std::chrono::milliseconds limit)
{
	if (access("/dev/kvm", R_OK | W_OK) != 0)
		return false;
	pid_t pid = fork();
	if (pid < 0)
		return false;
	if (pid == 0) {
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		kvm_probe_child();
	}
	auto until = Clock::now() + limit;
	int status = 0;
	while (Clock::now() < until) {
		if (waitpid(pid, &status, WNOHANG) == pid)
			return WIFEXITED(status) && WEXITSTATUS(status) == 0;
		usleep(10000);
	}
	// Stuck in KVM_RUN: that is the "does not work" case. Kill it and
	// reap it, but never wait unboundedly for a task stuck in the kernel.
	kill(pid, SIGKILL);
	for (int i = 0; i < 100 && waitpid(pid, &status, WNOHANG) != pid; i++)
		usleep(10000);
	return false;
}

bool kvm_qemu_probe(const std::string &qemu, const std::filesystem::path &kernel, std::chrono::milliseconds limit)
{
	ProcOptions po;
	po.timeout = limit;
	po.kill_grace = std::chrono::milliseconds(500);
	std::string console;
	bool banner = false;
	po.on_output = [&](std::string_view chunk) {
		console.append(chunk);
		banner = console.find("Linux version") != std::string::npos;
		return !banner; // seen it: stop the probe VM
	};
	auto r = run_process({qemu, "-accel", "kvm", "-cpu", "max", "-m", "256", "-nodefaults", "-display", "none",
			      "-no-reboot", "-serial", "stdio", "-kernel", kernel.string(), "-append",
			      "console=ttyS0 panic=-1"},
			     po);
	return banner;
}

} // namespace

bool kvm_works(const std::string &qemu, const std::filesystem::path &kernel, std::chrono::milliseconds limit)
{
	static std::optional<bool> answer;
	if (answer)
		return *answer;
	if (!kvm_hlt_probe(std::chrono::milliseconds(2000)))
		return *(answer = false);
	std::string boot_id;
	try {
		boot_id = read_file("/proc/sys/kernel/random/boot_id");
	} catch (const std::exception &) {
	}
	auto cached = cache_root() / "kvm-probe";
	try {
		auto text = read_file(cached);
		if (!boot_id.empty() && text.rfind(boot_id, 0) == 0)
			return *(answer = text.find("yes") != std::string::npos);
	} catch (const std::exception &) {
	}
	progress("probing KVM (bounded, {} ms)", limit.count());
	answer = kvm_qemu_probe(qemu, kernel, limit);
	progress("KVM {}", *answer ? "works: using -accel kvm" : "does not run guests here: using TCG");
	try {
		write_file_atomic(cached, boot_id + (*answer ? "yes\n" : "no\n"));
	} catch (const std::exception &) {
	}
	return *answer;
}

QemuResult run_qemu(const QemuOptions &opt, const ConsoleWatcher &watch, const ConsoleSink &sink)
{
	if (opt.qemu.empty() || opt.memory_mb <= 0 || opt.smp <= 0 || opt.timeout.count() <= 0)
		throw std::invalid_argument("run_qemu: QEMU binary, memory, CPUs and timeout must be set");
	QemuResult res;
	if (opt.accel == "kvm")
		res.accel = "kvm";
	else if (opt.accel == "tcg" || opt.accel == "tcg-single")
		res.accel = opt.accel;
	else if (opt.accel == "auto")
		res.accel = kvm_works(opt.qemu, opt.kernel) ? "kvm" : "tcg";
	else
		throw std::invalid_argument("unknown accelerator '" + opt.accel + "' (auto, kvm, tcg, tcg-single)");

	// tcg-single: one host thread runs every vCPU in turn. Multi-threaded
	// TCG can keep running a stale translation of kernel text that another
	// vCPU has just patched (an ftrace/kprobe int3 that is no longer in
	// memory); a guest that patches hot code in a loop needs this.
	auto &c = res.command;
	c = {opt.qemu,
	     "-accel",
	     res.accel == "tcg-single" ? "tcg,thread=single" : res.accel,
	     "-cpu",
	     "max",
	     "-m",
	     std::to_string(opt.memory_mb),
	     "-smp",
	     std::to_string(opt.smp),
	     "-nodefaults",
	     "-display",
	     "none",
	     "-no-reboot",
	     "-serial",
	     "stdio",
	     "-kernel",
	     opt.kernel.string(),
	     "-initrd",
	     opt.initrd.string(),
	     "-append",
	     base_kernel_cmdline() + (opt.append.empty() ? "" : " " + opt.append)};
	if (!opt.disk.empty()) {
		std::string drive = "file=" + opt.disk.string() + ",format=raw,if=none,id=disk0,cache=writeback";
		if (opt.throttle_bps)
			drive += ",throttling.bps-write=" + std::to_string(opt.throttle_bps);
		if (opt.throttle_iops)
			drive += ",throttling.iops-write=" + std::to_string(opt.throttle_iops);
		// QEMU's throttle lets one request of any size through an empty
		// bucket, and virtio-blk merges the guest's adjacent requests
		// into one before throttling: a 1 MiB write on a fresh boot
		// would pass at full speed. Unmerged small requests (the guest
		// caps their size, see instance.cpp) make the limit bite at once.
		std::string device = "virtio-blk-pci,drive=disk0";
		if (opt.throttled())
			device += ",request-merging=off";
		c.insert(c.end(), {"-drive", drive, "-device", device});
	}

	auto start = Clock::now();
	ProcOptions po;
	po.timeout = opt.timeout;
	po.keep_output = false;
	po.on_output = [&](std::string_view chunk) {
		res.console.append(chunk);
		if (sink)
			sink(chunk);
		if (watch) {
			res.stop_reason = watch(res.console);
			return res.stop_reason.empty();
		}
		return true;
	};
	po.on_tick = [&]() {
		if (watch) {
			res.stop_reason = watch(res.console);
			return res.stop_reason.empty();
		}
		return true;
	};
	res.proc = run_process(c, po);
	res.seconds = std::chrono::duration<double>(Clock::now() - start).count();
	if (res.proc.timed_out)
		res.stop_reason = fmt::format("watchdog: VM still running after {} s", opt.timeout.count());
	return res;
}

} // namespace pipehang::guest
