// A LAVA server through its REST API v0.2: submit (POST jobs/), follow
// (GET jobs/N/ for state and health, GET jobs/N/logs/?start=K for the log
// lines not read yet), stop (GET jobs/N/cancel/: a GET in LAVA 2023.01). Every request has a
// connect and a total time limit; the token goes in the Authorization
// header only, never into a message.
#include "lab/backend.h"

#include "util/interrupt.h"

#include <curl/curl.h>
#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <chrono>
#include <mutex>
#include <thread>

namespace pipehang::lab {

namespace {

using Clock = std::chrono::steady_clock;

struct Response {
	long status = 0;
	std::string body;
};

std::size_t collect(char *data, std::size_t size, std::size_t n, void *out)
{
	static_cast<std::string *>(out)->append(data, size * n);
	return size * n;
}

class LavaServer final : public LabBackend {
public:
	LavaServer(std::string url, std::string token) : base_(std::move(url)), token_(std::move(token))
	{
		static std::once_flag once;
		std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
		if (base_.empty() || base_.back() != '/')
			base_ += '/';
		check_token();
	}

	std::string where() const override { return base_; }

	LabJobEnd run(const LabJob &job) override
	{
		const auto t0 = Clock::now();
		const long id = submit(job);
		LabJobEnd end;
		end.id = fmt::format("{}scheduler/job/{}", base_, id);
		std::string partial, state;
		bool started = false, cancel_sent = false;
		const auto deadline = t0 + job.limit;
		Clock::time_point cancel_at{};
		while (true) {
			try {
				util::check_interrupted();
			} catch (...) {
				cancel(id); // nothing left running on the lab
				throw;
			}
			nlohmann::json j = get_json(fmt::format("api/v0.2/jobs/{}/", id));
			state = j.value("state", "");
			if (!started && (state == "Running" || state == "Finished" || state == "Canceling")) {
				started = true;
				end.queued_seconds = std::chrono::duration<double>(Clock::now() - t0).count();
			}
			std::string console = read_log(id, end.log, partial);
			// The watcher's clock is for the device, not for the queue.
			if (started && end.stopped.empty() && job.on_console)
				end.stopped = job.on_console(console);
			if (state == "Finished") {
				end.health = j.value("health", "");
				break;
			}
			if (end.stopped.empty() && Clock::now() > deadline)
				end.stopped = fmt::format("watchdog: LAVA job {} still {} after {} s", id, state,
							  job.limit.count());
			if (!end.stopped.empty() && !cancel_sent) {
				cancel(id);
				cancel_sent = true;
				cancel_at = Clock::now();
			}
			if (cancel_sent && Clock::now() - cancel_at > std::chrono::seconds(120))
				throw LabError(
					fmt::format("LAVA job {} did not end within 120 s of being canceled ({}); "
						    "see {}",
						    id, end.stopped, end.id));
			std::this_thread::sleep_for(std::chrono::seconds(1));
		}
		read_log(id, end.log, partial); // what came after the last poll
		if (!partial.empty())
			read_lava_log("\n", end.log, partial);
		end.seconds = std::chrono::duration<double>(Clock::now() - t0).count();
		return end;
	}

private:
	Response request(const std::string &method, const std::string &path, const std::string &body = {})
	{
		CURL *c = curl_easy_init();
		if (!c)
			throw LabError("libcurl: cannot make a handle");
		Response r;
		const std::string url = base_ + path;
		curl_slist *headers = nullptr;
		const std::string auth = "Authorization: Token " + token_;
		headers = curl_slist_append(headers, auth.c_str());
		headers = curl_slist_append(headers, "Accept: application/json");
		if (method == "POST")
			headers = curl_slist_append(headers, "Content-Type: application/json");
		curl_easy_setopt(c, CURLOPT_URL, url.c_str());
		curl_easy_setopt(c, CURLOPT_HTTPHEADER, headers);
		curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, collect);
		curl_easy_setopt(c, CURLOPT_WRITEDATA, &r.body);
		curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT, 10L);
		curl_easy_setopt(c, CURLOPT_TIMEOUT, 60L);
		curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
		if (method == "POST") {
			curl_easy_setopt(c, CURLOPT_POST, 1L);
			curl_easy_setopt(c, CURLOPT_POSTFIELDS, body.c_str());
			curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE, long(body.size()));
		}
		CURLcode rc = curl_easy_perform(c);
		if (rc == CURLE_OK)
			curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &r.status);
		curl_slist_free_all(headers);
		curl_easy_cleanup(c);
		if (rc != CURLE_OK)
			throw LabError(fmt::format("cannot reach the LAVA server {}: {} {}: {}", base_, method, path,
						   curl_easy_strerror(rc)));
		if (r.status == 401 || r.status == 403)
			throw LabError(fmt::format("the LAVA server {} refused the token (HTTP {} on {} {})", base_,
						   r.status, method, path));
		return r;
	}

	nlohmann::json get_json(const std::string &path)
	{
		Response r = request("GET", path);
		if (r.status != 200)
			throw LabError(fmt::format("LAVA server {}: GET {}: HTTP {}: {}", base_, path, r.status,
						   r.body.substr(0, 300)));
		try {
			return nlohmann::json::parse(r.body);
		} catch (const nlohmann::json::exception &) {
			throw LabError(fmt::format("LAVA server {}: GET {}: not JSON: {}", base_, path,
						   r.body.substr(0, 300)));
		}
	}

	// The server answers anonymous requests too; whoami tells whether the
	// token names a user.
	void check_token()
	{
		nlohmann::json j = get_json("api/v0.2/system/whoami/");
		if (j.is_null() || (j.is_object() && j.value("user", std::string()).empty()) ||
		    (j.is_string() && j.get<std::string>().empty()))
			throw LabError(fmt::format("the LAVA server {} does not know the token (whoami: {})", base_,
						   j.dump()));
	}

	long submit(const LabJob &job)
	{
		Response r = request("POST", "api/v0.2/jobs/", nlohmann::json{{"definition", job.definition}}.dump());
		if (r.status != 201 && r.status != 200)
			throw LabError(fmt::format("the LAVA server {} refused the job {}: HTTP {}: {}", base_,
						   job.name, r.status, r.body.substr(0, 2000)));
		try {
			auto j = nlohmann::json::parse(r.body);
			return j.at("job_ids").at(0).get<long>();
		} catch (const nlohmann::json::exception &) {
			throw LabError(fmt::format("the LAVA server {} accepted {} but named no job: {}", base_,
						   job.name, r.body.substr(0, 300)));
		}
	}

	// A cancel that does not take is reported by the bounded wait that
	// follows (the job does not finish).
	void cancel(long id)
	{
		try {
			request("GET", fmt::format("api/v0.2/jobs/{}/cancel/", id));
		} catch (const LabError &) {
		}
	}

	// New log lines since the last call; a job without a log yet has none.
	std::string read_log(long id, LavaLog &log, std::string &partial)
	{
		Response r =
			request("GET", fmt::format("api/v0.2/jobs/{}/logs/?start={}", id, log.lines + log.bad_lines));
		if (r.status == 404)
			return {};
		if (r.status != 200)
			throw LabError(fmt::format("LAVA server {}: the log of job {}: HTTP {}", base_, id, r.status));
		// Only whole lines count: a partial last line is asked for again.
		auto last = r.body.rfind('\n');
		if (last == std::string::npos)
			return {};
		r.body.resize(last + 1);
		return read_lava_log(r.body, log, partial);
	}

	std::string base_, token_;
};

} // namespace

std::unique_ptr<LabBackend> lava_server_backend(const std::string &url, const std::string &token)
{
	if (token.empty())
		throw LabError("no token for the LAVA server " + url +
			       " (--lab-token-file FILE, or PIPEHANG_LAVA_TOKEN in the environment)");
	return std::make_unique<LavaServer>(url, token);
}

} // namespace pipehang::lab
