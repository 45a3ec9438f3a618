// Command line of repro-pipe-bench: every flag is explained by --help.
#include "bench.h"

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>

namespace pipebench {
namespace {

const char kHelp[] = "usage: repro-pipe-bench MODE [flags]\n"
		     "Measures pipe costs that pipewatch.ko could add, and drives its\n"
		     "positive control. Prints one JSON object per line on stdout.\n"
		     "\n"
		     "modes:\n"
		     "  throughput   a writer thread pushes --mb MiB through a pipe in\n"
		     "               --chunk byte writes to a reader thread; MiB/s per run\n"
		     "  close        --iters times: pipe2() then close() both ends; median\n"
		     "               close() latency in microseconds per run\n"
		     "  hold-close   ask pipewatch (debugfs hold) to hold a new pipe's mutex\n"
		     "               for --hold-ms, then close() the write end and time it\n"
		     "\n"
		     "flags:\n"
		     "  --runs N       runs per mode, a median is printed at the end (default 5)\n"
		     "  --mb N         throughput: MiB per run (default 64)\n"
		     "  --chunk N      throughput: bytes per write, 1..1048576 (default 65536)\n"
		     "  --threads N    throughput: 2 = writer and reader threads (default), 1 =\n"
		     "                 one thread writes a chunk then reads it back (no\n"
		     "                 scheduling noise; --chunk must be <= 65536)\n"
		     "  --iters N      close: pipes per run (default 2000)\n"
		     "  --hold-ms N    hold-close: hold duration in ms, 1..60000 (default 3000)\n"
		     "  --settle-ms N  hold-close: pause before close() so the holder has the\n"
		     "                 mutex (default 300)\n"
		     "  --hold-path P  hold-close: the knob (default\n"
		     "                 /sys/kernel/debug/pipewatch/hold)\n"
		     "  --help         this text\n"
		     "\n"
		     "exit: 0 measured, 1 a system call failed (JSON error line), 2 usage\n";

bool parse_u64(const char *s, std::uint64_t lo, std::uint64_t hi, std::uint64_t &out)
{
	char *end = nullptr;
	errno = 0;
	unsigned long long v = std::strtoull(s, &end, 10);
	if (errno || !*s || *end || s[0] == '-' || v < lo || v > hi)
		return false;
	out = v;
	return true;
}

int usage(const std::string &msg)
{
	std::fprintf(stderr, "repro-pipe-bench: error: %s\nRun 'repro-pipe-bench --help' for the flags.\n",
		     msg.c_str());
	return 2;
}

} // namespace

int parse_options(int argc, char **argv, Options &o)
{
	for (int i = 1; i < argc; i++) {
		std::string a = argv[i];
		if (a == "--help" || a == "-h") {
			std::fputs(kHelp, stdout);
			return 1;
		}
		if (a.rfind("--", 0) != 0) {
			if (!o.mode.empty())
				return usage("unexpected argument '" + a + "'");
			o.mode = a;
			continue;
		}
		if (i + 1 >= argc)
			return usage("flag " + a + " needs a value");
		const char *v = argv[++i];
		std::uint64_t n = 0;
		auto num = [&](std::uint64_t lo, std::uint64_t hi) { return parse_u64(v, lo, hi, n); };
		if (a == "--runs" && num(1, 1000))
			o.runs = int(n);
		else if (a == "--mb" && num(1, 1 << 20))
			o.mb = n;
		else if (a == "--chunk" && num(1, 1 << 20))
			o.chunk = n;
		else if (a == "--threads" && num(1, 2))
			o.threads = int(n);
		else if (a == "--iters" && num(1, 10000000))
			o.iters = int(n);
		else if (a == "--hold-ms" && num(1, 60000))
			o.hold_ms = unsigned(n);
		else if (a == "--settle-ms" && num(0, 60000))
			o.settle_ms = unsigned(n);
		else if (a == "--hold-path")
			o.hold_path = v;
		else if (a == "--runs" || a == "--mb" || a == "--chunk" || a == "--iters" || a == "--threads" ||
			 a == "--hold-ms" || a == "--settle-ms")
			return usage("bad value '" + std::string(v) + "' for " + a);
		else
			return usage("unknown flag '" + a + "'");
	}
	if (o.threads == 1 && o.chunk > 65536)
		return usage("--threads 1 needs --chunk <= 65536 (the default pipe size)");
	if (o.mode != "throughput" && o.mode != "close" && o.mode != "hold-close")
		return usage(o.mode.empty() ? "missing MODE" : "unknown MODE '" + o.mode + "'");
	return 0;
}

} // namespace pipebench
