// close mode: latency of close() on both ends of fresh pipes. The last
// close of a pipe runs pipe_release(), the function pipewatch watches.
#include "bench.h"

#include <errno.h>
#include <fcntl.h>
#include <unistd.h>

#include <cstdio>
#include <vector>

namespace pipebench {

int run_close(const Options &o)
{
	std::vector<double> run_medians;
	std::vector<double> lat;
	lat.reserve(std::size_t(o.iters) * 2);
	for (int i = 0; i < o.runs; i++) {
		lat.clear();
		for (int k = 0; k < o.iters; k++) {
			int fds[2];
			if (pipe2(fds, O_CLOEXEC)) {
				int err = errno;
				std::printf("{\"tool\":\"pipe-bench\",\"mode\":\"close\",\"failed_step\":\"pipe2\","
					    "\"errno\":%d,\"error\":\"%s\"}\n",
					    err, errno_name(err).c_str());
				return 1;
			}
			for (int end = 1; end >= 0; end--) {
				double t0 = now_ms();
				close(fds[end]);
				lat.push_back((now_ms() - t0) * 1e3);
			}
		}
		double m = median(lat);
		run_medians.push_back(m);
		std::printf(
			"{\"tool\":\"pipe-bench\",\"mode\":\"close\",\"run\":%d,\"closes\":%zu,\"median_us\":%.3f}\n",
			i, lat.size(), m);
	}
	std::printf("{\"tool\":\"pipe-bench\",\"mode\":\"close\",\"summary\":true,\"runs\":%d,\"median_us\":%.3f}\n",
		    o.runs, median(run_medians));
	return 0;
}

} // namespace pipebench
