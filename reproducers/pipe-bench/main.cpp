// repro-pipe-bench: pipe throughput / close() latency benchmark and the
// pipewatch positive control. See options.cpp (--help) and docs/pipewatch.md.
#include "bench.h"

int main(int argc, char **argv)
{
	pipebench::Options o;
	int rc = pipebench::parse_options(argc, argv, o);
	if (rc == 1)
		return 0;
	if (rc)
		return rc;
	if (o.mode == "throughput")
		return pipebench::run_throughput(o);
	if (o.mode == "close")
		return pipebench::run_close(o);
	return pipebench::run_hold_close(o);
}
