// The bisect driver's view of a git work tree, through the git CLI. Any
// history, merges included: the bisection itself is git's (git_bisect.h).
#pragma once

#include "bisect/git_text.h"
#include "bisect/seams.h"

#include <filesystem>
#include <string>
#include <vector>

namespace pipehang::bisect {

class GitRepo : public Repo {
public:
	// Throws GitError when `dir` is not a git work tree.
	explicit GitRepo(std::filesystem::path dir);

	Commit resolve(const std::string &rev) override;
	bool is_ancestor(const Commit &a, const Commit &b) override;
	std::vector<Commit> parents_of(const Commit &c) override;
	void checkout(const Commit &c) override;
	std::string patch(const Commit &c) override;
	std::optional<Commit> revert_on(const Commit &base, const Commit &culprit) override;
	std::vector<TaggedCommit> tags_before(const Commit &c) override;
	std::optional<Ancestor> first_parent_ancestor(const Commit &c, int distance) override;
	std::unique_ptr<BisectEngine> bisect_engine() override;

	// A git bisection is in progress in the tree (pipehang will not start).
	bool bisect_in_progress();

	// Tracked files with uncommitted changes (checkouts would clobber them).
	std::vector<std::string> dirty_files();
	// What HEAD is now (branch name, or commit id when detached), and back.
	std::string current_head();
	void restore_head(const std::string &head);

	const std::filesystem::path &dir() const { return dir_; }

private:
	std::string git(const std::vector<std::string> &args);
	std::filesystem::path dir_;
};

} // namespace pipehang::bisect
