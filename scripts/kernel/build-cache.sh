# The kernel build cache (sourced by build-kernel.sh, in the tree, after
# the configuration is final). A bisection asks about the same revisions
# again and again: both modes of a bisection, the re-bisection after a
# false culprit, `git bisect run` after `pipehang bisect`, every test of a
# suite on one fixture. A clean git checkout is fully named by its source
# tree's id; with the same .config and compiler the build is the same
# (env.sh makes builds reproducible), so its results are kept once and
# given back instead of rebuilding.
#
# Kept per build: vmlinux (the bisection's kernel signature), the bzImage
# (what boots), Module.symvers and System.map (what an out-of-tree module
# build against the tree needs besides the sources and the generated
# headers, which depend on .config and on the release), and the release
# it was built as: a kept build is not given back over generated headers
# of another release (a checkout across a version bump), which would give
# pipewatch.ko a vermagic the kernel refuses. A build that made loadable
# modules of its own (a distro --config) is not kept: its .ko files would
# have to come back too.
#
# Restored files get an mtime of 1970, older than every object in the
# tree: the objects there are still those of the last real build, and
# the next real build must relink instead of taking the restored vmlinux
# for up to date. Sources changed since that build were rewritten by the
# checkouts, so make recompiles exactly them.
#
#   build_cache_key      sets $build_cache_dir (empty: no caching here)
#   build_cache_restore  0 when the results were restored
#   build_cache_store    keeps the results of the build just made
# Settings: PIPEHANG_BUILD_CACHE=0 turns it off; PIPEHANG_BUILD_CACHE_MAX
# builds are kept (default 64, about 20 MB each), the least recently used
# go first.

build_cache_files=(vmlinux arch/x86/boot/bzImage Module.symvers System.map)

build_cache_key() {
	build_cache_dir= tree_id=
	[ "${PIPEHANG_BUILD_CACHE:-1}" != 0 ] || return 0
	tree_id=$(git rev-parse -q --verify 'HEAD^{tree}' 2>/dev/null) || return 0
	# Local edits (a revert under test, a user's patch) are not in the id.
	[ -z "$(git status --porcelain --untracked-files=no 2>/dev/null)" ] || { tree_id=; return 0; }
	local key
	key=$( {
		echo "pipehang-build-cache-v1"
		echo "$tree_id"
		grep '^CONFIG_' .config
		gcc --version | head -n 1
		env | grep -E '^(KBUILD_BUILD_[A-Z]+|LOCALVERSION)=' | sort || true
	} | sha256sum | cut -c1-32)
	build_cache_dir=$PIPEHANG_CACHE/kernel-builds/$key
}

build_cache_restore() {
	[ -n "$build_cache_dir" ] && [ -f "$build_cache_dir/complete" ] || return 1
	# The generated headers are the last real build's: they hold its
	# release (utsrelease.h, the vermagic pipewatch.ko is built with), so a
	# kept build of another release (a checkout across a version bump) is
	# not given back over them: a real build regenerates them.
	if [ -f "$build_cache_dir/kernel.release" ] &&
	   ! cmp -s "$build_cache_dir/kernel.release" include/config/kernel.release; then
		echo "build-kernel: kept build of release $(cat "$build_cache_dir/kernel.release") not restored:" \
		     "the tree's generated headers are of release $(cat include/config/kernel.release 2>/dev/null || echo none)" >"$log"
		return 1
	fi
	local f
	for f in "${build_cache_files[@]}"; do
		mkdir -p "$(dirname "$f")"
		cp -f "$build_cache_dir/$(basename "$f")" "$f.pipehang-tmp" && mv -f "$f.pipehang-tmp" "$f" || return 1
		touch -d @0 "$f"
	done
	touch "$build_cache_dir"
	{
		echo "build-kernel: tree $tree_id restored from the build cache $build_cache_dir"
		cat "$build_cache_dir/built-by"
	} >"$log"
	: >pipehang-warnings.log
	return 0
}

build_cache_store() {
	[ -n "$build_cache_dir" ] || return 0
	# Loadable modules of the tree's own: not kept (see above).
	[ ! -s modules.order ] || return 0
	local root tmp f
	root=$(dirname "$build_cache_dir")
	mkdir -p "$root"
	tmp=$(mktemp -d "$root/.new.XXXXXX") || return 0
	for f in "${build_cache_files[@]}"; do
		cp "$f" "$tmp/" || { rm -rf "$tmp"; return 0; }
	done
	[ ! -f include/config/kernel.release ] || cp include/config/kernel.release "$tmp/kernel.release"
	echo "built at $(date -u +%FT%TZ) from tree $tree_id, commit $(git rev-parse HEAD)" >"$tmp/built-by"
	: >"$tmp/complete"
	# Atomic: a concurrent builder of the same tree keeps its own copy.
	mv -T "$tmp" "$build_cache_dir" 2>/dev/null || rm -rf "$tmp"
	# Keep the newest PIPEHANG_BUILD_CACHE_MAX builds.
	ls -1dt "$root"/*/ 2>/dev/null | tail -n +"$((${PIPEHANG_BUILD_CACHE_MAX:-64} + 1))" | xargs -r rm -rf
	return 0
}
