#include "bisect/local_pool.h"

#include "util/process.h"
#include "util/sha256.h"
#include "util/temp_dir.h"

#include <fmt/format.h>

namespace pipehang::bisect {

namespace fs = std::filesystem;

namespace {

// The bisected tree itself, as worker 1.
class HomeWorker : public Worker {
public:
	HomeWorker(Repo &repo, Oracle &oracle) : repo_(repo), oracle_(oracle) {}
	std::string name() const override { return "worker 1"; }
	void checkout(const Commit &c) override { repo_.checkout(c); }
	Oracle &oracle() override { return oracle_; }

private:
	Repo &repo_;
	Oracle &oracle_;
};

// A worktree and the oracle on it.
class TreeWorker : public Worker {
public:
	TreeWorker(int n, const fs::path &dir, KernelOracleOptions o)
	    : name_(fmt::format("worker {}", n)), repo_(dir), oracle_(std::move(o))
	{
	}
	std::string name() const override { return name_; }
	void checkout(const Commit &c) override { repo_.checkout(c); }
	Oracle &oracle() override { return oracle_; }

private:
	std::string name_;
	GitRepo repo_;
	KernelOracle oracle_;
};

util::ProcResult git(const std::vector<std::string> &args, std::chrono::seconds limit)
{
	std::vector<std::string> argv = {"git"};
	argv.insert(argv.end(), args.begin(), args.end());
	return util::run_process(argv, util::timed(limit));
}

// Makes worker N's worktree unless a usable one is there.
fs::path ensure_worktree(const GitRepo &repo, int n, const LogFn &log)
{
	fs::path dir = worker_tree_path(repo.dir(), n);
	if (git({"-C", dir.string(), "rev-parse", "--is-inside-work-tree"}, std::chrono::seconds(60)).ok())
		return dir;
	// A worktree whose directory was removed is still registered: prune.
	git({"-C", repo.dir().string(), "worktree", "prune"}, std::chrono::seconds(60));
	std::error_code ec;
	fs::remove_all(dir, ec);
	fs::create_directories(dir.parent_path(), ec);
	log(fmt::format("worker {}: making a worktree of {} in {} (a full checkout, once)", n, repo.dir().string(),
			dir.string()));
	auto r = git({"-C", repo.dir().string(), "worktree", "add", "--detach", "--force", dir.string(), "HEAD"},
		     std::chrono::minutes(30));
	if (!r.ok())
		throw GitError(fmt::format("cannot make worker {}'s worktree {} ({}): {}", n, dir.string(),
					   r.describe(), r.errors));
	return dir;
}

} // namespace

fs::path worker_tree_path(const fs::path &tree, int n)
{
	fs::path abs = fs::absolute(tree).lexically_normal();
	std::string key = util::sha256_hex(abs.string()).substr(0, 12);
	return util::cache_root() / "worktrees" / fmt::format("{}-{}", abs.filename().string(), key) /
	       fmt::format("worker-{}", n);
}

Workers local_pool(GitRepo &repo, Oracle &first, const KernelOracleOptions &base, int k, const LogFn &log)
{
	Workers w;
	w.push_back(std::make_unique<HomeWorker>(repo, first));
	for (int n = 2; n <= k; n++) {
		KernelOracleOptions o = base;
		o.tree = ensure_worktree(repo, n, log);
		if (base.progress)
			o.progress = [p = base.progress, n](std::string_view l) {
				p(fmt::format("[worker {}] {}", n, l));
			};
		const fs::path dir = o.tree; // before o is moved from
		w.push_back(std::make_unique<TreeWorker>(n, dir, std::move(o)));
	}
	return w;
}

} // namespace pipehang::bisect
