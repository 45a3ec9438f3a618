#include "process_runner.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <sstream>

#include "sys/clock.h"

namespace pipehang::testing {

std::vector<std::string> ProcessResult::out_lines() const
{
	std::vector<std::string> lines;
	std::istringstream in(out);
	std::string line;
	while (std::getline(in, line))
		if (!line.empty())
			lines.push_back(line);
	return lines;
}

ProcessResult run_process(const std::vector<std::string> &argv, const RunOptions &options)
{
	ProcessResult result;
	int out_pipe[2], err_pipe[2];
	if (::pipe2(out_pipe, O_CLOEXEC) < 0)
		return result;
	if (::pipe2(err_pipe, O_CLOEXEC) < 0) {
		::close(out_pipe[0]);
		::close(out_pipe[1]);
		return result;
	}
	std::vector<char *> args;
	for (const std::string &a : argv)
		args.push_back(const_cast<char *>(a.c_str()));
	args.push_back(nullptr);
	const double start = sys::monotonic_ms();
	pid_t pid = ::fork();
	if (pid == 0) {
		if (!options.cgroup_procs.empty()) {
			int fd = ::open(options.cgroup_procs.c_str(), O_WRONLY | O_CLOEXEC);
			if (fd < 0 || ::write(fd, "0", 1) != 1)
				::_exit(121);
			::close(fd);
		}
		::dup2(out_pipe[1], STDOUT_FILENO);
		::dup2(err_pipe[1], STDERR_FILENO);
		::execvp(args[0], args.data());
		::_exit(127);
	}
	::close(out_pipe[1]);
	::close(err_pipe[1]);
	if (pid < 0) {
		::close(out_pipe[0]);
		::close(err_pipe[0]);
		return result;
	}
	const double deadline = start + options.timeout_s * 1000.0;
	bool killed = false;
	struct pollfd fds[2] = {{out_pipe[0], POLLIN, 0}, {err_pipe[0], POLLIN, 0}};
	int open_fds = 2;
	while (open_fds > 0) {
		double left = deadline - sys::monotonic_ms();
		if (left <= 0 && !killed) {
			::kill(pid, SIGKILL);
			killed = true;
			result.timed_out = true;
		}
		// After the kill, drain for at most 10 more seconds: a task stuck in
		// the kernel keeps the pipes open until the kernel releases it.
		if (killed && left < -10000)
			break;
		int ready = ::poll(fds, 2, killed ? 100 : static_cast<int>(left < 100 ? left + 1 : 100));
		if (ready < 0 && errno != EINTR)
			break;
		for (int i = 0; i < 2; ++i) {
			if (fds[i].fd < 0 || !(fds[i].revents & (POLLIN | POLLHUP | POLLERR)))
				continue;
			char buf[4096];
			ssize_t n = ::read(fds[i].fd, buf, sizeof buf);
			if (n > 0) {
				(i == 0 ? result.out : result.err).append(buf, static_cast<std::size_t>(n));
			} else if (n == 0 || errno != EINTR) {
				::close(fds[i].fd);
				fds[i].fd = -1;
				--open_fds;
			}
		}
	}
	for (auto &f : fds)
		if (f.fd >= 0)
			::close(f.fd);
	int status = 0;
	if (!killed) {
		// Output closed: the child is exiting. Still bound the wait.
		for (;;) {
			pid_t r = ::waitpid(pid, &status, WNOHANG);
			if (r == pid)
				break;
			if (sys::monotonic_ms() > deadline) {
				::kill(pid, SIGKILL);
				result.timed_out = true;
				killed = true;
				break;
			}
			sys::sleep_ms(2);
		}
	}
	if (killed) {
		const double reap_deadline = sys::monotonic_ms() + 15000;
		while (::waitpid(pid, &status, WNOHANG) != pid && sys::monotonic_ms() < reap_deadline)
			sys::sleep_ms(10);
	}
	result.elapsed_ms = sys::monotonic_ms() - start;
	if (WIFEXITED(status))
		result.exit_code = WEXITSTATUS(status);
	else if (WIFSIGNALED(status))
		result.signal = WTERMSIG(status);
	return result;
}

bool run_command(const std::vector<std::string> &argv, double timeout_s, std::string *why)
{
	RunOptions options;
	options.timeout_s = timeout_s;
	ProcessResult r = run_process(argv, options);
	if (r.exit_code == 0 && !r.timed_out)
		return true;
	if (why) {
		*why += argv[0] + " failed (exit " + std::to_string(r.exit_code) + (r.timed_out ? ", timed out" : "") +
			"): " + r.err;
	}
	return false;
}

} // namespace pipehang::testing
