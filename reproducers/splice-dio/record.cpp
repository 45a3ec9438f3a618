#include "record.h"

#include <unistd.h>

#include <cerrno>
#include <cmath>
#include <mutex>
#include <nlohmann/json.hpp>

#include "sys/errno_name.h"

namespace pipehang::repro {

static double round_ms(double ms)
{
	return ms < 0 ? -1 : std::round(ms * 1000.0) / 1000.0;
}

std::string to_json_line(const IterationRecord &r)
{
	// ordered_json keeps the contract's fields first, in a stable order.
	nlohmann::ordered_json j;
	j["tool"] = "repro-splice-dio";
	j["iteration"] = r.iteration;
	j["entry"] = r.entry;
	j["entry_requested"] = r.entry_requested;
	j["fallback"] = r.fallback;
	j["exercised"] = r.exercised;
	j["splice_ms"] = round_ms(r.splice_ms);
	j["close_ms"] = round_ms(r.close_ms);
	j["open_ms"] = round_ms(r.open_ms);
	j["fill_ms"] = round_ms(r.fill_ms);
	j["total_ms"] = round_ms(r.total_ms);
	j["overlap"] = r.overlap;
	j["timed_out"] = r.timed_out;
	j["fs"] = r.fs;
	j["o_direct"] = r.o_direct;
	if (!r.uring_op.empty())
		j["uring_op"] = r.uring_op;
	j["splice_via"] = r.splice_via;
	j["size"] = r.size;
	j["pipe_size"] = r.pipe_size;
	j["fill"] = r.fill;
	j["data_bytes"] = r.data_bytes;
	if (r.fault_write) {
		j["fault_write_ret"] = r.fault_write_ret;
		j["fault_write_errno"] =
			r.fault_write_errno ? sys::errno_name(r.fault_write_errno) : std::string("none");
	}
	if (r.empty_buffer_kept >= 0)
		j["empty_buffer_kept"] = r.empty_buffer_kept == 1;
	else
		j["empty_buffer_kept"] = nullptr;
	j["bytes_spliced"] = r.bytes_spliced;
	j["file_bytes"] = r.file_bytes;
	j["page_cache_pages"] = r.page_cache_pages;
	j["threads"] = r.threads;
	j["fork"] = r.fork;
	j["deny"] = r.deny;
	j["pid"] = r.pid;
	j["splicer_tids"] = r.splicer_tids;
	j["closer_tid"] = r.closer_tid;
	if (!r.failed_step.empty()) {
		j["failed_step"] = r.failed_step;
		j["errno"] = r.err;
		j["error"] = r.err ? sys::errno_name(r.err) : std::string();
		j["reason_code"] = r.reason_code;
		j["reason"] = r.reason;
	}
	return j.dump();
}

void emit_line(const std::string &line)
{
	static std::mutex mu;
	std::lock_guard<std::mutex> lock(mu);
	std::string out = line + "\n";
	const char *p = out.data();
	std::size_t left = out.size();
	// write(2) directly: stdout may be a pipe to the guest console logger, and
	// a line must leave the process before a possible hang or _exit.
	while (left > 0) {
		ssize_t n = ::write(STDOUT_FILENO, p, left);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		p += n;
		left -= static_cast<std::size_t>(n);
	}
}

} // namespace pipehang::repro
