# Checks for guest/spin.sh: LOG is the console, RC the script status.
# shellcheck source=../lib.sh
. "$(dirname "$0")/../lib.sh"
log=$1
[ "$2" = 0 ] || fail "guest script exit status $2"
assert_booted_with_module "$log"
grep -q '^PWTEST spin-checked' "$log" || fail "the guest script did not get past the spin (no second CPU?)"
rec=$(grep 'pipewatch: event=pipe_wait .* waiter=ph-close/' "$log" | head -n 1)
[ -n "$rec" ] || fail "no pipe_wait record for the closer: is this a kernel with the zero-length-bvec bug?"
id=$(field "$rec" id)
[ "$(field "$rec" func)" = pipe_release ] || fail "record $id: func=$(field "$rec" func), want pipe_release"
case $(field "$rec" holder) in ph-splice-0/*) ;; *) fail "record $id: holder=$(field "$rec" holder), want ph-splice-0/..." ;; esac
[ "$(field "$rec" holder_state)" = running ] || fail "record $id: holder_state=$(field "$rec" holder_state), want running"
# The top frame may be a sanitizer check called from the spinning loop
# (KASAN's __asan_load*, KCOV's __sanitizer_cov_*): step over those.
top=$(section "$log" "$id" holder | grep -vE ' (__asan_|__kasan_|kasan_|__sanitizer_cov_|check_memory_region)' | head -n 1)
echo "$top" | grep -q ' iov_iter_alignment+' || fail "record $id: the live stack's top frame is not iov_iter_alignment: $top"
section "$log" "$id" holder | grep -q ' iter_file_splice_write+' || fail "record $id: holder stack lacks iter_file_splice_write"
section "$log" "$id" waiter | grep -q ' pipe_release+' || fail "record $id: waiter stack lacks pipe_release"
pass "record $id: holder $(field "$rec" holder) running, live stack topped by iov_iter_alignment under iter_file_splice_write"
assert_no_kernel_errors "$log"
