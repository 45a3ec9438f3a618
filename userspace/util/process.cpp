#include "util/process.h"

#include "util/interrupt.h"

#include <fmt/format.h>

#include <cerrno>
#include <csignal>
#include <cstring>
#include <fcntl.h>
#include <poll.h>
#include <stdexcept>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

namespace pipehang::util {

using Clock = std::chrono::steady_clock;

std::string ProcResult::describe() const
{
	if (!started)
		return "could not start: " + start_error;
	if (timed_out)
		return fmt::format("timed out after {:.0f} s", seconds);
	if (stopped)
		return "stopped";
	if (term_signal)
		return fmt::format("killed by signal {} ({})", term_signal, strsignal(term_signal));
	return fmt::format("exit status {}", exit_code);
}

namespace {

[[noreturn]] void exec_child(const std::vector<std::string> &argv, const ProcOptions &opt, int out_fd, int err_fd,
			     int report_fd)
{
	setpgid(0, 0);
	prctl(PR_SET_PDEATHSIG, SIGKILL);
	// The parent's handlers must not leak into tools we start.
	signal(SIGINT, SIG_DFL);
	signal(SIGTERM, SIG_DFL);
	signal(SIGHUP, SIG_DFL);
	signal(SIGPIPE, SIG_DFL);
	int devnull = open("/dev/null", O_RDONLY);
	dup2(devnull, 0);
	dup2(out_fd, 1);
	dup2(err_fd, 2);
	if (!opt.cwd.empty() && chdir(opt.cwd.c_str()) != 0) {
		int e = errno;
		(void)!write(report_fd, &e, sizeof e);
		_exit(127);
	}
	for (auto &[k, v] : opt.env)
		setenv(k.c_str(), v.c_str(), 1);
	std::vector<char *> args;
	for (auto &a : argv)
		args.push_back(const_cast<char *>(a.c_str()));
	args.push_back(nullptr);
	execvp(args[0], args.data());
	int e = errno;
	(void)!write(report_fd, &e, sizeof e);
	_exit(127);
}

// Kills the child's whole process group: SIGTERM, grace, SIGKILL.
void kill_group(pid_t pid, std::chrono::milliseconds grace, int &status)
{
	kill(-pid, SIGTERM);
	auto until = Clock::now() + grace;
	while (Clock::now() < until) {
		if (waitpid(pid, &status, WNOHANG) == pid) {
			kill(-pid, SIGKILL); // stragglers in the group
			return;
		}
		usleep(20000);
	}
	kill(-pid, SIGKILL);
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
	}
}

} // namespace

ProcResult run_process(const std::vector<std::string> &argv, const ProcOptions &opt)
{
	ProcResult r;
	if (argv.empty())
		throw std::invalid_argument("run_process: empty command");
	int out[2], err[2], rep[2];
	if (pipe2(out, O_CLOEXEC) || pipe2(err, O_CLOEXEC) || pipe2(rep, O_CLOEXEC))
		throw std::runtime_error(std::string("pipe: ") + strerror(errno));
	auto start = Clock::now();
	pid_t pid = fork();
	if (pid < 0)
		throw std::runtime_error(std::string("fork: ") + strerror(errno));
	if (pid == 0)
		exec_child(argv, opt, out[1], err[1], rep[1]);
	setpgid(pid, pid); // also from the parent: no race with an early kill
	close(out[1]);
	close(err[1]);
	close(rep[1]);

	int child_errno = 0;
	ssize_t n = read(rep[0], &child_errno, sizeof child_errno);
	close(rep[0]);
	if (n == sizeof child_errno) {
		int status;
		waitpid(pid, &status, 0);
		close(out[0]);
		close(err[0]);
		r.start_error = argv[0] + ": " + strerror(child_errno);
		return r;
	}
	r.started = true;

	auto deadline = start + opt.timeout;
	bool out_open = true, err_open = true;
	int status = 0;
	bool reaped = false;
	auto last_tick = Clock::now();
	char buf[65536];
	while (true) {
		if (!out_open && !err_open) {
			// Output closed: wait for the exit, still bounded.
			pid_t w = waitpid(pid, &status, WNOHANG);
			if (w == pid) {
				reaped = true;
				break;
			}
		}
		if (interrupted()) {
			kill_group(pid, opt.kill_grace, status);
			close(out[0]);
			close(err[0]);
			throw Interrupted(interrupted());
		}
		auto now = Clock::now();
		if (now >= deadline) {
			r.timed_out = true;
			break;
		}
		if (opt.on_tick && now - last_tick >= std::chrono::milliseconds(100)) {
			last_tick = now;
			if (!opt.on_tick()) {
				r.stopped = true;
				break;
			}
		}
		pollfd fds[2];
		int nfds = 0;
		if (out_open)
			fds[nfds++] = {out[0], POLLIN, 0};
		if (err_open)
			fds[nfds++] = {err[0], POLLIN, 0};
		if (nfds == 0) {
			usleep(20000);
			continue;
		}
		int pr = poll(fds, nfds, 100);
		if (pr <= 0)
			continue;
		bool stop = false;
		for (int i = 0; i < nfds; i++) {
			if (!(fds[i].revents & (POLLIN | POLLHUP | POLLERR)))
				continue;
			ssize_t got = read(fds[i].fd, buf, sizeof buf);
			if (got <= 0) {
				if (got < 0 && errno == EINTR)
					continue;
				if (fds[i].fd == out[0])
					out_open = false;
				else
					err_open = false;
				continue;
			}
			std::string_view chunk(buf, got);
			if (fds[i].fd == out[0]) {
				if (opt.keep_output && r.output.size() < opt.max_output)
					r.output.append(chunk.substr(0, opt.max_output - r.output.size()));
				if (opt.on_output && !opt.on_output(chunk))
					stop = true;
			} else {
				r.errors.append(chunk);
				if (r.errors.size() > 65536)
					r.errors.erase(0, r.errors.size() - 65536);
			}
		}
		if (stop) {
			r.stopped = true;
			break;
		}
	}
	if (!reaped)
		kill_group(pid, opt.kill_grace, status);
	else
		kill(-pid, SIGKILL); // nothing of its group survives it
	close(out[0]);
	close(err[0]);
	r.seconds = std::chrono::duration<double>(Clock::now() - start).count();
	if (WIFEXITED(status))
		r.exit_code = WEXITSTATUS(status);
	else if (WIFSIGNALED(status) && !r.timed_out && !r.stopped)
		r.term_signal = WTERMSIG(status);
	return r;
}

std::string run_checked(const std::vector<std::string> &argv, const ProcOptions &opt)
{
	auto r = run_process(argv, opt);
	if (!r.ok()) {
		std::string cmd;
		for (auto &a : argv)
			cmd += (cmd.empty() ? "" : " ") + a;
		std::string err = r.errors;
		if (err.size() > 2000)
			err = "..." + err.substr(err.size() - 2000);
		while (!err.empty() && (err.back() == '\n' || err.back() == ' '))
			err.pop_back();
		throw std::runtime_error(
			fmt::format("'{}' failed ({}){}{}", cmd, r.describe(), err.empty() ? "" : ": ", err));
	}
	return r.output;
}

bool have_program(const std::string &program)
{
	if (program.find('/') != std::string::npos)
		return access(program.c_str(), X_OK) == 0;
	const char *path = getenv("PATH");
	std::string p = path ? path : "/usr/bin:/bin";
	size_t pos = 0;
	while (pos <= p.size()) {
		size_t end = p.find(':', pos);
		if (end == std::string::npos)
			end = p.size();
		std::string dir = p.substr(pos, end - pos);
		if (dir.empty())
			dir = ".";
		struct stat st;
		std::string full = dir + "/" + program;
		if (stat(full.c_str(), &st) == 0 && S_ISREG(st.st_mode) && access(full.c_str(), X_OK) == 0)
			return true;
		pos = end + 1;
	}
	return false;
}

} // namespace pipehang::util
