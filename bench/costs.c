// SPDX-License-Identifier: GPL-2.0
/*
 * costs: the native cost of each kernel event of the hardware cost model
 * (issue 14), measured from user space on the stock host kernel.
 *
 *   costs [--reps N] [--csv FILE] [--size SIZE] [--xbench PATH] [--no-pipe]
 *
 * Every measurement runs once untimed (warm-up), then N times (default 7);
 * it reports the median and min..max over the N. Sections:
 *   1 minor faults: anonymous read (zero page) and write (allocate + zero),
 *     MAP_SHARED memfd pages already in the page cache (fault-around on, with
 *     MADV_RANDOM, and with one page per 64 KiB in the cache so a fault maps
 *     one PTE); faults counted with getrusage(ru_minflt)
 *   2 mmap+munmap pairs; munmap of a populated 1 MiB (zap + TLB flush), alone
 *     and with a second thread of the mm on the other CPU (flush IPI)
 *   3 copies of 4 KiB: memcpy and rep movsb (what copy_to/from_user use on
 *     ERMS/FSRM CPUs), cache-hot, and pages just written by the other core
 *   4 zeroing: memset of fresh pages vs touched pages; MADV_POPULATE_WRITE
 *   5 getppid(); a pipe ping-pong of one byte between two processes
 *   6 xbench's own user work per 4 KiB (pattern fill and verify)
 *   7 pipe throughput: `xbench pipe a|d|f CHUNK SIZE` (paths a, d, f do not
 *     need extended mmap, so xbench runs them on the stock kernel as is)
 * Progress goes to stderr, the table (Markdown) to stdout.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <sched.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/wait.h>

#ifndef MADV_POPULATE_WRITE
#define MADV_POPULATE_WRITE 23
#endif

#define PG 4096UL
#define MiB (1UL << 20)
#define REGION (32 * MiB)	/* fault and zeroing regions: 8192 pages */
#define BATCH 64		/* cross-core copy: pages per hand-over (256 KiB, fits L2) */
#define barrier() __asm__ volatile("" ::: "memory")

static int reps = 7, ncpu;
static cpu_set_t orig_mask;
static FILE *csv;

static void die(const char *fmt, ...) __attribute__((format(printf, 1, 2), noreturn));
static void die(const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "costs: ");
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	exit(1);
}

static double now_ns(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec * 1e9 + t.tv_nsec;
}

static long minflt(void)
{
	struct rusage ru;

	getrusage(RUSAGE_SELF, &ru);
	return ru.ru_minflt;
}

/* Pin the calling thread to @cpu; -1 restores the mask the program started with. */
static void pin(int cpu)
{
	cpu_set_t s;

	CPU_ZERO(&s);
	if (cpu >= 0)
		CPU_SET(cpu, &s);
	if (sched_setaffinity(0, sizeof(s), cpu >= 0 ? &s : &orig_mask))
		die("sched_setaffinity(%d): %s", cpu, strerror(errno));
}

static void *map(size_t len, int flags)
{
	void *p = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | flags, -1, 0);

	if (p == MAP_FAILED)
		die("mmap %zu: %s", len, strerror(errno));
	/* per-page costs: keep THP out whatever the host's THP setting is */
	madvise(p, len, MADV_NOHUGEPAGE);
	return p;
}

/* ---- measuring and reporting ---------------------------------------------- */

struct metric { const char *name, *unit; };
typedef void bench_fn(const void *arg, double *v);	/* one repetition: v[i] per metric */

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

static const char *fmt(char *buf, double v)
{
	double a = v < 0 ? -v : v;

	snprintf(buf, 32, a >= 100 ? "%.0f" : a >= 10 ? "%.1f" : a >= 1 ? "%.2f" : "%.3f", v);
	return buf;
}

/* Run @fn once untimed, then @reps times; print and record each metric. */
static void measure(int nm, const struct metric *m, bench_fn *fn, const void *arg)
{
	double v[8], *all = calloc((size_t)reps * nm, sizeof(double));
	int r, i;

	if (!all)
		die("out of memory");
	fprintf(stderr, "costs: %-58s", m[0].name);
	fn(arg, v);
	for (r = 0; r < reps; r++) {
		fn(arg, v);
		for (i = 0; i < nm; i++)
			all[i * reps + r] = v[i];
	}
	for (i = 0; i < nm; i++) {
		double *x = all + i * reps, med;
		char b1[32], b2[32], b3[32];

		qsort(x, reps, sizeof(double), cmp_double);
		med = reps % 2 ? x[reps / 2] : (x[reps / 2 - 1] + x[reps / 2]) / 2;
		if (i == 0)
			fprintf(stderr, " %s %s\n", fmt(b1, med), m[i].unit);
		printf("| %s | %s | %s | %s..%s |\n", m[i].name, m[i].unit,
		       fmt(b1, med), fmt(b2, x[0]), fmt(b3, x[reps - 1]));
		/* CSV names are unique: a sub-row "  x" of row "r" is "r: x" */
		if (csv && strncmp(m[i].name, "  ", 2))
			fprintf(csv, "%s,%s,%.6g,%.6g,%.6g,%d\n", m[i].name, m[i].unit,
				med, x[0], x[reps - 1], reps);
		else if (csv)
			fprintf(csv, "%s: %s,%s,%.6g,%.6g,%.6g,%d\n", m[0].name, m[i].name + 2,
				m[i].unit, med, x[0], x[reps - 1], reps);
	}
	fflush(stdout);
	free(all);
}

/* ---- 1 minor faults --------------------------------------------------------- */

enum fkind { ANON_READ, ANON_WRITE, FILE_READ, FILE_RANDOM, FILE_SPARSE };
#define SPARSE 16	/* one cached page per 16 = the default fault-around window (64 KiB) */
static int memfd_dense, memfd_sparse;

/*
 * Touch one byte per page (per SPARSE pages for FILE_SPARSE) of a fresh
 * mapping; v[0] ns per fault, v[1] pages touched per fault, v[2] ns per
 * page touched. The mapping and munmap are outside the clock.
 */
static void fault_rep(const void *arg, double *v)
{
	int kind = *(const int *)arg;
	size_t step = kind == FILE_SPARSE ? SPARSE * PG : PG, i;
	unsigned char *p;
	long f0, faults;
	double t0, t;

	if (kind >= FILE_READ) {
		p = mmap(NULL, REGION, PROT_READ, MAP_SHARED,
			 kind == FILE_SPARSE ? memfd_sparse : memfd_dense, 0);
		if (p == MAP_FAILED)
			die("mmap memfd: %s", strerror(errno));
		if (kind == FILE_RANDOM)
			madvise(p, REGION, MADV_RANDOM);
	} else {
		p = map(REGION, 0);
	}
	f0 = minflt();
	t0 = now_ns();
	for (i = 0; i < REGION; i += step) {
		if (kind == ANON_WRITE)
			p[i] = 1;
		else
			(void)*(volatile unsigned char *)(p + i);
	}
	t = now_ns() - t0;
	faults = minflt() - f0;
	munmap(p, REGION);
	if (faults < 1)
		faults = 1;
	v[0] = t / faults;
	v[1] = (double)(REGION / step) / faults;
	v[2] = t / (REGION / step);
}

static void bench_faults(void)
{
	static const int kinds[] = { ANON_READ, ANON_WRITE, FILE_READ, FILE_RANDOM, FILE_SPARSE };
	static const struct metric m[][3] = {
		{ { "fault anon read (zero page)", "ns/fault" }, { "  pages per fault", "pages" } },
		{ { "fault anon write (alloc+zero)", "ns/fault" }, { "  pages per fault", "pages" } },
		{ { "fault memfd read (fault-around)", "ns/fault" }, { "  pages per fault", "pages" },
		  { "  per page", "ns/page" } },
		{ { "fault memfd read MADV_RANDOM", "ns/fault" }, { "  pages per fault", "pages" },
		  { "  per page", "ns/page" } },
		{ { "fault memfd read (1 cached page per 64K)", "ns/fault" }, { "  pages per fault", "pages" } },
	};
	unsigned char *page = map(PG, 0);
	size_t off, k;

	/* both files are in the page cache (shmem) before any fault is timed */
	memfd_dense = memfd_create("costs-dense", 0);
	memfd_sparse = memfd_create("costs-sparse", 0);
	if (memfd_dense < 0 || memfd_sparse < 0 ||
	    ftruncate(memfd_dense, REGION) || ftruncate(memfd_sparse, REGION))
		die("memfd: %s", strerror(errno));
	memset(page, 0x5a, PG);
	for (off = 0; off < REGION; off += PG)
		if (pwrite(memfd_dense, page, PG, off) != (ssize_t)PG ||
		    (off % (SPARSE * PG) == 0 && pwrite(memfd_sparse, page, PG, off) != (ssize_t)PG))
			die("pwrite memfd: %s", strerror(errno));
	munmap(page, PG);
	for (k = 0; k < sizeof(kinds) / sizeof(kinds[0]); k++)
		measure(m[k][2].name ? 3 : 2, m[k], fault_rep, &kinds[k]);
	close(memfd_dense);
	close(memfd_sparse);
}

/* ---- 2 mmap/munmap ------------------------------------------------------------ */

static void mmap_rep(const void *arg, double *v)
{
	size_t len = *(const size_t *)arg;
	int n = 2000, i;
	double t0 = now_ns();

	for (i = 0; i < n; i++) {
		void *p = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

		if (p == MAP_FAILED)
			die("mmap: %s", strerror(errno));
		munmap(p, len);
	}
	v[0] = (now_ns() - t0) / n;
}

/* The other CPU: spins in this mm (so munmap must flush its TLB by IPI), or
 * writes BATCH pages whenever @turn is 1 (so their lines are dirty in its cache). */
struct remote {
	atomic_int turn, stop;
	int cpu, write;
	unsigned char *buf;
	pthread_t th;
};

static void *remote_main(void *arg)
{
	struct remote *r = arg;
	unsigned char seq = 0;

	pin(r->cpu);
	while (!atomic_load_explicit(&r->stop, memory_order_relaxed)) {
		if (r->write && atomic_load_explicit(&r->turn, memory_order_acquire) == 1) {
			memset(r->buf, ++seq, BATCH * PG);
			atomic_store_explicit(&r->turn, 0, memory_order_release);
		}
	}
	return NULL;
}

static void remote_start(struct remote *r, int cpu, int write, unsigned char *buf)
{
	atomic_init(&r->turn, 0);
	atomic_init(&r->stop, 0);
	r->cpu = cpu;
	r->write = write;
	r->buf = buf;
	if (pthread_create(&r->th, NULL, remote_main, r))
		die("pthread_create failed");
}

static void remote_stop(struct remote *r)
{
	atomic_store(&r->stop, 1);
	pthread_join(r->th, NULL);
}

/* munmap of a populated 1 MiB: v[0] ns per page, v[1] ns per call */
static void unmap_rep(const void *arg, double *v)
{
	int n = 64, i;
	double t = 0;

	(void)arg;
	for (i = 0; i < n; i++) {
		unsigned char *p = map(MiB, 0);
		double t0;

		if (madvise(p, MiB, MADV_POPULATE_WRITE))
			die("MADV_POPULATE_WRITE: %s", strerror(errno));
		t0 = now_ns();
		munmap(p, MiB);
		t += now_ns() - t0;
	}
	v[0] = t / n / (MiB / PG);
	v[1] = t / n;
}

static void bench_mmap(int cpu_b)
{
	static const size_t k64 = 64 << 10, m1 = MiB;
	static const struct metric m64[] = { { "mmap+munmap 64 KiB (untouched)", "ns/pair" } };
	static const struct metric m1m[] = { { "mmap+munmap 1 MiB (untouched)", "ns/pair" } };
	static const struct metric mu[] = { { "munmap populated 1 MiB (zap + local TLB flush)", "ns/page" },
					    { "  per munmap", "ns/call" } };
	static const struct metric mr[] = { { "munmap populated 1 MiB, mm also on other CPU (flush IPI)", "ns/page" },
					    { "  per munmap", "ns/call" } };
	struct remote r;

	measure(1, m64, mmap_rep, &k64);
	measure(1, m1m, mmap_rep, &m1);
	measure(2, mu, unmap_rep, NULL);
	if (cpu_b < 0) {
		fprintf(stderr, "costs: one CPU only: no remote TLB flush measurement\n");
		printf("| munmap with the mm on another CPU | - | one CPU only | |\n");
		return;
	}
	remote_start(&r, cpu_b, 0, NULL);
	measure(2, mr, unmap_rep, NULL);
	remote_stop(&r);
}

/* ---- 3 copies ------------------------------------------------------------------- */

enum csrc { HOT, SELF_WRITTEN, REMOTE_WRITTEN };
struct copy_arg { size_t len; int movsb; enum csrc src; struct remote *r; };
static unsigned char *src64, *dst64, *batch;

static inline void copy(void *d, const void *s, size_t n, int movsb)
{
#if defined(__x86_64__)
	if (movsb) {	/* the kernel's copy_user on ERMS/FSRM CPUs */
		__asm__ volatile("rep movsb" : "+D"(d), "+S"(s), "+c"(n) : : "memory");
		return;
	}
#endif
	(void)movsb;
	memcpy(d, s, n);
	barrier();
}

/* v[0]: ns per 4 KiB copied */
static void copy_rep(const void *arg, double *v)
{
	const struct copy_arg *a = arg;
	double t = 0, t0;
	size_t i, n;

	if (a->src == HOT) {
		n = 32 * MiB / a->len;
		t0 = now_ns();
		for (i = 0; i < n; i++)
			copy(dst64, src64, a->len, a->movsb);
		v[0] = (now_ns() - t0) / (n * a->len / PG);
		return;
	}
	/* BATCH pages written by this core or the other, then copied page by
	 * page into a hot 64 KiB buffer, the way a pipe reader copies the
	 * writer's pages; only the copy is timed */
	for (n = 0; n < 32; n++) {
		if (a->src == SELF_WRITTEN) {
			memset(batch, (int)n, BATCH * PG);
			barrier();
		} else {
			atomic_store_explicit(&a->r->turn, 1, memory_order_release);
			while (atomic_load_explicit(&a->r->turn, memory_order_acquire))
				;
		}
		t0 = now_ns();
		for (i = 0; i < BATCH; i++)
			copy(dst64 + (i % 16) * PG, batch + i * PG, PG, a->movsb);
		t += now_ns() - t0;
	}
	v[0] = t / (32 * BATCH);
}

static void bench_copy(int cpu_b)
{
	static const char *names[2][4] = {
		{ "memcpy 4 KiB cache-hot", "memcpy 64 KiB cache-hot",
		  "memcpy 4 KiB pages written by this core", "memcpy 4 KiB pages written by the other core" },
		{ "rep movsb 4 KiB cache-hot", "rep movsb 64 KiB cache-hot",
		  "rep movsb 4 KiB pages written by this core", "rep movsb 4 KiB pages written by the other core" },
	};
	struct remote r;
	int movsb, k;

	src64 = map(64 << 10, 0);
	dst64 = map(64 << 10, 0);
	batch = map(BATCH * PG, 0);
	memset(src64, 1, 64 << 10);
	memset(dst64, 2, 64 << 10);
	memset(batch, 3, BATCH * PG);
	if (cpu_b >= 0)
		remote_start(&r, cpu_b, 1, batch);
	for (movsb = 0; movsb < 2; movsb++) {
#if !defined(__x86_64__)
		if (movsb)
			break;
#endif
		for (k = 0; k < 4; k++) {
			struct copy_arg a = { k == 1 ? 64 << 10 : PG, movsb,
					      k < 2 ? HOT : k == 2 ? SELF_WRITTEN : REMOTE_WRITTEN, &r };
			struct metric m = { names[movsb][k], "ns/4KiB" };

			if (k == 3 && cpu_b < 0) {
				printf("| %s | - | one CPU only | |\n", m.name);
				continue;
			}
			measure(1, &m, copy_rep, &a);
		}
	}
	if (cpu_b >= 0)
		remote_stop(&r);
	munmap(src64, 64 << 10);
	munmap(dst64, 64 << 10);
	munmap(batch, BATCH * PG);
}

/* ---- 4 zeroing ------------------------------------------------------------------ */

/* memset of each page of a fresh region, then again: v[0] fresh, v[1] touched,
 * v[2] the difference (fault + allocation + clear_page), ns per page */
static void zero_rep(const void *arg, double *v)
{
	unsigned char *p = map(REGION, 0);
	double t0, t1, t2;
	size_t i;

	(void)arg;
	t0 = now_ns();
	for (i = 0; i < REGION; i += PG)
		memset(p + i, 1, PG);
	barrier();
	t1 = now_ns();
	for (i = 0; i < REGION; i += PG)
		memset(p + i, 2, PG);
	barrier();
	t2 = now_ns();
	munmap(p, REGION);
	v[0] = (t1 - t0) / (REGION / PG);
	v[1] = (t2 - t1) / (REGION / PG);
	v[2] = v[0] - v[1];
}

/* allocation + zeroing + PTE without a fault per page: v[0] ns per page */
static void populate_rep(const void *arg, double *v)
{
	unsigned char *p = map(REGION, 0);
	double t0 = now_ns();

	(void)arg;
	if (madvise(p, REGION, MADV_POPULATE_WRITE))
		die("MADV_POPULATE_WRITE: %s", strerror(errno));
	v[0] = (now_ns() - t0) / (REGION / PG);
	munmap(p, REGION);
}

static void bench_zero(void)
{
	static const struct metric mz[] = { { "memset 4 KiB, fresh page (fault+alloc+zero+memset)", "ns/page" },
					    { "memset 4 KiB, touched page", "ns/page" },
					    { "  fresh - touched", "ns/page" } };
	static const struct metric mp[] = { { "MADV_POPULATE_WRITE anon (alloc+zero+PTE, no fault)", "ns/page" } };

	measure(3, mz, zero_rep, NULL);
	measure(1, mp, populate_rep, NULL);
}

/* ---- 5 system call, context switch -------------------------------------------- */

static void syscall_rep(const void *arg, double *v)
{
	int n = 200000, i;
	double t0 = now_ns();

	(void)arg;
	for (i = 0; i < n; i++)
		syscall(SYS_getppid);
	v[0] = (now_ns() - t0) / n;
}

/* Two processes, two pipes, one byte back and forth; v[0] ns per hand-over
 * (round trip / 2: one write, one wake-up and switch, one read). */
static void pingpong_rep(const void *arg, double *v)
{
	const int *cpus = arg;
	int ab[2], ba[2], n = 10000, i, st;
	char c = 0;
	double t0;
	pid_t pid;

	if (pipe(ab) || pipe(ba))
		die("pipe: %s", strerror(errno));
	pid = fork();
	if (pid < 0)
		die("fork: %s", strerror(errno));
	if (pid == 0) {
		pin(cpus[1]);
		for (i = 0; i < n; i++)
			if (read(ab[0], &c, 1) != 1 || write(ba[1], &c, 1) != 1)
				_exit(1);
		_exit(0);
	}
	pin(cpus[0]);
	t0 = now_ns();
	for (i = 0; i < n; i++)
		if (write(ab[1], &c, 1) != 1 || read(ba[0], &c, 1) != 1)
			die("ping-pong: %s", strerror(errno));
	v[0] = (now_ns() - t0) / n / 2;
	if (waitpid(pid, &st, 0) != pid || !WIFEXITED(st) || WEXITSTATUS(st))
		die("ping-pong child failed");
	close(ab[0]); close(ab[1]); close(ba[0]); close(ba[1]);
}

static void bench_sched(int cpu_a, int cpu_b)
{
	static const struct metric ms[] = { { "getppid() system call", "ns/call" } };
	static const struct metric m1[] = { { "pipe ping-pong, both on one CPU (switch)", "ns/hand-over" } };
	static const struct metric m2[] = { { "pipe ping-pong, one CPU each (wake-up)", "ns/hand-over" } };
	int same[2] = { cpu_a, cpu_a }, cross[2] = { cpu_a, cpu_b };

	measure(1, ms, syscall_rep, NULL);
	measure(1, m1, pingpong_rep, same);
	if (cpu_b >= 0)
		measure(1, m2, pingpong_rep, cross);
	else
		printf("| pipe ping-pong, one CPU each | - | one CPU only | |\n");
}

/* ---- 6 xbench's user work (copied from xbench.c: keep in sync) ------------------- */

#define K64 0x9E3779B97F4A7C15ULL
static unsigned long long seed = 12345;

static inline uint64_t word(unsigned long long w)
{
	return (w + seed) * K64;
}

static void fill(unsigned char *dst, unsigned long long pos, size_t n)
{
	uint64_t v = word(pos >> 3);
	size_t i;

	for (i = 0; i + 8 <= n; i += 8, v += K64)
		memcpy(dst + i, &v, 8);
}

static size_t verify(const unsigned char *p, unsigned long long pos, size_t n)
{
	uint64_t v = word(pos >> 3), got;
	size_t i;

	for (i = 0; i + 8 <= n; i += 8, v += K64) {
		memcpy(&got, p + i, 8);
		if (got != v)
			return i + 1;
	}
	return 0;
}

/* *arg 0: fill, 1: verify; 64 KiB buffer (hot), v[0] ns per 4 KiB */
static void pattern_rep(const void *arg, double *v)
{
	static unsigned char b[64 << 10] __attribute__((aligned(64)));
	int op = *(const int *)arg;
	size_t n = 32 * MiB / sizeof(b), i;
	double t0;

	fill(b, 0, sizeof(b));
	t0 = now_ns();
	for (i = 0; i < n; i++) {
		if (op == 0)
			fill(b, i * sizeof(b), sizeof(b));
		else if (verify(b, 0, sizeof(b)))
			die("verify: mismatch");
		barrier();
	}
	v[0] = (now_ns() - t0) / (n * sizeof(b) / PG);
}

static void bench_pattern(void)
{
	static const int ops[] = { 0, 1 };
	static const struct metric mf[] = { { "xbench fill (writer's pattern)", "ns/4KiB" } };
	static const struct metric mv[] = { { "xbench verify (reader's check)", "ns/4KiB" } };

	measure(1, mf, pattern_rep, &ops[0]);
	measure(1, mv, pattern_rep, &ops[1]);
}

/* ---- 7 pipe throughput by xbench --------------------------------------------------- */

static char xbench[4096];
static unsigned long long xsize = 256 * MiB;
struct xarg { const char *path, *chunk; };

/* One `xbench pipe PATH CHUNK SIZE` (1 MiB pipe, xbench's default):
 * v[0] MiB/s, v[1] CPU (user+sys of both processes) us per MiB, v[2] context switches per MiB */
static void xbench_rep(const void *arg, double *v)
{
	const struct xarg *a = arg;
	char size[32], out[256];
	double wall, user, sys, mib = (double)xsize / MiB;
	long flt, csw;
	int p[2], st;
	ssize_t n, got = 0;
	pid_t pid;

	snprintf(size, sizeof(size), "%llu", xsize);
	if (pipe(p))
		die("pipe: %s", strerror(errno));
	pid = fork();
	if (pid < 0)
		die("fork: %s", strerror(errno));
	if (pid == 0) {
		dup2(p[1], 1);
		close(p[0]);
		close(p[1]);
		execl(xbench, "xbench", "pipe", a->path, a->chunk, size, (char *)NULL);
		fprintf(stderr, "costs: %s: %s\n", xbench, strerror(errno));
		_exit(127);
	}
	close(p[1]);
	while ((n = read(p[0], out + got, sizeof(out) - 1 - got)) > 0)
		got += n;
	close(p[0]);
	out[got] = 0;
	if (waitpid(pid, &st, 0) != pid || !WIFEXITED(st) || WEXITSTATUS(st) ||
	    sscanf(out, "%lf %lf %lf %ld %ld", &wall, &user, &sys, &flt, &csw) != 5)
		die("xbench pipe %s %s %s failed", a->path, a->chunk, size);
	v[0] = mib / wall;
	v[1] = (user + sys) * 1e6 / mib;
	v[2] = csw / mib;
}

static void bench_pipes(void)
{
	static const char *paths[] = { "a", "d", "f" }, *chunks[] = { "4096", "65536", "1048576" };
	static const char *pname[] = { "write->read", "vmsplice GIFT->read", "write->splice /dev/null" };
	static const char *cname[] = { "4K", "64K", "1M" };
	static char names[9][3][96];
	struct metric m[3];
	int i, k;

	for (i = 0; i < 3; i++)
		for (k = 0; k < 3; k++) {
			struct xarg a = { paths[i], chunks[k] };
			char (*nm)[96] = names[i * 3 + k];

			snprintf(nm[0], 96, "pipe %s %s %s (%llu MiB)", paths[i], pname[i], cname[k], xsize / MiB);
			snprintf(nm[1], 96, "  CPU user+sys");
			snprintf(nm[2], 96, "  context switches");
			m[0] = (struct metric){ nm[0], "MiB/s" };
			m[1] = (struct metric){ nm[1], "us/MiB" };
			m[2] = (struct metric){ nm[2], "per MiB" };
			measure(3, m, xbench_rep, &a);
		}
}

/* "256M" or "256" (MiB) or "1G" */
static unsigned long long parse_mib(const char *s)
{
	char *end;
	unsigned long long v = strtoull(s, &end, 10);

	if (*end == 'G' || *end == 'g')
		v <<= 10, end++;
	else if (*end == 'M' || *end == 'm')
		end++;
	if (*end || end == s)
		die("bad size '%s' (want MiB: e.g. 64M, 256M, 1G)", s);
	return v * MiB;
}

/* ---- main ------------------------------------------------------------------------ */

static void section(const char *s)
{
	printf("| **%s** | | | |\n", s);
}

int main(int argc, char **argv)
{
	int i, cpu_a = -1, cpu_b = -1, pipes = 1;
	const char *csvname = NULL;

	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--no-pipe")) {
			pipes = 0;
			continue;
		}
		if (i + 1 >= argc)
			die("usage: costs [--reps N] [--csv FILE] [--size SIZE] [--xbench PATH] [--no-pipe]");
		if (!strcmp(argv[i], "--reps"))
			reps = atoi(argv[++i]);
		else if (!strcmp(argv[i], "--csv"))
			csvname = argv[++i];
		else if (!strcmp(argv[i], "--size"))
			xsize = parse_mib(argv[++i]);
		else if (!strcmp(argv[i], "--xbench"))
			snprintf(xbench, sizeof(xbench), "%s", argv[++i]);
		else
			die("usage: costs [--reps N] [--csv FILE] [--size SIZE] [--xbench PATH] [--no-pipe]");
	}
	if (reps < 1 || xsize < MiB)
		die("--reps must be >= 1, --size >= 1M (e.g. 256M)");
	if (!xbench[0]) {	/* default: xbench next to this program */
		ssize_t n = readlink("/proc/self/exe", xbench, sizeof(xbench) - 8);

		if (n < 0)
			die("readlink /proc/self/exe: %s", strerror(errno));
		xbench[n] = 0;
		strcpy(strrchr(xbench, '/') + 1, "xbench");
	}
	if (pipes && access(xbench, X_OK))
		die("%s: %s (make -C bench xbench, or --xbench PATH, or --no-pipe)", xbench, strerror(errno));
	if (csvname) {
		csv = fopen(csvname, "w");
		if (!csv)
			die("%s: %s", csvname, strerror(errno));
		fprintf(csv, "name,unit,median,min,max,reps\n");
	}
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (sched_getaffinity(0, sizeof(orig_mask), &orig_mask))
		die("sched_getaffinity: %s", strerror(errno));
	ncpu = CPU_COUNT(&orig_mask);
	for (i = 0; i < CPU_SETSIZE; i++)
		if (CPU_ISSET(i, &orig_mask)) {
			if (cpu_a < 0)
				cpu_a = i;
			else if (cpu_b < 0)
				cpu_b = i;
		}
	fprintf(stderr, "costs: %d CPUs allowed; timing on CPU %d, other CPU %d; %d reps after a warm-up\n",
		ncpu, cpu_a, cpu_b, reps);
	printf("Median and min..max of %d repetitions, each after one untimed warm-up.\n\n", reps);
	printf("| measurement | unit | median | min..max |\n|---|---|---:|---|\n");

	/* one CPU for the single-threaded measurements: no migrations mid-loop */
	pin(cpu_a);
	section("1 minor faults (32 MiB region, one byte per page)");
	bench_faults();
	section("2 mmap, munmap");
	bench_mmap(cpu_b);
	section("3 copies");
	bench_copy(cpu_b);
	section("4 zeroing");
	bench_zero();
	section("5 system call, context switch");
	bench_sched(cpu_a, cpu_b);
	section("6 xbench's user work");
	bench_pattern();
	pin(-1);	/* xbench's processes go wherever the scheduler puts them */
	if (pipes) {
		section("7 pipe throughput (xbench pipe PATH CHUNK SIZE, 1 MiB pipe)");
		bench_pipes();
	}
	if (csv && fclose(csv))
		die("%s: %s", csvname, strerror(errno));
	return 0;
}
