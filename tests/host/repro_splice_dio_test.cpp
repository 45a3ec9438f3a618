// repro-splice-dio on real filesystems: the reproducer -> oracle contract
// (one JSON line per iteration, exit 0/1/2/4) and, above all, that
// "exercised" is true only when splice() really moved data into an O_DIRECT
// ext4 file, and false with a reason everywhere else.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <nlohmann/json.hpp>
#include <set>
#include <string>
#include <vector>

#include "blkio_throttle.h"
#include "process_runner.h"
#include "scratch_fs.h"
#include "sys/fs_detect.h"
#include "sys/unique_fd.h"
#include "sys/uring.h"

using namespace pipehang::testing;
using nlohmann::json;

namespace {

const std::string kRepro = std::string(PIPEHANG_BIN_DIR) + "/repro-splice-dio";

struct ReproRun {
	ProcessResult proc;
	std::vector<json> lines;
};

ReproRun run_repro(std::vector<std::string> args, double timeout_s = 60, const std::string &cgroup_procs = "")
{
	args.insert(args.begin(), kRepro);
	RunOptions options;
	options.timeout_s = timeout_s;
	options.cgroup_procs = cgroup_procs;
	ReproRun run;
	run.proc = run_process(args, options);
	for (const std::string &line : run.proc.out_lines()) {
		json j = json::parse(line, nullptr, /*allow_exceptions=*/false);
		EXPECT_FALSE(j.is_discarded()) << "stdout line is not JSON: " << line;
		if (!j.is_discarded())
			run.lines.push_back(j);
	}
	return run;
}

std::string describe(const ReproRun &r)
{
	return "exit=" + std::to_string(r.proc.exit_code) + " signal=" + std::to_string(r.proc.signal) +
	       (r.proc.timed_out ? " TIMED OUT" : "") + "\nstdout:\n" + r.proc.out + "stderr:\n" + r.proc.err;
}

// Every line carries the contract fields with the right types.
void expect_contract_fields(const json &j)
{
	EXPECT_EQ(j.value("tool", ""), "repro-splice-dio");
	EXPECT_TRUE(j.contains("iteration") && j["iteration"].is_number_unsigned());
	ASSERT_TRUE(j.contains("entry") && j["entry"].is_string());
	const std::string entry = j["entry"];
	EXPECT_TRUE(entry == "openat2" || entry == "openat" || entry == "io_uring") << entry;
	EXPECT_TRUE(j.contains("fallback") && j["fallback"].is_boolean());
	EXPECT_TRUE(j.contains("exercised") && j["exercised"].is_boolean());
	EXPECT_TRUE(j.contains("splice_ms") && j["splice_ms"].is_number());
	EXPECT_TRUE(j.contains("close_ms") && j["close_ms"].is_number());
	if (j.contains("failed_step")) {
		EXPECT_TRUE(j.contains("errno") && j["errno"].is_number_integer());
		EXPECT_TRUE(j.contains("error") && j["error"].is_string());
		EXPECT_TRUE(j.contains("reason") && !j["reason"].get<std::string>().empty());
	}
}

// A fully exercised iteration: data really went through splice into the file.
void expect_exercised(const json &j, long long size, const std::string &fs = "ext4")
{
	expect_contract_fields(j);
	EXPECT_TRUE(j["exercised"].get<bool>()) << j.dump();
	EXPECT_FALSE(j.contains("failed_step")) << j.dump();
	EXPECT_EQ(j["fs"], fs);
	EXPECT_TRUE(j["o_direct"].get<bool>());
	// --fill mixed (the default) leaves one slot of the pipe empty, gap
	// carries two data pages only: what must reach the file is the data.
	const long long page = static_cast<long long>(::sysconf(_SC_PAGESIZE));
	const std::string fill = j.value("fill", std::string("?"));
	const long long data = fill == "pages" ? size : fill == "gap" ? 2 * page : size - page;
	EXPECT_TRUE(fill == "pages" || fill == "gap" || fill == "mixed") << j.dump();
	EXPECT_EQ(j["data_bytes"].get<long long>(), data) << j.dump();
	EXPECT_EQ(j["bytes_spliced"].get<long long>(), data);
	EXPECT_EQ(j["file_bytes"].get<long long>(), data);
	if (fill != "pages") {
		// The empty buffer was made the way the real trigger makes it.
		EXPECT_EQ(j["fault_write_ret"].get<long long>(), -1) << j.dump();
		EXPECT_EQ(j["fault_write_errno"], "EFAULT") << j.dump();
		EXPECT_TRUE(j["empty_buffer_kept"].is_boolean()) << j.dump();
	}
	EXPECT_GE(j["splice_ms"].get<double>(), 0.0);
	EXPECT_GE(j["close_ms"].get<double>(), 0.0);
	// Direct I/O really happened: nothing of the file is in the page cache.
	EXPECT_EQ(j["page_cache_pages"].get<long long>(), 0) << j.dump();
	EXPECT_FALSE(j["timed_out"].get<bool>());
}

bool dir_is_empty(const std::string &dir)
{
	for (const auto &e : std::filesystem::directory_iterator(dir))
		if (e.path().filename() != "lost+found")
			return false;
	return true;
}

bool io_uring_open_supported(std::string *why)
{
	pipehang::sys::Uring ring;
	auto r = ring.init(4);
	if (!r.ok()) {
		*why = "io_uring_setup fails here (errno " + std::to_string(r.err) + ")";
		return false;
	}
	if (!ring.supports(pipehang::sys::kUringOpOpenat2) && !ring.supports(pipehang::sys::kUringOpOpenat)) {
		*why = "io_uring has no open opcode on this kernel";
		return false;
	}
	return true;
}

class ReproExt4 : public ::testing::Test {
protected:
	void SetUp() override
	{
		ASSERT_TRUE(std::filesystem::exists(kRepro)) << kRepro << " not built";
		fs_ = std::make_unique<ScratchFs>(ScratchFs::Kind::kExt4Loop);
		if (!fs_->ok())
			GTEST_SKIP() << fs_->skip_reason();
	}
	const std::string &dir() const { return fs_->mount_point(); }
	std::unique_ptr<ScratchFs> fs_;
};

TEST(ReproHostFs, ExercisesOnHostExt4WhenHostIsExt4)
{
	// Detect, don't assume: only a real ext4 /var/tmp counts.
	pipehang::sys::UniqueFd fd(::open("/var/tmp", O_RDONLY | O_DIRECTORY | O_CLOEXEC));
	ASSERT_TRUE(fd.valid());
	pipehang::sys::FsInfo info;
	ASSERT_TRUE(pipehang::sys::detect_fs(fd.get(), info).ok());
	if (!info.is_ext4())
		GTEST_SKIP() << "/var/tmp is " << info.name() << ", not ext4";
	std::string tmpl = "/var/tmp/pipehang-host." + std::to_string(::getpid()) + ".XXXXXX";
	ASSERT_TRUE(::mkdtemp(tmpl.data()));
	ReproRun r = run_repro({"--dir", tmpl, "--iterations", "3", "--size", "256K"});
	const bool empty = dir_is_empty(tmpl);
	std::filesystem::remove_all(tmpl);
	ASSERT_EQ(r.proc.exit_code, 0) << describe(r);
	ASSERT_EQ(r.lines.size(), 3u) << describe(r);
	for (unsigned i = 0; i < 3; ++i) {
		expect_exercised(r.lines[i], 256 * 1024);
		EXPECT_EQ(r.lines[i]["iteration"].get<unsigned>(), i + 1);
		EXPECT_EQ(r.lines[i]["entry"], "openat2");
		EXPECT_FALSE(r.lines[i]["fallback"].get<bool>());
	}
	EXPECT_TRUE(empty) << "the reproducer left files behind";
}

TEST_F(ReproExt4, OpenatEntryExercisesAndCleansUp)
{
	ReproRun r = run_repro({"--dir", dir(), "--entry", "openat", "--iterations", "2"});
	ASSERT_EQ(r.proc.exit_code, 0) << describe(r);
	ASSERT_EQ(r.lines.size(), 2u);
	for (const json &j : r.lines) {
		expect_exercised(j, 1 << 20);
		EXPECT_EQ(j["entry"], "openat");
		EXPECT_EQ(j["entry_requested"], "openat");
		EXPECT_FALSE(j["fallback"].get<bool>());
		EXPECT_EQ(j["pipe_size"].get<long long>(), 1 << 20);
	}
	EXPECT_TRUE(dir_is_empty(dir()));
}

TEST_F(ReproExt4, Openat2DeniedWithoutFallbackSkipsWithEnosys)
{
	ReproRun r = run_repro({"--dir", dir(), "--entry", "openat2", "--deny", "openat2"});
	ASSERT_EQ(r.proc.exit_code, 4) << describe(r);
	ASSERT_EQ(r.lines.size(), 1u) << describe(r);
	const json &j = r.lines[0];
	expect_contract_fields(j);
	EXPECT_FALSE(j["exercised"].get<bool>());
	EXPECT_EQ(j["entry"], "openat2");
	EXPECT_EQ(j["failed_step"], "open");
	EXPECT_EQ(j["errno"].get<int>(), ENOSYS);
	EXPECT_EQ(j["error"], "ENOSYS");
	EXPECT_EQ(j["reason_code"], "ENOSYS");
	EXPECT_NE(j["reason"].get<std::string>().find("ENOSYS"), std::string::npos);
	EXPECT_EQ(j["splice_ms"].get<double>(), -1.0); // never reached
	EXPECT_EQ(j["deny"], json::array({"openat2"}));
	EXPECT_TRUE(dir_is_empty(dir()));
}

TEST_F(ReproExt4, MissingSpliceIsASkipNotAFailure)
{
	// A kernel without the syscall the path needs cannot exercise it: exit 4.
	ReproRun r = run_repro({"--dir", dir(), "--deny", "splice"});
	ASSERT_EQ(r.proc.exit_code, 4) << describe(r);
	ASSERT_EQ(r.lines.size(), 1u);
	const json &j = r.lines[0];
	EXPECT_FALSE(j["exercised"].get<bool>());
	EXPECT_EQ(j["failed_step"], "splice");
	EXPECT_EQ(j["error"], "ENOSYS");
	EXPECT_EQ(j["reason_code"], "ENOSYS");
	EXPECT_EQ(j["bytes_spliced"].get<long long>(), 0);
	EXPECT_TRUE(dir_is_empty(dir()));
}

TEST_F(ReproExt4, AutoFallsBackToOpenatAndStillExercises)
{
	ReproRun r = run_repro({"--dir", dir(), "--entry", "auto", "--deny", "openat2", "--iterations", "2"});
	ASSERT_EQ(r.proc.exit_code, 0) << describe(r);
	ASSERT_EQ(r.lines.size(), 2u);
	for (const json &j : r.lines) {
		expect_exercised(j, 1 << 20);
		EXPECT_EQ(j["entry"], "openat");
		EXPECT_EQ(j["entry_requested"], "auto");
		EXPECT_TRUE(j["fallback"].get<bool>());
	}
	EXPECT_NE(r.proc.err.find("falling back to openat"), std::string::npos) << r.proc.err;
}

TEST_F(ReproExt4, AutoFallsBackToIoUringWhenBothOpensAreDenied)
{
	std::string why;
	const bool uring = io_uring_open_supported(&why);
	ReproRun r = run_repro({"--dir", dir(), "--entry", "auto", "--deny", "openat2,openat"});
	if (!uring) {
		// Nothing left to fall back to: a clean skip, not a false "good".
		ASSERT_EQ(r.proc.exit_code, 4) << describe(r);
		ASSERT_EQ(r.lines.size(), 1u);
		EXPECT_FALSE(r.lines[0]["exercised"].get<bool>());
		GTEST_SKIP() << "fallback to io_uring not testable: " << why;
	}
	ASSERT_EQ(r.proc.exit_code, 0) << describe(r);
	ASSERT_EQ(r.lines.size(), 1u);
	expect_exercised(r.lines[0], 1 << 20);
	EXPECT_EQ(r.lines[0]["entry"], "io_uring");
	EXPECT_TRUE(r.lines[0]["fallback"].get<bool>());
}

TEST_F(ReproExt4, IoUringEntryWorksWhereSupported)
{
	std::string why;
	if (!io_uring_open_supported(&why))
		GTEST_SKIP() << why;
	ReproRun r = run_repro({"--dir", dir(), "--entry", "io_uring", "--iterations", "2"});
	ASSERT_EQ(r.proc.exit_code, 0) << describe(r);
	ASSERT_EQ(r.lines.size(), 2u);
	for (const json &j : r.lines) {
		expect_exercised(j, 1 << 20);
		EXPECT_EQ(j["entry"], "io_uring");
		EXPECT_FALSE(j["fallback"].get<bool>());
		const std::string op = j.value("uring_op", "");
		EXPECT_TRUE(op == "IORING_OP_OPENAT2" || op == "IORING_OP_OPENAT") << op;
	}
}

TEST_F(ReproExt4, IoUringEntryDeniedSkipsWithEnosys)
{
	ReproRun r = run_repro({"--dir", dir(), "--entry", "io_uring", "--deny", "io_uring_setup"});
	ASSERT_EQ(r.proc.exit_code, 4) << describe(r);
	ASSERT_EQ(r.lines.size(), 1u);
	EXPECT_FALSE(r.lines[0]["exercised"].get<bool>());
	EXPECT_EQ(r.lines[0]["entry"], "io_uring");
	EXPECT_EQ(r.lines[0]["error"], "ENOSYS");
}

bool io_uring_splice_supported(std::string *why)
{
	pipehang::sys::Uring ring;
	auto r = ring.init(4);
	if (!r.ok()) {
		*why = "io_uring_setup fails here (errno " + std::to_string(r.err) + ")";
		return false;
	}
	if (!ring.supports(pipehang::sys::kUringOpSplice)) {
		*why = "kernel lacks IORING_OP_SPLICE";
		return false;
	}
	return true;
}

// The real trigger, alone: [data][empty][data]. On the host's kernel (fixed,
// or one that no longer leaves the empty buffer) it must exercise the path
// and move all data; the probe says whether the kernel kept the gap.
TEST_F(ReproExt4, GapFillExercisesAndSplicesAllData)
{
	ReproRun r = run_repro({"--dir", dir(), "--fill", "gap", "--iterations", "3"});
	ASSERT_EQ(r.proc.exit_code, 0) << describe(r);
	ASSERT_EQ(r.lines.size(), 3u);
	for (const json &j : r.lines) {
		EXPECT_EQ(j["fill"], "gap");
		expect_exercised(j, 1 << 20);
	}
	EXPECT_TRUE(dir_is_empty(dir()));
	std::printf("host kernel keeps the empty pipe buffer after EFAULT: %s\n",
		    r.lines[0]["empty_buffer_kept"].dump().c_str());
}

// Together with the existing patterns: every fill with a forked closer,
// several splicers and io_uring's splice.
TEST_F(ReproExt4, EveryFillWorksWithForkThreadsAndIoUring)
{
	std::string why;
	const bool uring = io_uring_splice_supported(&why);
	for (const char *fill : {"pages", "gap", "mixed"}) {
		ReproRun r = run_repro({"--dir", dir(), "--fill", fill, "--fork", "--threads", "2", "--size", "256K"});
		ASSERT_EQ(r.proc.exit_code, 0) << fill << ": " << describe(r);
		ASSERT_EQ(r.lines.size(), 1u);
		EXPECT_EQ(r.lines[0]["fill"], fill);
		expect_exercised(r.lines[0], 256 * 1024);
		if (!uring)
			continue;
		r = run_repro({"--dir", dir(), "--fill", fill, "--splice-via", "io_uring", "--size", "256K"});
		ASSERT_EQ(r.proc.exit_code, 0) << fill << " via io_uring: " << describe(r);
		expect_exercised(r.lines.at(0), 256 * 1024);
	}
	EXPECT_TRUE(dir_is_empty(dir()));
}

TEST_F(ReproExt4, SpliceViaIoUringExercises)
{
	std::string why;
	if (!io_uring_splice_supported(&why))
		GTEST_SKIP() << why;
	ReproRun r = run_repro({"--dir", dir(), "--splice-via", "io_uring", "--threads", "2", "--iterations", "2"});
	ASSERT_EQ(r.proc.exit_code, 0) << describe(r);
	ASSERT_EQ(r.lines.size(), 2u);
	for (const json &j : r.lines) {
		expect_exercised(j, 1 << 20);
		EXPECT_EQ(j["splice_via"], "io_uring");
	}
}

TEST_F(ReproExt4, SpliceViaIoUringDeniedSkipsWithEnosys)
{
	ReproRun r = run_repro({"--dir", dir(), "--splice-via", "io_uring", "--deny", "io_uring_setup"});
	ASSERT_EQ(r.proc.exit_code, 4) << describe(r);
	ASSERT_EQ(r.lines.size(), 1u);
	EXPECT_FALSE(r.lines[0]["exercised"].get<bool>());
	EXPECT_EQ(r.lines[0]["failed_step"], "splice");
	EXPECT_EQ(r.lines[0]["error"], "ENOSYS");
	EXPECT_EQ(r.lines[0]["bytes_spliced"].get<long long>(), 0);
}

TEST_F(ReproExt4, ForkedCloserAndSeveralSplicers)
{
	ReproRun r = run_repro({"--dir", dir(), "--fork", "--threads", "4", "--size", "512K", "--iterations", "2"});
	ASSERT_EQ(r.proc.exit_code, 0) << describe(r);
	ASSERT_EQ(r.lines.size(), 2u);
	for (const json &j : r.lines) {
		expect_exercised(j, 512 * 1024);
		EXPECT_TRUE(j["fork"].get<bool>());
		EXPECT_EQ(j["threads"].get<unsigned>(), 4u);
		// Four distinct splicer threads in this process, the closer elsewhere.
		const auto tids = j["splicer_tids"].get<std::vector<int>>();
		ASSERT_EQ(tids.size(), 4u);
		std::set<int> distinct(tids.begin(), tids.end());
		EXPECT_EQ(distinct.size(), 4u);
		EXPECT_EQ(distinct.count(0), 0u);
		const int closer = j["closer_tid"].get<int>();
		EXPECT_GT(closer, 0);
		EXPECT_EQ(distinct.count(closer), 0u);
		EXPECT_NE(closer, j["pid"].get<int>());
	}
	EXPECT_TRUE(dir_is_empty(dir()));
}

TEST_F(ReproExt4, DurationStopsStartingIterations)
{
	ReproRun r = run_repro({"--dir", dir(), "--iterations", "1000000", "--size", "64K", "--duration", "0.5",
				"--time-limit", "30"});
	ASSERT_EQ(r.proc.exit_code, 0) << describe(r);
	ASSERT_GE(r.lines.size(), 1u);
	EXPECT_LT(r.lines.size(), 1000000u);
	EXPECT_LT(r.proc.elapsed_ms, 10000.0);
	for (const json &j : r.lines)
		EXPECT_TRUE(j["exercised"].get<bool>());
	EXPECT_NE(r.proc.err.find("--duration"), std::string::npos) << r.proc.err;
	EXPECT_TRUE(dir_is_empty(dir()));
}

TEST_F(ReproExt4, RunsWithoutEtcOrProcLikeABusyboxGuest)
{
	// An empty chroot: no /etc, no /proc, no shared libraries, no locale.
	const std::string root = fs_->base();
	std::filesystem::copy_file(kRepro, root + "/repro-splice-dio");
	::chmod((root + "/repro-splice-dio").c_str(), 0755);
	RunOptions options;
	options.timeout_s = 60;
	ProcessResult p = run_process({"chroot", root, "/repro-splice-dio", "--dir", "/mnt"}, options);
	ASSERT_EQ(p.exit_code, 0) << p.out << p.err;
	auto lines = p.out_lines();
	ASSERT_EQ(lines.size(), 1u) << p.out;
	json j = json::parse(lines[0]);
	// Without /proc the mount table is unknown: the ext4 driver's magic
	// decides, and the name says honestly that ext2/3/4 share it.
	expect_exercised(j, 1 << 20, "ext2/ext3/ext4");
}

TEST(ReproOtherFs, Ext4DataJournalBufferedFallbackIsNotExercised)
{
	// ext4 accepts O_DIRECT with data=journal but writes through the page
	// cache: splice succeeds, yet iomap_dio_rw never runs. Must not count.
	ScratchFs fs(ScratchFs::Kind::kExt4Loop, 64, "data=journal");
	if (!fs.ok())
		GTEST_SKIP() << fs.skip_reason();
	ReproRun r = run_repro({"--dir", fs.mount_point(), "--iterations", "3"});
	ASSERT_EQ(r.proc.exit_code, 4) << describe(r);
	ASSERT_EQ(r.lines.size(), 1u) << describe(r);
	const json &j = r.lines[0];
	expect_contract_fields(j);
	EXPECT_FALSE(j["exercised"].get<bool>()) << j.dump();
	EXPECT_EQ(j["fs"], "ext4");
	EXPECT_TRUE(j["o_direct"].get<bool>());
	EXPECT_GT(j["bytes_spliced"].get<long long>(), 0);
	EXPECT_GT(j["page_cache_pages"].get<long long>(), 0);
	EXPECT_EQ(j["reason_code"], "DIO_FALLBACK");
	EXPECT_EQ(j["failed_step"], "splice");
}

TEST(ReproOtherFs, TmpfsIsNotExt4SkipsWithReason)
{
	ScratchFs fs(ScratchFs::Kind::kTmpfs);
	if (!fs.ok())
		GTEST_SKIP() << fs.skip_reason();
	ReproRun r = run_repro({"--dir", fs.mount_point()});
	ASSERT_EQ(r.proc.exit_code, 4) << describe(r);
	ASSERT_EQ(r.lines.size(), 1u);
	const json &j = r.lines[0];
	expect_contract_fields(j);
	EXPECT_FALSE(j["exercised"].get<bool>());
	EXPECT_EQ(j["fs"], "tmpfs");
	EXPECT_EQ(j["reason_code"], "NOT_EXT4");
	EXPECT_NE(j["reason"].get<std::string>().find("not ext4"), std::string::npos);
}

TEST(ReproOtherFs, AnyFsOnTmpfsRunsButIsNeverExercised)
{
	ScratchFs fs(ScratchFs::Kind::kTmpfs);
	if (!fs.ok())
		GTEST_SKIP() << fs.skip_reason();
	ReproRun r = run_repro({"--dir", fs.mount_point(), "--any-fs", "--iterations", "2"});
	ASSERT_EQ(r.proc.exit_code, 4) << describe(r);
	ASSERT_EQ(r.lines.size(), 2u) << describe(r); // all iterations still run
	for (const json &j : r.lines) {
		expect_contract_fields(j);
		EXPECT_FALSE(j["exercised"].get<bool>());
		EXPECT_EQ(j["reason_code"], "NOT_EXT4");
		// Older kernels refuse O_DIRECT on tmpfs; newer ones let splice run.
		if (!j.contains("failed_step") || j["failed_step"] != "open") {
			EXPECT_GT(j["bytes_spliced"].get<long long>(), 0);
		}
	}
}

TEST(ReproOtherFs, RamfsRefusesODirectSkipsWithReason)
{
	ScratchFs fs(ScratchFs::Kind::kRamfs);
	if (!fs.ok())
		GTEST_SKIP() << fs.skip_reason();
	ReproRun r = run_repro({"--dir", fs.mount_point(), "--any-fs"});
	ASSERT_EQ(r.proc.exit_code, 4) << describe(r);
	ASSERT_EQ(r.lines.size(), 1u);
	const json &j = r.lines[0];
	expect_contract_fields(j);
	EXPECT_FALSE(j["exercised"].get<bool>());
	EXPECT_EQ(j["failed_step"], "open");
	EXPECT_EQ(j["error"], "EINVAL");
	EXPECT_EQ(j["reason_code"], "NO_O_DIRECT");
	EXPECT_TRUE(dir_is_empty(fs.mount_point())) << "the O_DIRECT probe file was left behind";
}

struct BadArgs {
	std::vector<std::string> args;
	std::string flag; // must appear in the message
};

TEST(ReproUsage, BadArgumentsExit2NamingTheFlag)
{
	const std::vector<BadArgs> cases = {
		{{}, "--dir"},
		{{"--dir", "/nonexistent/pipehang"}, "--dir"},
		{{"--dir", "/etc/hostname"}, "--dir"},
		{{"--dir", "/var/tmp", "--entry", "openat3"}, "--entry"},
		{{"--dir", "/var/tmp", "--size", "3000"}, "--size"},
		{{"--dir", "/var/tmp", "--size", "lots"}, "--size"},
		{{"--dir", "/var/tmp", "--size", "2G"}, "--size"},
		{{"--dir", "/var/tmp", "--iterations", "0"}, "--iterations"},
		{{"--dir", "/var/tmp", "--iterations", "x"}, "--iterations"},
		{{"--dir", "/var/tmp", "--threads", "65"}, "--threads"},
		{{"--dir", "/var/tmp", "--threads", "8", "--size", "16K"}, "--threads"},
		{{"--dir", "/var/tmp", "--time-limit", "0"}, "--time-limit"},
		{{"--dir", "/var/tmp", "--deny", "no_such_call"}, "--deny"},
		{{"--dir", "/var/tmp", "--deny", ","}, "--deny"},
		{{"--dir", "/var/tmp", "--close-delay-ms", "-5"}, "--close-delay-ms"},
		{{"--dir", "/var/tmp", "--duration", "90"}, "--duration"},
		{{"--dir", "/var/tmp", "--splice-via", "sendfile"}, "--splice-via"},
		{{"--dir", "/var/tmp", "--fill", "holes"}, "--fill"},
		{{"--dir", "/var/tmp", "--fill", "gap", "--threads", "3"}, "--threads"},
		{{"--dir", "/var/tmp", "--fill", "mixed", "--size", "8K"}, "--size"},
		{{"--dir", "/var/tmp", "--frobnicate"}, "--frobnicate"},
	};
	for (const BadArgs &c : cases) {
		ReproRun r = run_repro(c.args, 30);
		std::string joined;
		for (const auto &a : c.args)
			joined += a + " ";
		EXPECT_EQ(r.proc.exit_code, 2) << joined << "\n" << describe(r);
		EXPECT_NE(r.proc.err.find(c.flag), std::string::npos)
			<< joined << ": message does not name " << c.flag << ": " << r.proc.err;
		EXPECT_TRUE(r.proc.out.empty()) << joined << ": usage errors print no JSON";
	}
}

TEST(ReproUsage, HelpExplainsEveryFlag)
{
	RunOptions options;
	options.timeout_s = 30;
	ProcessResult p = run_process({kRepro, "--help"}, options);
	ASSERT_EQ(p.exit_code, 0) << p.err;
	for (const char *flag :
	     {"--dir", "--entry", "--deny", "--size", "--iterations", "--threads", "--fork", "--time-limit",
	      "--duration", "--close-delay-ms", "--splice-via", "--fill", "--any-fs", "--keep-files", "--help"}) {
		EXPECT_NE(p.out.find(flag), std::string::npos) << flag;
	}
	EXPECT_NE(p.out.find("Exit status"), std::string::npos);
}

TEST(ReproBinary, IsStaticWithNoInterpreter)
{
	// A busybox guest has no dynamic loader: the ELF must have no PT_INTERP.
	pipehang::sys::UniqueFd fd(::open(kRepro.c_str(), O_RDONLY | O_CLOEXEC));
	ASSERT_TRUE(fd.valid());
	unsigned char ehdr[64];
	ASSERT_EQ(::pread(fd.get(), ehdr, sizeof ehdr, 0), 64);
	ASSERT_EQ(std::string(reinterpret_cast<char *>(ehdr) + 1, 3), "ELF");
	ASSERT_EQ(ehdr[4], 2) << "expected ELF64";
	auto u16 = [&](int off) { return static_cast<unsigned>(ehdr[off] | (ehdr[off + 1] << 8)); };
	unsigned long long phoff = 0;
	for (int i = 7; i >= 0; --i)
		phoff = (phoff << 8) | ehdr[32 + i];
	const unsigned phentsize = u16(54), phnum = u16(56);
	ASSERT_GT(phnum, 0u);
	for (unsigned i = 0; i < phnum; ++i) {
		unsigned char ph[4];
		ASSERT_EQ(::pread(fd.get(), ph, 4, static_cast<off_t>(phoff + i * phentsize)), 4);
		const unsigned type = ph[0] | (ph[1] << 8) | (ph[2] << 16) | (static_cast<unsigned>(ph[3]) << 24);
		EXPECT_NE(type, 3u) << "PT_INTERP present: the binary is dynamically linked";
	}
}

} // namespace
