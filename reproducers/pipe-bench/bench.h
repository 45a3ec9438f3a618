// repro-pipe-bench: shared declarations. The program measures what
// pipewatch.ko could slow down (pipe throughput, close() latency) and
// drives the module's positive control (the debugfs `hold` knob).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace pipebench {

struct Options {
	std::string mode; // throughput | close | hold-close
	int runs = 5;
	std::uint64_t mb = 64;     // throughput: data per run
	std::size_t chunk = 65536; // throughput: bytes per write()
	int threads = 2;           // throughput: 2 = writer+reader, 1 = ping-pong
	int iters = 2000;          // close: pipes per run
	unsigned hold_ms = 3000;   // hold-close: how long the module holds
	unsigned settle_ms = 300;  // hold-close: wait for the holder to lock
	std::string hold_path = "/sys/kernel/debug/pipewatch/hold";
};

// Returns 0 to run, 1 when --help was printed, 2 on a usage error
// (message already printed).
int parse_options(int argc, char **argv, Options &o);

double now_ms();
double median(std::vector<double> v);
std::string errno_name(int err);

int run_throughput(const Options &o);
int run_close(const Options &o);
int run_hold_close(const Options &o);

} // namespace pipebench
