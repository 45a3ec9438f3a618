// hold-close mode: the positive control for pipewatch.ko. The module is
// asked (debugfs `hold`, "<fd> <ms>") to hold the pipe's mutex through
// the READ end we keep open; we then close() the WRITE end, which blocks
// in pipe_release() until the hold ends. We print how long it blocked;
// the module's record must name us (pid) as the waiter.
#include "bench.h"

#include <errno.h>
#include <fcntl.h>
#include <unistd.h>

#include <cstdio>
#include <string>

namespace pipebench {
namespace {

int fail(const char *step, int err)
{
	std::printf("{\"tool\":\"pipe-bench\",\"mode\":\"hold-close\",\"failed_step\":\"%s\",\"errno\":%d,\"error\":\"%"
		    "s\"}\n",
		    step, err, errno_name(err).c_str());
	return 1;
}

} // namespace

int run_hold_close(const Options &o)
{
	int fds[2];
	if (pipe(fds))
		return fail("pipe", errno);
	int knob = open(o.hold_path.c_str(), O_WRONLY | O_CLOEXEC);
	if (knob < 0)
		return fail("open_hold", errno);
	std::string req = std::to_string(fds[0]) + " " + std::to_string(o.hold_ms) + "\n";
	if (write(knob, req.data(), req.size()) != ssize_t(req.size())) {
		int err = errno;
		close(knob);
		return fail("write_hold", err);
	}
	close(knob);
	usleep(o.settle_ms * 1000);
	// A kernel-log line right before close(): the test measures how long
	// pipewatch took to report from the log's own timestamps.
	int kmsg = open("/dev/kmsg", O_WRONLY | O_CLOEXEC);
	if (kmsg >= 0) {
		std::string line = "pipe-bench: hold-close pid=" + std::to_string(getpid()) + " closing write end\n";
		if (write(kmsg, line.data(), line.size()) < 0) {
			// Only a timing aid: the measurement below still runs.
		}
		close(kmsg);
	}
	double t0 = now_ms();
	close(fds[1]);
	double ms = now_ms() - t0;
	close(fds[0]);
	std::printf("{\"tool\":\"pipe-bench\",\"mode\":\"hold-close\",\"pid\":%d,\"hold_ms\":%u,\"settle_ms\":%u,"
		    "\"close_start_ms\":%.1f,\"close_ms\":%.1f}\n",
		    getpid(), o.hold_ms, o.settle_ms, t0, ms);
	return 0;
}

} // namespace pipebench
