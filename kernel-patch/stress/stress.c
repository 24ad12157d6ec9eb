// SPDX-License-Identifier: GPL-2.0
/*
 * pipe_mmap_stress: the supervisor (see stress.h) and helpers shared by the
 * tests.
 *
 *   pipe_mmap_stress [-t SECONDS] [-s SCALE] [-S STALL] [-v] [-l] [NAME...]
 *
 * NAME is a test or a group (races, signals, resources, badinput,
 * security); none means all. -t: seconds each time-bounded test runs
 * (default 20); -s: multiplier for waits and limits (default 1; use 3 or
 * more under TCG, more on a KASAN kernel); -S: seconds without progress
 * that count as a hang (default 30 x SCALE); -l: list the tests.
 * Exit: 0 all passed, 1 a test failed, 2 usage, 4 the kernel has no
 * extended mmap() of pipes (nothing was run).
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/mman.h>
#include <sys/wait.h>

#include "stress.h"

struct st_shared *st_sh;
double st_seconds = 20;
double st_scale = 1;
int st_verbose;

static struct st_test *tests, **tests_tail = &tests;
static const struct st_test *current;
static double deadline;

void st_register(struct st_test *t)
{
	*tests_tail = t;
	tests_tail = &t->next;
}

double st_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

int st_running(void)
{
	return st_now() < deadline;
}

void st_fail(const char *fmt, ...)
{
	char msg[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	printf("FAIL %s (pid %d): %s\n", current ? current->name : "?",
	       getpid(), msg);
	fflush(stdout);
	_exit(1);
}

void st_summary(const char *fmt, ...)
{
	size_t n = strlen(st_sh->summary);
	va_list ap;

	if (n >= sizeof(st_sh->summary) - 2)
		return;
	if (n)
		st_sh->summary[n++] = ';', st_sh->summary[n++] = ' ';
	va_start(ap, fmt);
	vsnprintf(st_sh->summary + n, sizeof(st_sh->summary) - n, fmt, ap);
	va_end(ap);
}

void st_log(const char *fmt, ...)
{
	va_list ap;

	if (!st_verbose)
		return;
	va_start(ap, fmt);
	printf("  [%s] ", current ? current->name : "-");
	vprintf(fmt, ap);
	putchar('\n');
	va_end(ap);
	fflush(stdout);
}

void st_fill(unsigned char *b, uint64_t seed, uint64_t from, size_t n)
{
	for (size_t i = 0; i < n; i++)
		b[i] = st_pat(seed, from + i);
}

long st_check(const unsigned char *b, uint64_t seed, uint64_t from, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (b[i] != st_pat(seed, from + i))
			return (long)i;
	return -1;
}

void st_expect(const unsigned char *b, uint64_t seed, uint64_t from, size_t n,
	       const char *what)
{
	long i = st_check(b, seed, from, n);

	if (i >= 0)
		st_fail("%s: stream position %llu holds 0x%02x, expected 0x%02x",
			what, (unsigned long long)(from + i), b[i],
			st_pat(seed, from + i));
}

uint64_t st_rand(uint64_t *s)
{
	uint64_t x = *s;

	x ^= x << 13;
	x ^= x >> 7;
	x ^= x << 17;
	return *s = x;
}

uint64_t st_seed(void)
{
	return (uint64_t)(st_now() * 1e9) ^ ((uint64_t)getpid() << 32) ^ 0x5bd1e995;
}

void st_sleep_us(long us)
{
	struct timespec ts = { us / 1000000, (us % 1000000) * 1000 };

	nanosleep(&ts, NULL);
}

void st_pipe(int fds[2], int flags, size_t size)
{
	if (pipe2(fds, flags))
		st_fail("pipe2: %s", strerror(errno));
	if (size && fcntl(fds[0], F_SETPIPE_SZ, (int)size) < 0)
		st_fail("F_SETPIPE_SZ %zu: %s", size, strerror(errno));
}

void *st_claim(int rfd, size_t len)
{
	return mmap(NULL, len, PROT_READ, MAP_SHARED, rfd, 0);
}

void *st_window(int wfd, size_t len)
{
	return mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_SHARED, wfd, 0);
}

ssize_t st_write_all(int fd, const void *b, size_t n)
{
	size_t done = 0;

	while (done < n) {
		ssize_t r = write(fd, (const char *)b + done, n - done);

		if (r < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		done += r;
	}
	return done;
}

ssize_t st_read_all(int fd, void *b, size_t n)
{
	size_t done = 0;

	while (done < n) {
		ssize_t r = read(fd, (char *)b + done, n - done);

		if (r < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		if (r == 0)
			break;
		done += r;
	}
	return done;
}

long st_meminfo(const char *key)
{
	return st_proc_kb("/proc/meminfo", key);
}

long st_proc_kb(const char *path, const char *key)
{
	size_t kl = strlen(key);
	char line[256];
	long v = -1;
	FILE *f = fopen(path, "r");

	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f))
		if (!strncmp(line, key, kl) && line[kl] == ':') {
			v = strtol(line + kl + 1, NULL, 10);
			break;
		}
	fclose(f);
	return v;
}

/*
 * Shrinking a cache frees empty per-CPU slabs and, under KASAN, the
 * objects its quarantine still holds (kasan_cache_shrink()).  Measured on
 * the KASAN kernel without it: after 2,000 cycles of res_cycles every
 * object a cycle frees (files, inodes, dentries, VMAs, pipe buffers) was
 * still counted, 19 MiB of Slab.
 */
static int shrink_slabs(void)
{
	char path[320];
	struct dirent *d;
	int n = 0;
	DIR *dir = opendir("/sys/kernel/slab");

	if (!dir)
		return -1;
	while ((d = readdir(dir))) {
		int fd;

		if (d->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "/sys/kernel/slab/%s/shrink", d->d_name);
		fd = open(path, O_WRONLY);
		if (fd < 0)
			continue;
		if (write(fd, "1", 1) == 1)
			n++;
		close(fd);
	}
	closedir(dir);
	return n;
}

int st_settle(void)
{
	int fd = open("/proc/sys/vm/drop_caches", O_WRONLY);

	/* Reclaimable caches (dentries of /proc reads) are not leaks. */
	if (fd >= 0) {
		if (write(fd, "3\n", 2) < 0)
			st_log("drop_caches: %s", strerror(errno));
		close(fd);
	}
	/* Files and pipe inodes are freed after an RCU grace period. */
	usleep(300000 * st_scale);
	return shrink_slabs();
}

long st_pcp_pages(void)
{
	char line[256];
	long n = 0, v;
	FILE *f = fopen("/proc/zoneinfo", "r");

	while (f && fgets(line, sizeof(line), f))
		if (sscanf(line, " count: %ld", &v) == 1)
			n += v;
	if (f)
		fclose(f);
	return n;
}

static void cat_file(const char *path, const char *indent)
{
	char buf[4096];
	FILE *f = fopen(path, "r");

	if (!f) {
		printf("%s(%s: %s)\n", indent, path, strerror(errno));
		return;
	}
	while (fgets(buf, sizeof(buf), f))
		printf("%s%s", indent, buf);
	fclose(f);
}

static int read_line(const char *path, char *buf, size_t n)
{
	FILE *f = fopen(path, "r");

	if (!f)
		return -1;
	if (!fgets(buf, n, f))
		buf[0] = 0;
	buf[strcspn(buf, "\n")] = 0;
	fclose(f);
	return 0;
}

char st_task_state(pid_t pid, pid_t tid, char *wchan, size_t wn)
{
	char path[96], buf[512], *p;

	snprintf(path, sizeof(path), "/proc/%d/task/%d/stat", pid, tid);
	if (read_line(path, buf, sizeof(buf)))
		return '?';
	if (wchan) {
		snprintf(path, sizeof(path), "/proc/%d/task/%d/wchan", pid, tid);
		if (read_line(path, wchan, wn))
			wchan[0] = 0;
	}
	p = strrchr(buf, ')');
	return p && p[1] == ' ' ? p[2] : '?';
}

void st_dump_tasks(pid_t pid)
{
	char path[320], stat[512], wchan[128];
	struct dirent *d;
	DIR *dir;

	snprintf(path, sizeof(path), "/proc/%d/task", pid);
	dir = opendir(path);
	if (!dir)
		return;
	while ((d = readdir(dir))) {
		if (d->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "/proc/%d/task/%s/stat", pid, d->d_name);
		if (read_line(path, stat, sizeof(stat)))
			continue;
		snprintf(path, sizeof(path), "/proc/%d/task/%s/wchan", pid, d->d_name);
		if (read_line(path, wchan, sizeof(wchan)))
			wchan[0] = 0;
		printf("  task %d/%s: %.80s wchan=%s\n", pid, d->d_name, stat, wchan);
		snprintf(path, sizeof(path), "/proc/%d/task/%s/stack", pid, d->d_name);
		cat_file(path, "    ");
	}
	closedir(dir);
	fflush(stdout);
}

/* Dump, then kill, every process of process group @pgid. */
static void dump_group(pid_t pgid)
{
	char path[320], stat[512];
	struct dirent *d;
	DIR *dir = opendir("/proc");

	if (!dir)
		return;
	while ((d = readdir(dir))) {
		char *p;
		int pgrp;

		if (d->d_name[0] < '0' || d->d_name[0] > '9')
			continue;
		snprintf(path, sizeof(path), "/proc/%s/stat", d->d_name);
		if (read_line(path, stat, sizeof(stat)))
			continue;
		p = strrchr(stat, ')');
		/* after "pid (comm)": state ppid pgrp */
		if (p && sscanf(p + 1, " %*c %*d %d", &pgrp) == 1 && pgrp == pgid)
			st_dump_tasks(atoi(d->d_name));
	}
	closedir(dir);
}

static int selected(const struct st_test *t, int argc, char **argv)
{
	if (argc == 0)
		return 1;
	for (int i = 0; i < argc; i++)
		if (!strcmp(argv[i], t->name) || !strcmp(argv[i], t->group))
			return 1;
	return 0;
}

/* Run @t in a child process group; 0 passed, 1 failed. */
static int supervise(const struct st_test *t, double stall)
{
	double start = st_now(), last_change = start, next_report = start + 10;
	double limit = st_seconds + 60 * st_scale;
	unsigned long seen = 0;
	int status;
	pid_t pid;

	memset(st_sh, 0, sizeof(*st_sh));
	printf("=== %s [%s]: %s\n", t->name, t->group, t->what);
	fflush(stdout);
	pid = fork();
	if (pid < 0) {
		printf("FAIL %s: fork: %s\n", t->name, strerror(errno));
		return 1;
	}
	if (pid == 0) {
		setpgid(0, 0);
		current = t;
		deadline = st_now() + st_seconds;
		signal(SIGPIPE, SIG_DFL);
		_exit(t->run() ? 1 : 0);
	}
	setpgid(pid, pid);
	for (;;) {
		pid_t r = waitpid(pid, &status, WNOHANG);
		double now = st_now();
		unsigned long p = atomic_load(&st_sh->progress);

		if (r == pid)
			break;
		if (p != seen) {
			seen = p;
			last_change = now;
		}
		if (now - last_change > stall || now - start > limit) {
			printf("FAIL %s: %s after %.1f s (%lu ops); kernel stacks of its tasks:\n",
			       t->name, now - start > limit ? "still running" : "no progress",
			       now - start, atomic_load(&st_sh->ops));
			dump_group(pid);
			kill(-pid, SIGKILL);
			waitpid(pid, &status, 0);
			return 1;
		}
		if (now >= next_report) {
			printf("  [%s] %.0f s: %lu ops, %lu bytes checked\n", t->name,
			       now - start, atomic_load(&st_sh->ops),
			       atomic_load(&st_sh->bytes));
			fflush(stdout);
			next_report += 10;
		}
		usleep(50000);
	}
	/* Helpers the test left behind must not outlive it. */
	kill(-pid, SIGKILL);
	while (waitpid(-pid, NULL, WNOHANG) > 0)
		;
	if (WIFSIGNALED(status)) {
		printf("FAIL %s: killed by signal %d (%s)\n", t->name,
		       WTERMSIG(status), strsignal(WTERMSIG(status)));
		return 1;
	}
	if (WEXITSTATUS(status)) {
		printf("FAIL %s: exit %d after %.1f s\n", t->name,
		       WEXITSTATUS(status), st_now() - start);
		return 1;
	}
	printf("PASS %s (%.1f s): %lu ops, %lu bytes checked%s%s\n", t->name,
	       st_now() - start, atomic_load(&st_sh->ops),
	       atomic_load(&st_sh->bytes), st_sh->summary[0] ? "; " : "",
	       st_sh->summary);
	fflush(stdout);
	return 0;
}

static int have_xmmap(void)
{
	int fds[2];
	void *p;

	if (pipe(fds))
		return 0;
	p = mmap(NULL, PG, PROT_READ, MAP_SHARED, fds[0], 0);
	if (p == MAP_FAILED) {
		fprintf(stderr, "pipe_mmap_stress: mmap() of a pipe's read end: %s\n",
			strerror(errno));
		close(fds[0]);
		close(fds[1]);
		return 0;
	}
	munmap(p, PG);
	close(fds[0]);
	close(fds[1]);
	return 1;
}

static void usage(int rc)
{
	fprintf(rc ? stderr : stdout,
		"usage: pipe_mmap_stress [-t SECONDS] [-s SCALE] [-S STALL] [-v] [-l] [TEST|GROUP...]\n");
	exit(rc);
}

int main(int argc, char **argv)
{
	int passed = 0, failed = 0, ran = 0, c;
	double stall = 0, t0 = st_now();
	struct st_test *t;

	setvbuf(stdout, NULL, _IOLBF, 0);
	while ((c = getopt(argc, argv, "t:s:S:vlh")) != -1) {
		switch (c) {
		case 't': st_seconds = atof(optarg); break;
		case 's': st_scale = atof(optarg); break;
		case 'S': stall = atof(optarg); break;
		case 'v': st_verbose = 1; break;
		case 'l':
			for (t = tests; t; t = t->next)
				printf("%-24s %-10s %s\n", t->name, t->group, t->what);
			return 0;
		case 'h': usage(0); break;
		default: usage(2);
		}
	}
	if (st_seconds <= 0 || st_scale <= 0)
		usage(2);
	if (!stall)
		stall = 30 * st_scale;
	argc -= optind;
	argv += optind;
	for (int i = 0; i < argc; i++) {
		for (t = tests; t; t = t->next)
			if (!strcmp(argv[i], t->name) || !strcmp(argv[i], t->group))
				break;
		if (!t) {
			fprintf(stderr, "pipe_mmap_stress: no test or group '%s' (-l lists them)\n",
				argv[i]);
			return 2;
		}
	}
	if (!have_xmmap()) {
		printf("\n### EXTENDED MMAP ABSENT: this kernel cannot mmap() pipes; "
		       "NO stress test was run. Boot the patched kernel "
		       "(kernel-patch/run-guest.sh).\n");
		return 4;
	}
	st_sh = mmap(NULL, sizeof(*st_sh), PROT_READ | PROT_WRITE,
		     MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (st_sh == MAP_FAILED) {
		perror("pipe_mmap_stress: mmap shared block");
		return 1;
	}
	printf("pipe_mmap_stress: %.0f s per timed test, scale %.1f, hang after %.0f s without progress\n",
	       st_seconds, st_scale, stall);
	for (t = tests; t; t = t->next) {
		if (!selected(t, argc, argv))
			continue;
		ran++;
		if (supervise(t, stall))
			failed++;
		else
			passed++;
	}
	printf("pipe_mmap_stress: %d tests, %d passed, %d failed, %.0f s\n",
	       ran, passed, failed, st_now() - t0);
	if (!ran)
		printf("pipe_mmap_stress: FAILED: no test was selected or built\n");
	return failed || !ran ? 1 : 0;
}
