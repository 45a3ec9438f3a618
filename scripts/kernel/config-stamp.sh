# When `make olddefconfig` must run again in a tree that has a .config
# (sourced by build-kernel.sh, in the tree, with $cc, $mk and $log set).
#
# Only when Kconfig could now decide differently: .config is not the one
# it wrote last, the compiler changed, or a Kconfig file it read is newer
# than that run (the list kbuild keeps in include/config/auto.conf.cmd; a
# git checkout gives every file it changes a new mtime, which is what make
# itself relies on). A bisection step that touches no Kconfig saves a
# top-level make: ~7 s a step on the 2-core CI machine, build-cache
# restores included (they went from ~9 s to ~2 s).
#
#   config_is_current  0 when olddefconfig would change nothing
#   olddefconfig       runs it and stamps the result (.pipehang-olddefconfig)

olddefconfig_stamp() {
	{ sha256sum <.config; gcc --version | head -n 1; echo "$cc"; } | sha256sum | cut -d' ' -f1
}

config_is_current() {
	[ -f .pipehang-olddefconfig ] && [ -f include/config/auto.conf.cmd ] && [ -f include/config/auto.conf ] || return 1
	[ "$(olddefconfig_stamp)" = "$(cat .pipehang-olddefconfig)" ] || return 1
	local deps newer
	mapfile -t deps < <(sed -n 's/^\t\(.*\) \\$/\1/p' include/config/auto.conf.cmd)
	[ ${#deps[@]} -gt 0 ] || return 1
	# A Kconfig file gone (find fails) is a change too.
	newer=$(find "${deps[@]}" -newer .pipehang-olddefconfig -print -quit 2>/dev/null) || return 1
	[ -z "$newer" ]
}

olddefconfig() {
	"${mk[@]}" olddefconfig >>"$log" 2>&1
	olddefconfig_stamp >.pipehang-olddefconfig
}
