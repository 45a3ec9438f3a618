// The lab layer's pure parts: LAVA's log read back (lab/lava_log.h), the
// job written (lab/lava_job.h), the table from a job's end to an
// instance's end (lab/lab_runner.h) and the flag checks. Real jobs, through
// lava-run and a real lava-server, are in tests/lab.
#include "lab/lab_runner.h"
#include "lab/lava_job.h"
#include "lab/lava_log.h"

#include <gtest/gtest.h>
#include <yaml-cpp/yaml.h>

using namespace pipehang;
using namespace pipehang::lab;
using guest::InstanceEnd;

TEST(LabLavaLog, ConsoleTestCasesAndTheJobResultFromServerAndLavaRunLines)
{
	// A server's log ("- " before each record) and lava-run's stderr (none);
	// LAVA put a backslash before every quote of a console line.
	const std::string log =
		"- {\"dt\": \"2026-12-05T01:01:25.1\", \"lvl\": \"info\", \"msg\": \"start: 1 tmpfs-deploy\"}\n"
		"- {\"dt\": \"2026-12-05T01:01:25.2\", \"lvl\": \"target\", \"msg\": \"PIPEHANG: boot "
		"{\\\\\\\"kernel\\\\\\\":\\\\\\\"6.1.0-56-amd64\\\\\\\"}\"}\n"
		"{\"dt\": \"2026-12-05T01:01:25.3\", \"lvl\": \"results\", \"msg\": {\"case\": \"0\", \"definition\": "
		"\"pipehang\", \"result\": \"pass\"}}\n"
		"not a record\n"
		"{\"dt\": \"2026-12-05T01:01:26\", \"lvl\": \"error\", \"msg\": \"JobError: Your job cannot terminate "
		"cleanly.\"}\n"
		"{\"dt\": \"2026-12-05T01:01:26\", \"lvl\": \"results\", \"msg\": {\"case\": \"job\", \"definition\": "
		"\"lava\", \"error_msg\": \"Invalid job data\\n\", \"error_type\": \"Job\", \"result\": \"fail\"}}\n";
	LavaLog l = parse_lava_log(log);
	EXPECT_EQ(l.console, "PIPEHANG: boot {\"kernel\":\"6.1.0-56-amd64\"}\n");
	ASSERT_EQ(l.cases.size(), 1u);
	EXPECT_EQ(l.cases[0].suite, "pipehang");
	EXPECT_EQ(l.cases[0].result, "pass");
	ASSERT_TRUE(l.job.has_value());
	EXPECT_FALSE(l.job->pass);
	EXPECT_EQ(l.job->error_type, "Job");
	EXPECT_EQ(l.job->error_msg, "Invalid job data"); // trailing newline trimmed
	ASSERT_EQ(l.errors.size(), 1u);
	EXPECT_EQ(l.lines, 5u);
	EXPECT_EQ(l.bad_lines, 1u);
}

TEST(LabLavaLog, ALogReadAsItGrowsKeepsAPartialLineForLater)
{
	LavaLog l;
	std::string partial;
	EXPECT_EQ(read_lava_log("{\"lvl\": \"target\", \"msg\": \"first\"}\n{\"lvl\": \"tar", l, partial), "first\n");
	EXPECT_EQ(read_lava_log("get\", \"msg\": \"second\"}\n", l, partial), "second\n");
	EXPECT_EQ(l.console, "first\nsecond\n");
	EXPECT_TRUE(partial.empty());
	EXPECT_FALSE(l.job.has_value());
}

TEST(LabLavaLog, UnescapeUndoesExactlyLavasQuoteEscape)
{
	// LAVA turns '"' into '\"'; an original '\"' became '\\"'.
	EXPECT_EQ(unescape_target_line(R"({\"a\":1})"), R"({"a":1})");
	EXPECT_EQ(unescape_target_line(R"(x\\"y)"), R"(x\"y)");
	EXPECT_EQ(unescape_target_line(R"(back\slash)"), R"(back\slash)");
}

namespace {

LavaJobSpec spec()
{
	LavaJobSpec s;
	s.name = "pipehang 6.1.0-56-amd64 (2 runs)";
	s.device_type = "qemu";
	s.artifact_url = "http://127.0.0.1:8080/boot-1/";
	s.artifacts = {{"bzImage", "aa", ""}, {"initrd.cpio", "bb", ""}, {"disk.img.zst", "cc", "zstd"}};
	s.settings.accel = "auto";
	s.kernel_cmdline = "console=ttyS0,115200 rdinit=/init";
	s.timeout = std::chrono::seconds(420);
	s.boot_timeout = std::chrono::seconds(420);
	return s;
}

std::vector<std::string> strings(const YAML::Node &n)
{
	std::vector<std::string> v;
	for (auto x : n)
		v.push_back(x.as<std::string>());
	return v;
}

} // namespace

TEST(LabLavaJob, TheJobCarriesTheArtifactsTheMachineAndTheMonitors)
{
	LavaJobSpec s = spec();
	s.tags = {"tcg", "big"};
	YAML::Node j = YAML::Load(lava_job_yaml(s));
	EXPECT_EQ(j["device_type"].as<std::string>(), "qemu");
	EXPECT_EQ(strings(j["tags"]), (std::vector<std::string>{"tcg", "big"}));
	EXPECT_TRUE(j["context"]["no_kvm"].as<bool>());
	EXPECT_EQ(j["context"]["memory"].as<int>(), 1024);
	auto extra = strings(j["context"]["extra_options"]);
	EXPECT_NE(std::find(extra.begin(), extra.end(), "-no-reboot"), extra.end());
	EXPECT_NE(std::find(extra.begin(), extra.end(), "-cpu max"), extra.end());
	YAML::Node images = j["actions"][0]["deploy"]["images"];
	EXPECT_EQ(images["kernel"]["url"].as<std::string>(), "http://127.0.0.1:8080/boot-1/bzImage");
	EXPECT_EQ(images["kernel"]["sha256sum"].as<std::string>(), "aa");
	EXPECT_NE(images["kernel"]["image_arg"].as<std::string>().find("-append \"console=ttyS0,115200"),
		  std::string::npos);
	EXPECT_EQ(images["disk"]["compression"].as<std::string>(), "zstd");
	// Unthrottled: no throttle, QEMU's request merging left on.
	EXPECT_EQ(images["disk"]["image_arg"].as<std::string>().find("throttling"), std::string::npos);
	EXPECT_EQ(images["disk"]["image_arg"].as<std::string>().find("request-merging"), std::string::npos);
	EXPECT_EQ(j["actions"][1]["boot"]["method"].as<std::string>(), "qemu");
	YAML::Node mon = j["actions"][2]["test"]["monitors"][0];
	EXPECT_EQ(mon["start"].as<std::string>(), kMonitorStart);
	EXPECT_EQ(mon["end"].as<std::string>(), kMonitorEnd);
	// fixupdict keys are strings (LAVA's schema: {str: pass|fail|skip|unknown}).
	EXPECT_EQ(mon["fixupdict"]["0"].as<std::string>(), "pass");
	EXPECT_EQ(mon["fixupdict"]["4"].as<std::string>(), "skip");
	EXPECT_EQ(mon["fixupdict"].begin()->first.Tag(), "!");
}

TEST(LabLavaJob, TheDiskThrottleAndTheAcceleratorCarryOver)
{
	LavaJobSpec s = spec();
	s.settings.throttle_bps = 65536;
	s.settings.accel = "tcg-single";
	YAML::Node j = YAML::Load(lava_job_yaml(s));
	std::string disk = j["actions"][0]["deploy"]["images"]["disk"]["image_arg"].as<std::string>();
	EXPECT_NE(disk.find("throttling.bps-write=65536"), std::string::npos);
	EXPECT_NE(disk.find("request-merging=off"), std::string::npos);
	auto extra = strings(j["context"]["extra_options"]);
	EXPECT_NE(std::find(extra.begin(), extra.end(), "-accel tcg,thread=single"), extra.end());

	s.settings.accel = "kvm"; // the device adds -enable-kvm -cpu host
	j = YAML::Load(lava_job_yaml(s));
	EXPECT_FALSE(j["context"]["no_kvm"].as<bool>());
	extra = strings(j["context"]["extra_options"]);
	EXPECT_EQ(std::find(extra.begin(), extra.end(), "-cpu max"), extra.end());
}

TEST(LabLavaJob, AJobWithoutWhatItNeedsIsRefused)
{
	LavaJobSpec s = spec();
	s.artifacts.disk.file.clear();
	EXPECT_THROW(lava_job_yaml(s), std::invalid_argument);
	s = spec();
	s.device_type.clear();
	EXPECT_THROW(lava_job_yaml(s), std::invalid_argument);
	s = spec();
	s.artifact_url.clear();
	EXPECT_THROW(lava_job_yaml(s), std::invalid_argument);
}

namespace {

struct EndCase {
	const char *name;
	std::string console;
	bool booted;
	LabJobEnd job;
	InstanceEnd want;
	const char *reason_has;
};

LabJobEnd ended(bool pass, std::string type = {}, std::string msg = {}, std::string stopped = {})
{
	LabJobEnd e;
	e.id = "lava-run pipehang-1-0";
	e.log.job = LavaJobResult{pass, std::move(type), std::move(msg)};
	e.stopped = std::move(stopped);
	return e;
}

} // namespace

TEST(LabEnd, EveryWayAJobEndsMapsToTheInstanceEndOfTheTable)
{
	const std::string boot = "Linux version 6.1\nPIPEHANG: boot {\"kernel\":\"6.1\"}\n";
	const std::string no_boot = "Linux version 6.1\nKernel panic - not syncing: VFS: Unable to mount root\n";
	const std::vector<EndCase> cases = {
		{"passed after the boot", boot, true, ended(true), InstanceEnd::exited, ""},
		{"passed, never booted", no_boot, false, ended(true), InstanceEnd::boot_failed, "no PIPEHANG: boot"},
		{"we stopped it after the boot", boot, true, ended(false, "Canceled", "", "target report seen"),
		 InstanceEnd::stopped, "target report seen"},
		{"our watchdog", boot, true, ended(false, "", "", "watchdog: still running"), InstanceEnd::watchdog,
		 "watchdog"},
		{"we stopped it before the device printed anything", "", false, ended(false, "", "", "boot timeout"),
		 InstanceEnd::infra_error, "printed nothing"},
		{"QEMU exited under LAVA after the boot", boot, true,
		 ended(false, "Infrastructure", "Connection closed"), InstanceEnd::exited, ""},
		{"QEMU exited under LAVA before the boot", no_boot, false,
		 ended(false, "Infrastructure", "Connection closed"), InstanceEnd::boot_failed, "Connection closed"},
		{"LAVA's timeout after the boot", boot, true, ended(false, "LAVATimeout", "test timed out"),
		 InstanceEnd::watchdog, "LAVATimeout"},
		{"the kernel printed but never reached our init", no_boot, false,
		 ended(false, "LAVATimeout", "boot timed out"), InstanceEnd::boot_failed, "LAVATimeout"},
		{"artifacts missing: nothing ran", "", false, ended(false, "Job", "Invalid job data"),
		 InstanceEnd::infra_error, "Job error: Invalid job data"},
		{"the lab's infrastructure after the boot", boot, true, ended(false, "Infrastructure", "worker lost"),
		 InstanceEnd::infra_error, "Infrastructure error"},
		{"canceled on the lab by someone else", boot, true, ended(false, "Canceled", "canceled"),
		 InstanceEnd::infra_error, "Canceled"},
	};
	for (const auto &c : cases) {
		guest::InstanceResult r;
		r.console = c.console;
		r.markers = guest::parse_markers(r.console);
		r.booted = c.booted;
		classify_lab_end(r, c.job);
		EXPECT_EQ(to_string(r.end), to_string(c.want)) << c.name;
		EXPECT_NE(r.reason.find(c.reason_has), std::string::npos) << c.name << ": " << r.reason;
	}
}

TEST(LabEnd, AServerJobWithoutAResultRecordFallsBackOnItsHealth)
{
	LabJobEnd e;
	e.id = "http://lab/scheduler/job/7";
	e.health = "Incomplete";
	guest::InstanceResult r;
	classify_lab_end(r, e);
	EXPECT_EQ(r.end, InstanceEnd::infra_error);
	EXPECT_NE(r.reason.find("Incomplete"), std::string::npos);
}

TEST(LabOptions, BadFlagsAreNamed)
{
	auto refuses = [](LabOptions o, const std::string &needle) {
		try {
			check_lab_options(o);
		} catch (const std::invalid_argument &e) {
			return std::string(e.what()).find(needle) != std::string::npos;
		}
		return false;
	};
	LabOptions o;
	EXPECT_NO_THROW(check_lab_options(o)); // no lab: nothing to check
	o.lab = "ftp://lab";
	EXPECT_TRUE(refuses(o, "--lab 'ftp://lab'"));
	o.lab = "lava-run";
	EXPECT_TRUE(refuses(o, "needs --lab-device"));
	o.device_file = "dev.jinja2";
	EXPECT_NO_THROW(check_lab_options(o));
	o.tags = {"a,b"};
	EXPECT_TRUE(refuses(o, "--lab-tag 'a,b'"));
	o.tags.clear();
	o.artifact_url = "host/dir";
	EXPECT_TRUE(refuses(o, "--artifact-url 'host/dir'"));
	o.artifact_url.clear();
	o.lab = "http://127.0.0.1:8000/";
	EXPECT_TRUE(refuses(o, "--lab-device is for --lab lava-run"));
	o = LabOptions{};
	o.token_file = "token";
	EXPECT_TRUE(refuses(o, "--lab-token-file needs --lab"));
}
