// SPDX-License-Identifier: GPL-2.0
/*
 * pipewatch: /sys/kernel/debug/pipewatch/.
 *
 *   stats              read: counters, longest wait/hold, wait histogram
 *   reset              write "1": zero the statistics
 *   wait_threshold_ms  read/write, PW_WAIT_MIN_MS..PW_WAIT_MAX_MS
 *   hung_threshold_ms  read/write, 0 (off) or PW_HUNG_MIN_MS..PW_HUNG_MAX_MS
 *   hold               write "<fd> <ms> [spin]": positive control (pw_hold.c);
 *                      read: holds in progress
 *
 * Every write is validated as a whole before anything changes; a bad
 * write returns -EINVAL (or -EBADF/-EBUSY for hold) and changes nothing.
 * Files are root-only (0600) and writes also require CAP_SYS_ADMIN.
 */
#define pr_fmt(fmt) "pipewatch: " fmt

#include <linux/debugfs.h>
#include <linux/seq_file.h>
#include <linux/uaccess.h>
#include <linux/capability.h>
#include <linux/string.h>
#include "pipewatch.h"

#define PW_WRITE_MAX	32

static struct dentry *pw_dir;

struct pw_knob {
	unsigned int *val;
	unsigned int min;
	unsigned int max;
	bool zero_ok;
};

static struct pw_knob pw_wait_knob = {
	.val = &pw_wait_threshold_ms,
	.min = PW_WAIT_MIN_MS,
	.max = PW_WAIT_MAX_MS,
};

static struct pw_knob pw_hung_knob = {
	.val = &pw_hung_threshold_ms,
	.min = PW_HUNG_MIN_MS,
	.max = PW_HUNG_MAX_MS,
	.zero_ok = true,
};

/* Copy a short write into @buf, NUL-terminated and stripped. */
static int pw_copy_write(const char __user *ubuf, size_t count, char *buf)
{
	if (!capable(CAP_SYS_ADMIN))
		return -EPERM;
	if (count == 0 || count >= PW_WRITE_MAX)
		return -EINVAL;
	if (copy_from_user(buf, ubuf, count))
		return -EFAULT;
	buf[count] = '\0';
	strim(buf);
	return 0;
}

static int pw_knob_show(struct seq_file *m, void *v)
{
	struct pw_knob *k = m->private;

	seq_printf(m, "%u\n", READ_ONCE(*k->val));
	return 0;
}

static int pw_knob_open(struct inode *inode, struct file *file)
{
	return single_open(file, pw_knob_show, inode->i_private);
}

static ssize_t pw_knob_write(struct file *file, const char __user *ubuf,
			     size_t count, loff_t *ppos)
{
	struct pw_knob *k = ((struct seq_file *)file->private_data)->private;
	char buf[PW_WRITE_MAX];
	unsigned int v;
	int ret;

	ret = pw_copy_write(ubuf, count, buf);
	if (ret)
		return ret;
	if (kstrtouint(buf, 10, &v))
		return -EINVAL;
	if (!(v == 0 && k->zero_ok) && (v < k->min || v > k->max))
		return -EINVAL;
	WRITE_ONCE(*k->val, v);
	return count;
}

static const struct file_operations pw_knob_fops = {
	.owner		= THIS_MODULE,
	.open		= pw_knob_open,
	.read		= seq_read,
	.write		= pw_knob_write,
	.llseek		= seq_lseek,
	.release	= single_release,
};

/* The statistics (pw_stats.c) and the thresholds, one "name value" a line. */
static int pw_stats_show(struct seq_file *m, void *v)
{
	struct pw_stats_snap s;
	int b;

	pw_stats_read(&s);
	seq_printf(m, "events %llu\n", s.pipe_wait_events + s.hung_task_events);
	seq_printf(m, "pipe_wait_events %llu\n", s.pipe_wait_events);
	seq_printf(m, "hung_task_events %llu\n", s.hung_task_events);
	seq_printf(m, "suppressed %llu\n", s.suppressed);
	seq_printf(m, "longest_wait_ms %llu\n", s.longest_wait_ms);
	seq_printf(m, "longest_hold_ms %llu\n", s.longest_hold_ms);
	seq_printf(m, "untracked_waits %lu\n", s.untracked_waits);
	seq_printf(m, "running_stacks %llu\n", s.running_stacks);
	seq_printf(m, "wait_probe %s\n", s.wait_probe);
	seq_printf(m, "wait_threshold_ms %u\n", READ_ONCE(pw_wait_threshold_ms));
	seq_printf(m, "hung_threshold_ms %u\n", READ_ONCE(pw_hung_threshold_ms));
	seq_printf(m, "pipe_waits_over_%ums %llu\n", PW_SCAN_INTERVAL_MS,
		   s.pipe_waits);
	for (b = 0; b < PW_HIST_BUCKETS; b++) {
		if (b < PW_HIST_BUCKETS - 1)
			seq_printf(m, "wait_hist_lt_%ums %llu\n",
				   pw_hist_limits_ms[b], s.hist[b]);
		else
			seq_printf(m, "wait_hist_ge_%ums %llu\n",
				   pw_hist_limits_ms[b - 1], s.hist[b]);
	}
	return 0;
}

static int pw_stats_open(struct inode *inode, struct file *file)
{
	return single_open(file, pw_stats_show, NULL);
}

static const struct file_operations pw_stats_fops = {
	.owner		= THIS_MODULE,
	.open		= pw_stats_open,
	.read		= seq_read,
	.llseek		= seq_lseek,
	.release	= single_release,
};

static ssize_t pw_reset_write(struct file *file, const char __user *ubuf,
			      size_t count, loff_t *ppos)
{
	char buf[PW_WRITE_MAX];
	int ret;

	ret = pw_copy_write(ubuf, count, buf);
	if (ret)
		return ret;
	if (strcmp(buf, "1"))
		return -EINVAL;
	pw_stats_reset();
	return count;
}

static const struct file_operations pw_reset_fops = {
	.owner		= THIS_MODULE,
	.write		= pw_reset_write,
	.llseek		= noop_llseek,
};

static int pw_hold_open(struct inode *inode, struct file *file)
{
	return single_open(file, pw_hold_show, NULL);
}

/* "<fd> <ms>" or "<fd> <ms> spin", fields separated by blanks. */
static ssize_t pw_hold_write(struct file *file, const char __user *ubuf,
			     size_t count, loff_t *ppos)
{
	char buf[PW_WRITE_MAX];
	char *rest, *fd_str, *ms_str;
	bool spin = false;
	unsigned int ms;
	int fd, ret;

	ret = pw_copy_write(ubuf, count, buf);
	if (ret)
		return ret;
	rest = buf;
	fd_str = strsep(&rest, " \t");
	if (!rest)
		return -EINVAL;
	rest = skip_spaces(rest);
	ms_str = strsep(&rest, " \t");
	if (rest) {
		rest = skip_spaces(rest);
		if (strcmp(rest, "spin"))
			return -EINVAL;
		spin = true;
	}
	if (kstrtoint(fd_str, 10, &fd) || kstrtouint(ms_str, 10, &ms))
		return -EINVAL;
	ret = pw_hold_request(fd, ms, spin);
	return ret ? ret : count;
}

static const struct file_operations pw_hold_fops = {
	.owner		= THIS_MODULE,
	.open		= pw_hold_open,
	.read		= seq_read,
	.write		= pw_hold_write,
	.llseek		= seq_lseek,
	.release	= single_release,
};

int pw_debugfs_init(void)
{
	pw_dir = debugfs_create_dir("pipewatch", NULL);
	if (IS_ERR(pw_dir)) {
		pr_err("cannot create debugfs directory: %ld\n",
		       PTR_ERR(pw_dir));
		return PTR_ERR(pw_dir);
	}
	debugfs_create_file("stats", 0400, pw_dir, NULL, &pw_stats_fops);
	debugfs_create_file("reset", 0200, pw_dir, NULL, &pw_reset_fops);
	debugfs_create_file("wait_threshold_ms", 0600, pw_dir, &pw_wait_knob,
			    &pw_knob_fops);
	debugfs_create_file("hung_threshold_ms", 0600, pw_dir, &pw_hung_knob,
			    &pw_knob_fops);
	debugfs_create_file("hold", 0600, pw_dir, NULL, &pw_hold_fops);
	return 0;
}

void pw_debugfs_exit(void)
{
	debugfs_remove(pw_dir);
	pw_dir = NULL;
}
