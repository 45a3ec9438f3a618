// throughput mode: one writer thread, one reader, one pipe; MiB/s per run.
#include "bench.h"

#include <errno.h>
#include <unistd.h>

#include <cstdio>
#include <thread>
#include <vector>

namespace pipebench {
namespace {

int fail(const char *step, int err)
{
	std::printf("{\"tool\":\"pipe-bench\",\"mode\":\"throughput\",\"failed_step\":\"%s\",\"errno\":%d,\"error\":\"%"
		    "s\"}\n",
		    step, err, errno_name(err).c_str());
	return 1;
}

// One thread: write a chunk, read it back; pipe capacity is never
// exceeded, so nothing sleeps and only the syscall paths are measured.
double one_run_single(std::uint64_t total, std::size_t chunk, const char **step)
{
	int fds[2];
	if (pipe(fds)) {
		*step = "pipe";
		return -errno;
	}
	std::vector<char> buf(chunk, 'p');
	double t0 = now_ms();
	int err = 0;
	for (std::uint64_t left = total; left && !err;) {
		std::size_t n = left < chunk ? left : chunk;
		ssize_t w = write(fds[1], buf.data(), n);
		if (w <= 0) {
			*step = "write";
			err = w < 0 ? errno : EIO;
			break;
		}
		for (ssize_t got = 0; got < w;) {
			ssize_t r = read(fds[0], buf.data(), std::size_t(w - got));
			if (r <= 0) {
				*step = "read";
				err = r < 0 ? errno : EIO;
				break;
			}
			got += r;
		}
		left -= std::uint64_t(w);
	}
	double ms = now_ms() - t0;
	close(fds[0]);
	close(fds[1]);
	return err ? -err : ms;
}

// Moves total bytes through a fresh pipe; returns elapsed ms or -errno.
double one_run(std::uint64_t total, std::size_t chunk, const char **step)
{
	int fds[2];
	if (pipe(fds)) {
		*step = "pipe";
		return -errno;
	}
	int werr = 0;
	std::thread writer([&] {
		std::vector<char> buf(chunk, 'p');
		std::uint64_t left = total;
		while (left) {
			std::size_t n = left < chunk ? left : chunk;
			ssize_t w = write(fds[1], buf.data(), n);
			if (w < 0) {
				if (errno == EINTR)
					continue;
				werr = errno;
				break;
			}
			left -= std::uint64_t(w);
		}
		close(fds[1]);
	});
	std::vector<char> buf(1 << 20);
	double t0 = now_ms();
	std::uint64_t got = 0;
	int rerr = 0;
	for (;;) {
		ssize_t r = read(fds[0], buf.data(), buf.size());
		if (r == 0)
			break;
		if (r < 0) {
			if (errno == EINTR)
				continue;
			rerr = errno;
			break;
		}
		got += std::uint64_t(r);
	}
	double ms = now_ms() - t0;
	writer.join();
	close(fds[0]);
	if (werr || rerr || got != total) {
		*step = werr ? "write" : "read";
		return -(werr ? werr : rerr ? rerr : EIO);
	}
	return ms;
}

} // namespace

int run_throughput(const Options &o)
{
	std::vector<double> rates;
	std::uint64_t total = o.mb << 20;
	for (int i = 0; i < o.runs; i++) {
		const char *step = "";
		double ms = o.threads == 1 ? one_run_single(total, o.chunk, &step) : one_run(total, o.chunk, &step);
		if (ms < 0)
			return fail(step, int(-ms));
		double rate = double(o.mb) / (ms / 1e3);
		rates.push_back(rate);
		std::printf("{\"tool\":\"pipe-bench\",\"mode\":\"throughput\",\"run\":%d,\"mb\":%llu,\"chunk\":%zu,"
			    "\"threads\":%d,\"ms\":%.3f,\"mb_per_s\":%.2f}\n",
			    i, (unsigned long long)o.mb, o.chunk, o.threads, ms, rate);
	}
	std::printf("{\"tool\":\"pipe-bench\",\"mode\":\"throughput\",\"summary\":true,\"threads\":%d,\"runs\":%d,"
		    "\"median_mb_per_s\":%.2f}\n",
		    o.threads, o.runs, median(rates));
	return 0;
}

} // namespace pipebench
