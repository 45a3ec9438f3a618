// Classifier throughput: reads one console log, classifies it several times
// and prints MB/s (best and median) and what it found. Built and run by
// bench/classifier.sh; prints measurements only, passes or fails nothing.
#include "report/classifier.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

int main(int argc, char **argv)
{
	if (argc < 2) {
		std::fprintf(stderr, "usage: %s LOG [REPETITIONS]\n", argv[0]);
		return 2;
	}
	std::ifstream in(argv[1], std::ios::binary);
	if (!in) {
		std::fprintf(stderr, "classifier_bench: cannot read %s\n", argv[1]);
		return 2;
	}
	std::stringstream ss;
	ss << in.rdbuf();
	const std::string log = ss.str();
	int reps = argc > 2 ? std::max(1, std::atoi(argv[2])) : 5;
	double mb = static_cast<double>(log.size()) / 1e6;

	std::vector<double> rates;
	size_t reports = 0;
	std::map<std::string, size_t> kinds;
	for (int i = 0; i < reps; i++) {
		auto t0 = std::chrono::steady_clock::now();
		auto found = pipehang::report::classify(log);
		double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
		rates.push_back(mb / s);
		reports = found.size();
		if (i == 0)
			for (const auto &r : found)
				kinds[std::string(pipehang::report::to_string(r.type))]++;
		std::printf("  run %d: %.2f s, %.1f MB/s\n", i + 1, s, mb / s);
	}
	std::sort(rates.begin(), rates.end());
	std::printf("classifier throughput: %.1f MB log, %d runs: median %.1f MB/s, best %.1f MB/s, %zu reports\n", mb,
		    reps, rates[rates.size() / 2], rates.back(), reports);
	std::printf("reports by type:");
	for (const auto &[k, n] : kinds)
		std::printf(" %s=%zu", k.c_str(), n);
	// A 115200-baud serial console carries at most 11.52 KB/s.
	std::printf("\nvs a 115200-baud serial console (0.01152 MB/s): %.0fx faster\n",
		    rates[rates.size() / 2] / 0.01152);
	return 0;
}
