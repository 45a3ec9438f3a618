# Checks for guest/spin.sh: LOG is the console, RC the script status.
# shellcheck source=../lib.sh
. "$(dirname "$0")/../lib.sh"
log=$1
[ "$2" = 0 ] || fail "guest script exit status $2"
load_console "$log"
assert_booted_with_module
grep -q '^PWTEST spin-checked' "$log" || fail "the guest script did not get past the spin (no second CPU?)"
rec=$(records '.event == "pipe_wait" and (.fields.waiter // "" | startswith("ph-close/"))' | head -n 1)
[ -n "$rec" ] || fail "no pipe_wait record for the closer: is this a kernel with the zero-length-bvec bug?"
id=$(get "$rec" .id)
[ "$(rf "$rec" func)" = pipe_release ] || fail "record $id: func=$(rf "$rec" func), want pipe_release"
case $(rf "$rec" holder) in ph-splice-0/*) ;; *) fail "record $id: holder=$(rf "$rec" holder), want ph-splice-0/..." ;; esac
[ "$(rf "$rec" holder_state)" = running ] || fail "record $id: holder_state=$(rf "$rec" holder_state), want running"
# The top frame may be a sanitizer check called from the spinning loop
# (KASAN's __asan_load*, KCOV's __sanitizer_cov_*): step over those.
top=$(frames "$rec" holder | grep -vE '^(__asan_|__kasan_|kasan_|__sanitizer_cov_|check_memory_region)' | head -n 1)
[ "$top" = iov_iter_alignment ] || fail "record $id: the live stack's top frame is not iov_iter_alignment: $top"
has_frame "$rec" holder '^iter_file_splice_write$' || fail "record $id: holder stack lacks iter_file_splice_write"
has_frame "$rec" waiter '^pipe_release$' || fail "record $id: waiter stack lacks pipe_release"
pass "record $id: holder $(rf "$rec" holder) running, live stack topped by iov_iter_alignment under iter_file_splice_write"
assert_no_kernel_errors
