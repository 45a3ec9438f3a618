# The real bug, seen from the holder: on a kernel with the zero-length-bvec
# bug (the replay fixture's replay-v5.6, which the debug kernel is built
# from) the splicer spins in iov_iter_alignment() holding pipe->mutex and
# its closer blocks in pipe_release(). pipewatch must name the splicer as
# holder_state=running with its live stack. The splice never returns: the
# script does not wait for it, and the VM powers off around it.
mkdir -p /mnt/ext4/spin || exit 3
/bin/repro-splice-dio --dir /mnt/ext4/spin --fill gap --close-delay-ms 200 --time-limit 600 &
# Until pipewatch has named the holder (bounded: the debug kernel under
# TCG takes ~20 s to get there).
i=0
while ! dmesg | grep -q 'pipewatch: event=pipe_wait' && [ $i -lt 90 ]; do
	sleep 1
	i=$((i + 1))
done
sleep 2
echo "PWTEST spin-checked after $i s"
exit 0
