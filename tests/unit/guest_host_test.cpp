// Host-side building blocks of the harness: hashing, cpio archives, marker
// parsing, bounded child processes, kernel-file validation.
#include "guest/cpio.h"
#include "guest/instance.h"
#include "guest/kernel.h"
#include "guest/markers.h"
#include "util/process.h"
#include "util/sha256.h"
#include "util/temp_dir.h"

#include <gtest/gtest.h>

#include <chrono>
#include <csignal>
#include <fstream>
#include <string>

using namespace pipehang::guest;
using namespace pipehang::util;
namespace fs = std::filesystem;

TEST(GuestSha256, KnownVectors)
{
	EXPECT_EQ(sha256_hex(""), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
	EXPECT_EQ(sha256_hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
	EXPECT_EQ(sha256_hex("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"),
		  "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
	// Fed in odd-sized pieces (the partial-block path) gives the same digest.
	std::string million(1000000, 'a');
	Sha256 h;
	for (std::size_t i = 0; i < million.size(); i += 7)
		h.update(std::string_view(million).substr(i, 7));
	EXPECT_EQ(h.hex(), "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
}

TEST(GuestCpio, NewcLayout)
{
	CpioWriter w;
	w.add_dir("bin");
	w.add_file("init", "#!/bin/sh\n", 0755);
	w.add_symlink("bin/sh", "busybox");
	w.add_char_device("dev/console", 5, 1);
	std::string a = w.finish();
	EXPECT_EQ(a.substr(0, 6), "070701");
	EXPECT_EQ(a.size() % 512, 0u);
	EXPECT_NE(a.find("TRAILER!!!"), std::string::npos);
	// The file entry: mode 0100755 and size 10, name padded to 4 bytes.
	auto at = a.find("init");
	ASSERT_NE(at, std::string::npos);
	std::string hdr = a.substr(at - 110, 110);
	EXPECT_EQ(hdr.substr(14, 8), "000081ed");
	EXPECT_EQ(hdr.substr(54, 8), "0000000a");
	EXPECT_EQ(at % 4, 2u); // 110-byte header: the name starts at 2 mod 4
	// Cross-check with cpio(1) when it is installed: it must list our entries.
	if (have_program("cpio")) {
		TempDir t("cpiotest");
		{
			std::ofstream(t / "a.cpio", std::ios::binary) << a;
		}
		auto r = run_process({"sh", "-c", "cpio -it < " + (t / "a.cpio").string()},
				     timed(std::chrono::seconds(10)));
		EXPECT_TRUE(r.ok()) << r.errors;
		EXPECT_NE(r.output.find("bin/sh"), std::string::npos);
		EXPECT_NE(r.output.find("dev/console"), std::string::npos);
	}
}

TEST(GuestMarkers, ParsesValidAndFlagsDamaged)
{
	std::string c = "noise\r\n"
			"PIPEHANG: boot {\"kernel\":\"6.1\"}\r\n"
			"[ 1.0] x PIPEHANG: run-start {\"run\":0}\n"
			"PIPEHANG: repro {\"tool\":\"x\",[ 2.0] interleaved\n"
			"PIPEHANG: done {\"status\":\"ok\"}"; // unterminated: ignored
	auto m = parse_markers(c);
	ASSERT_EQ(m.size(), 3u);
	EXPECT_TRUE(m[0].valid);
	EXPECT_EQ(m[0].event, "boot");
	EXPECT_EQ(m[0].line, 1u);
	EXPECT_EQ(m[0].data["kernel"], "6.1");
	EXPECT_TRUE(m[1].valid);
	EXPECT_EQ(m[1].event, "run-start");
	EXPECT_FALSE(m[2].valid);
	EXPECT_EQ(m[2].event, "repro");
	EXPECT_FALSE(find_marker(m, "done"));
}

// A kernel message printed in the middle of a marker (seen on a replay
// kernel: the module marker cut by the mouse driver's probe line) ends the
// line early; the marker's rest is the next line. Rejoined only when the
// whole object parses.
TEST(GuestMarkers, RejoinsAMarkerCutByAKernelMessage)
{
	std::string c = "PIPEHANG: module {\"loaded\":true,[    1.280841] input: ImExPS/2 Generic Explorer Mouse\r\n"
			"\"args\":\"hung_threshold_ms=2000\"}\r\n"
			"PIPEHANG: repro {\"tool\":\"x\",[    2.000000] cut\r\n"
			"not json at all\r\n"
			"PIPEHANG: run-end {\"run\":0}\n";
	auto m = parse_markers(c);
	ASSERT_EQ(m.size(), 3u);
	ASSERT_TRUE(m[0].valid);
	EXPECT_EQ(m[0].event, "module");
	EXPECT_EQ(m[0].data["loaded"], true);
	EXPECT_EQ(m[0].data["args"], "hung_threshold_ms=2000");
	EXPECT_FALSE(m[1].valid); // the next line does not complete it: still damaged
	EXPECT_TRUE(m[2].valid);
}

TEST(GuestProcess, CapturesOutputAndStatus)
{
	auto r = run_process({"sh", "-c", "echo out; echo err >&2; exit 3"}, timed(std::chrono::seconds(10)));
	EXPECT_TRUE(r.started);
	EXPECT_EQ(r.exit_code, 3);
	EXPECT_EQ(r.output, "out\n");
	EXPECT_EQ(r.errors, "err\n");
	EXPECT_FALSE(r.ok());
}

TEST(GuestProcess, MissingProgramIsNotAStart)
{
	auto r = run_process({"/nonexistent/qemu-system-x86_64"}, timed(std::chrono::seconds(5)));
	EXPECT_FALSE(r.started);
	EXPECT_NE(r.start_error.find("No such file"), std::string::npos);
	EXPECT_FALSE(have_program("/nonexistent/qemu-system-x86_64"));
	EXPECT_TRUE(have_program("sh"));
}

TEST(GuestProcess, TimeoutKillsTheWholeGroup)
{
	TempDir t("proctest");
	auto pidfile = t / "grandchild.pid";
	auto start = std::chrono::steady_clock::now();
	// The grandchild ignores SIGTERM: only the SIGKILL after the grace ends it.
	auto opt = timed(std::chrono::milliseconds(500));
	opt.kill_grace = std::chrono::milliseconds(300);
	auto r = run_process(
		{"sh", "-c", "sh -c 'trap \"\" TERM; echo $$ > " + pidfile.string() + "; sleep 60' & sleep 60"}, opt);
	double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
	EXPECT_TRUE(r.timed_out);
	EXPECT_LT(s, 5.0);
	std::ifstream in(pidfile);
	int gpid = 0;
	in >> gpid;
	ASSERT_GT(gpid, 0);
	// Reaped by init eventually; it must at least be dead or a zombie now.
	for (int i = 0; i < 50 && kill(gpid, 0) == 0; i++) {
		std::ifstream st("/proc/" + std::to_string(gpid) + "/stat");
		std::string pid, comm, state;
		st >> pid >> comm >> state;
		if (state == "Z" || !st)
			break;
		usleep(20000);
	}
	std::ifstream st("/proc/" + std::to_string(gpid) + "/stat");
	std::string pid, comm, state;
	if (st >> pid >> comm >> state) {
		EXPECT_EQ(state, "Z") << "grandchild " << gpid << " survived the timeout";
	}
}

TEST(GuestProcess, StopRequestFromOutput)
{
	ProcOptions o = timed(std::chrono::seconds(20));
	o.on_output = [](std::string_view chunk) { return chunk.find("ready") == std::string_view::npos; };
	auto r = run_process({"sh", "-c", "echo ready; sleep 30"}, o);
	EXPECT_TRUE(r.stopped);
	EXPECT_LT(r.seconds, 10);
}

TEST(GuestKernel, RejectsMissingAndNonKernelFiles)
{
	EXPECT_THROW(resolve_kernel("/nonexistent/bzImage"), KernelError);
	EXPECT_THROW(resolve_kernel(""), KernelError);
	EXPECT_THROW(resolve_kernel("not a version!"), KernelError);
	TempDir t("kerneltest");
	{
		std::ofstream(t / "notakernel") << "hello, I am a text file\n";
	}
	try {
		resolve_kernel((t / "notakernel").string());
		FAIL() << "accepted a text file as kernel";
	} catch (const KernelError &e) {
		EXPECT_NE(std::string(e.what()).find("not an x86 Linux bzImage"), std::string::npos) << e.what();
		EXPECT_NE(std::string(e.what()).find("notakernel"), std::string::npos) << e.what();
	}
	{
		std::ofstream(t / "fake.deb") << "!<arch>\nnot really\n";
	}
	EXPECT_THROW(resolve_kernel((t / "fake.deb").string()), KernelError);
}

TEST(GuestKernel, ReadsReleaseFromBootHeader)
{
	// A synthetic header: "HdrS" at 0x202, version pointer at 0x20e.
	std::string img(0x1000, '\0');
	img.replace(0x202, 4, "HdrS");
	unsigned ptr = 0x300;
	img[0x20e] = char(ptr & 0xff);
	img[0x20f] = char(ptr >> 8);
	std::string ver = "6.1.0-56-amd64 (debian-kernel@lists.debian.org) #1 SMP";
	img.replace(0x200 + ptr, ver.size(), ver);
	TempDir t("kerneltest");
	{
		std::ofstream(t / "bzImage", std::ios::binary) << img;
	}
	EXPECT_EQ(bzimage_release(t / "bzImage"), "6.1.0-56-amd64");
	Kernel k = resolve_kernel((t / "bzImage").string());
	EXPECT_EQ(k.kind, KernelKind::bzimage);
	EXPECT_EQ(k.release, "6.1.0-56-amd64");
	EXPECT_EQ(k.signature, sha256_file(t / "bzImage"));
}

TEST(GuestKernel, ReleaseStringFarIntoTheImage)
{
	// Debian's signed images put the version string past the first 4 KiB.
	std::string img(0x8000, '\0');
	img.replace(0x202, 4, "HdrS");
	unsigned ptr = 0x3be0;
	img[0x20e] = char(ptr & 0xff);
	img[0x20f] = char(ptr >> 8);
	std::string ver = "6.12.117+deb12-amd64 (debian-kernel@lists.debian.org)";
	img.replace(0x200 + ptr, ver.size(), ver);
	TempDir t("kerneltest");
	{
		std::ofstream(t / "vmlinuz", std::ios::binary) << img;
	}
	EXPECT_EQ(bzimage_release(t / "vmlinuz"), "6.12.117+deb12-amd64");
}

TEST(GuestBoot, RunConfQuoting)
{
	auto s = shell_assignments({{"A", "it's $x"}, {"B", ""}});
	EXPECT_EQ(s, "A='it'\\''s $x'\nB=''\n");
}

TEST(GuestTempDir, RemovedOnScopeExit)
{
	fs::path p;
	{
		TempDir t("scope");
		p = t.path();
		std::ofstream(t / "f") << "x";
		EXPECT_TRUE(fs::exists(p / "f"));
	}
	EXPECT_FALSE(fs::exists(p));
}
