#include "lab/lava_job.h"

#include "guest/instance.h"

#include <yaml-cpp/yaml.h>

#include <stdexcept>

namespace pipehang::lab {

std::string artifact_url(const std::string &base, const std::string &file)
{
	if (base.empty() || base.back() == '/')
		return base + file;
	return base + "/" + file;
}

std::vector<std::string> qemu_extra_options(const guest::GuestSettings &s)
{
	std::vector<std::string> o = {"-smp " + std::to_string(s.smp),
				      // panic=-1 reboots at once; -no-reboot makes that the
				      // end of QEMU, as in a local boot.
				      "-no-reboot"};
	// With KVM the device template adds -cpu host; under TCG, the CPU
	// model of a local boot.
	if (s.accel != "kvm")
		o.push_back("-cpu max");
	if (s.accel == "tcg-single")
		o.push_back("-accel tcg,thread=single");
	return o;
}

namespace {

// The QEMU arguments of the test disk: the same drive as a local boot
// (guest/qemu.cpp), throttle and unmerged requests included.
std::string disk_arg(const guest::GuestSettings &s)
{
	std::string drive = "-drive file={disk},format=raw,if=none,id=disk0,cache=writeback";
	if (s.throttle_bps)
		drive += ",throttling.bps-write=" + std::to_string(s.throttle_bps);
	if (s.throttle_iops)
		drive += ",throttling.iops-write=" + std::to_string(s.throttle_iops);
	std::string device = " -device virtio-blk-pci,drive=disk0";
	if (s.throttle_bps || s.throttle_iops)
		device += ",request-merging=off";
	return drive + device;
}

void image(YAML::Emitter &y, const char *key, const LavaJobSpec &spec, const Artifact &a, const std::string &arg)
{
	y << YAML::Key << key << YAML::Value << YAML::BeginMap;
	y << YAML::Key << "url" << YAML::Value << artifact_url(spec.artifact_url, a.file);
	if (!a.sha256.empty())
		y << YAML::Key << "sha256sum" << YAML::Value << a.sha256;
	if (!a.compression.empty())
		y << YAML::Key << "compression" << YAML::Value << a.compression;
	y << YAML::Key << "image_arg" << YAML::Value << arg;
	y << YAML::EndMap;
}

void seconds(YAML::Emitter &y, const char *key, std::chrono::seconds s)
{
	y << YAML::Key << key << YAML::Value << YAML::BeginMap << YAML::Key << "seconds" << YAML::Value << s.count()
	  << YAML::EndMap;
}

} // namespace

std::string lava_job_yaml(const LavaJobSpec &spec)
{
	if (spec.device_type.empty())
		throw std::invalid_argument("LAVA job: no device type");
	if (spec.artifact_url.empty())
		throw std::invalid_argument("LAVA job: no artifact URL");
	const JobArtifacts &a = spec.artifacts;
	if (a.kernel.file.empty() || a.initrd.file.empty() || a.disk.file.empty())
		throw std::invalid_argument("LAVA job: kernel, initrd and disk are all needed");
	if (spec.timeout.count() <= 0 || spec.boot_timeout.count() <= 0)
		throw std::invalid_argument("LAVA job: no time limit");
	const auto deploy_limit = std::chrono::seconds(300);

	YAML::Emitter y;
	y << YAML::BeginMap;
	y << YAML::Key << "job_name" << YAML::Value << spec.name;
	y << YAML::Key << "device_type" << YAML::Value << spec.device_type;
	if (!spec.tags.empty())
		y << YAML::Key << "tags" << YAML::Value << YAML::Flow << spec.tags;
	y << YAML::Key << "visibility" << YAML::Value << "public";
	y << YAML::Key << "priority" << YAML::Value << "medium";

	y << YAML::Key << "timeouts" << YAML::Value << YAML::BeginMap;
	seconds(y, "job", deploy_limit + spec.timeout);
	seconds(y, "action", spec.timeout);
	y << YAML::EndMap;

	y << YAML::Key << "context" << YAML::Value << YAML::BeginMap;
	y << YAML::Key << "arch" << YAML::Value << "amd64";
	y << YAML::Key << "no_kvm" << YAML::Value << (spec.settings.accel != "kvm");
	y << YAML::Key << "memory" << YAML::Value << spec.settings.memory_mb;
	y << YAML::Key << "extra_options" << YAML::Value << qemu_extra_options(spec.settings);
	y << YAML::EndMap;

	y << YAML::Key << "actions" << YAML::Value << YAML::BeginSeq;
	// deploy: the three artifacts, fetched and checked by the lab.
	y << YAML::BeginMap << YAML::Key << "deploy" << YAML::Value << YAML::BeginMap;
	seconds(y, "timeout", deploy_limit);
	y << YAML::Key << "to" << YAML::Value << "tmpfs";
	y << YAML::Key << "images" << YAML::Value << YAML::BeginMap;
	image(y, "kernel", spec, a.kernel, "-kernel {kernel} -append \"" + spec.kernel_cmdline + "\"");
	image(y, "ramdisk", spec, a.initrd, "-initrd {ramdisk}");
	image(y, "disk", spec, a.disk, disk_arg(spec.settings));
	y << YAML::EndMap << YAML::EndMap << YAML::EndMap;

	// boot: QEMU with the images; no prompt to wait for.
	y << YAML::BeginMap << YAML::Key << "boot" << YAML::Value << YAML::BeginMap;
	seconds(y, "timeout", spec.boot_timeout);
	y << YAML::Key << "method" << YAML::Value << "qemu";
	y << YAML::Key << "media" << YAML::Value << "tmpfs";
	y << YAML::EndMap << YAML::EndMap;

	// test: the guest's markers; a test case per finished run, by the
	// reproducer's exit status (contract 1: 0 exercised, 4 could not).
	y << YAML::BeginMap << YAML::Key << "test" << YAML::Value << YAML::BeginMap;
	seconds(y, "timeout", spec.timeout);
	y << YAML::Key << "monitors" << YAML::Value << YAML::BeginSeq << YAML::BeginMap;
	y << YAML::Key << "name" << YAML::Value << "pipehang";
	y << YAML::Key << "start" << YAML::Value << kMonitorStart;
	y << YAML::Key << "end" << YAML::Value << kMonitorEnd;
	y << YAML::Key << "pattern" << YAML::Value
	  << R"(PIPEHANG: run-end \{"run":(?P<test_case_id>\d+),"exit":(?P<result>\d+),)";
	y << YAML::Key << "fixupdict" << YAML::Value << YAML::BeginMap;
	for (auto [code, result] : {std::pair{"0", "pass"},
				    {"1", "fail"},
				    {"2", "fail"},
				    {"4", "skip"},
				    {"124", "fail"},
				    {"137", "fail"},
				    {"143", "fail"}})
		y << YAML::Key << YAML::DoubleQuoted << code << YAML::Value << result;
	y << YAML::EndMap;
	y << YAML::EndMap << YAML::EndSeq;
	y << YAML::EndMap << YAML::EndMap;

	y << YAML::EndSeq << YAML::EndMap;
	if (!y.good())
		throw std::logic_error(std::string("LAVA job: YAML emitter: ") + y.GetLastError());
	return std::string(y.c_str()) + "\n";
}

} // namespace pipehang::lab
