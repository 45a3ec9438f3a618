// The bisect driver's view of a git work tree, through the git CLI.
// Linear histories only (the fixture, and most stable-branch ranges): a
// range with merge commits is refused with a clear error.
#pragma once

#include "bisect/session.h"

#include <filesystem>
#include <string>
#include <vector>

namespace pipehang::bisect {

struct GitError : std::runtime_error {
	using std::runtime_error::runtime_error;
};

class GitRepo : public Repo {
public:
	// Throws GitError when `dir` is not a git work tree.
	explicit GitRepo(std::filesystem::path dir);

	Commit resolve(const std::string &rev) override;
	std::vector<Commit> range(const Commit &good, const Commit &bad) override;
	Commit parent_of(const Commit &c) override;
	void checkout(const Commit &c) override;
	std::string patch(const Commit &c) override;
	std::optional<Commit> revert_on(const Commit &base, const Commit &culprit) override;
	std::vector<TaggedCommit> tags_before(const Commit &c) override;
	std::optional<Ancestor> first_parent_ancestor(const Commit &c, int distance) override;

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
