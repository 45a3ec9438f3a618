# The real bug class, no injection: on a write-throttled virtio disk,
# repro-splice-dio splices a pipe into an O_DIRECT ext4 file (holding
# pipe->mutex for seconds) while its ph-close thread closes the write
# end. pipewatch must name the splice thread as the holder.
mkdir -p /mnt/ext4/splice || exit 3
# --fill pages: the slow-disk hold alone, the same on every kernel (a kernel
# with the zero-length-bvec bug would spin instead: see spin.sh).
/bin/repro-splice-dio --dir /mnt/ext4/splice --size 6M --iterations 2 --time-limit 300 --fill pages
