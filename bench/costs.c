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
 *   7 pipe throughput: `xbench pipe a|d|f CHUNK SIZE -C A,B` (paths a, d, f do
 *     not need extended mmap, so xbench runs them on the stock kernel as is),
 *     writer on one CPU and reader on the other, as section 8 prices them
 *   8 the steps of paths a, d, f timed one at a time: fill, write() or
 *     vmsplice(), read() or splice(), verify, in strict turns on one CPU
 *     and across two
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
#include <sys/uio.h>
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
	double v[16], *all = calloc((size_t)reps * nm, sizeof(double));
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

/*
 * Zap of mapped pages that stay allocated: MADV_DONTNEED of 64 KiB of a
 * MAP_SHARED memfd whose pages stay in the page cache (what a commit pays
 * to take lent window pages out of their mapping). v[0] ns per page.
 */
static void zap_rep(const void *arg, double *v)
{
	size_t len = 64 << 10;
	int n = 2000, i, fd = memfd_create("costs-zap", 0);
	unsigned char *p;
	double t = 0;

	(void)arg;
	if (fd < 0 || ftruncate(fd, len))
		die("memfd: %s", strerror(errno));
	p = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	if (p == MAP_FAILED)
		die("mmap memfd: %s", strerror(errno));
	for (i = 0; i < n; i++) {
		double t0;

		if (madvise(p, len, MADV_POPULATE_WRITE))
			die("MADV_POPULATE_WRITE: %s", strerror(errno));
		t0 = now_ns();
		if (madvise(p, len, MADV_DONTNEED))
			die("MADV_DONTNEED: %s", strerror(errno));
		t += now_ns() - t0;
	}
	munmap(p, len);
	close(fd);
	v[0] = t / n / (len / PG);
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
	static const struct metric mzap[] = { { "zap 64 KiB of memfd pages, pages kept (MADV_DONTNEED)", "ns/page" } };
	struct remote r;

	measure(1, m64, mmap_rep, &k64);
	measure(1, m1m, mmap_rep, &m1);
	measure(2, mu, unmap_rep, NULL);
	measure(1, mzap, zap_rep, NULL);
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

/*
 * What a write() pays to wake a reader that sleeps in read() on the other CPU
 * (try_to_wake_up and the IPI, which exits to the hypervisor in a VM). Odd
 * rounds: the reader thread enters read() and the writer waits 200 us, so it
 * sleeps; even rounds: the reader spins outside read() while the writer writes,
 * then reads. v[0] ns per waking write minus ns per plain write; v[1], v[2] the two.
 */
struct waker { int p[2], cpu; atomic_int seq; };

static void *wake_reader(void *arg)
{
	struct waker *w = arg;
	static char b[PG];
	int i;

	pin(w->cpu);
	for (i = 0; i < 2000; i++) {
		if (i % 2)
			while (atomic_load(&w->seq) < 2 * i + 1)	/* the writer wrote */
				;
		atomic_store(&w->seq, 2 * i + 1);
		if (read(w->p[0], b, PG) != PG)
			die("wake-up reader: %s", strerror(errno));
		atomic_store(&w->seq, 2 * i + 2);
	}
	return NULL;
}

static void wake_rep(const void *arg, double *v)
{
	static char b[PG];
	struct waker w = { .cpu = *(const int *)arg };
	double t[2] = { 0, 0 };
	pthread_t th;
	int i;

	if (pipe(w.p))
		die("pipe: %s", strerror(errno));
	atomic_init(&w.seq, 0);
	if (pthread_create(&th, NULL, wake_reader, &w))
		die("pthread_create failed");
	for (i = 0; i < 2000; i++) {
		double t0;

		if (i % 2 == 0) {	/* the reader is in read(): let it fall asleep */
			while (atomic_load(&w.seq) < 2 * i + 1)
				;
			for (t0 = now_ns(); now_ns() - t0 < 200e3;)
				;
		}
		t0 = now_ns();
		if (write(w.p[1], b, PG) != PG)
			die("wake-up writer: %s", strerror(errno));
		t[i % 2] += now_ns() - t0;
		if (i % 2)
			atomic_store(&w.seq, 2 * i + 1);
		while (atomic_load(&w.seq) < 2 * i + 2)
			;
	}
	pthread_join(th, NULL);
	close(w.p[0]);
	close(w.p[1]);
	v[1] = t[0] / 1000;
	v[2] = t[1] / 1000;
	v[0] = v[1] - v[2];
}

static void bench_sched(int cpu_a, int cpu_b)
{
	static const struct metric mw[] = { { "wake-up of a reader asleep on the other CPU: the waker's cost", "ns/wake" },
					     { "  write() 4 KiB that wakes it", "ns/call" },
					     { "  write() 4 KiB, nobody asleep", "ns/call" } };
	static const struct metric ms[] = { { "getppid() system call", "ns/call" } };
	static const struct metric m1[] = { { "pipe ping-pong, both on one CPU (switch)", "ns/hand-over" } };
	static const struct metric m2[] = { { "pipe ping-pong, one CPU each (wake-up)", "ns/hand-over" } };
	int same[2] = { cpu_a, cpu_a }, cross[2] = { cpu_a, cpu_b };

	measure(1, ms, syscall_rep, NULL);
	measure(1, m1, pingpong_rep, same);
	if (cpu_b >= 0) {
		measure(1, m2, pingpong_rep, cross);
		measure(3, mw, wake_rep, &cpu_b);
	} else {
		printf("| pipe ping-pong, one CPU each | - | one CPU only | |\n");
	}
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
struct xarg { const char *path, *chunk; char cpus[24]; };

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
		if (a->cpus[0])
			execl(xbench, "xbench", "pipe", a->path, a->chunk, size, "-C", a->cpus, (char *)NULL);
		else
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

/* ---- 8 pipe calls priced one at a time -------------------------------------------- */

/*
 * xbench's writer and reader (sections 6, 7) with each step timed on its own:
 * the writer fills its buffer as xbench does (path d: the next slot of a ring
 * of 2 MiB + 2 chunks) and write()s or vmsplice()s one chunk into the empty
 * 1 MiB pipe; then the reader read()s it into its buffer and verifies it (a,
 * d), or splice()s it to /dev/null (f). The two take strict turns, so no call
 * waits, wakes anyone or meets the other on pipe->mutex: each span is that
 * step's own work. With two CPUs (writer on one, reader on the other) the
 * pages, their contents and the pipe's cache lines cross between CPUs as in a
 * stream; on one CPU (one thread) everything stays hot. A stream lies between
 * the two, and may overlap the writer's and the reader's work.
 */
#define TURN_BYTES (64 * MiB)

struct turns {
	char path;		/* 'a', 'd' or 'f' */
	size_t chunk;
	int two_cpus, cpu_w, cpu_r;
	size_t lead;		/* chunks the writer is ahead: 0 (pipe empty) or a pipe full */
	int p[2], devnull;
	unsigned char *ring, *rbuf;
	size_t slots;
	atomic_int turn;	/* 0: the writer's, 1: the reader's */
	double t[4];		/* fill, write call, read call, verify: ns in all */
};

static void turn_write(struct turns *x, size_t i)
{
	unsigned char *b = x->ring + (i % x->slots) * x->chunk;
	size_t done = 0;
	double t0 = now_ns(), t1;

	fill(b, i * x->chunk, x->chunk);
	t1 = now_ns();
	while (done < x->chunk) {
		struct iovec iov = { b + done, x->chunk - done };
		ssize_t w = x->path == 'd' ? vmsplice(x->p[1], &iov, 1, SPLICE_F_GIFT) :
			    write(x->p[1], b + done, x->chunk - done);

		if (w <= 0)
			die("pipe calls %c: %s: %s", x->path, x->path == 'd' ? "vmsplice" : "write",
			    w ? strerror(errno) : "wrote nothing");
		done += w;
	}
	x->t[0] += t1 - t0;
	x->t[1] += now_ns() - t1;
}

static void turn_read(struct turns *x, size_t i)
{
	size_t got = 0;
	double t0 = now_ns(), t1;

	while (got < x->chunk) {
		ssize_t r = x->path == 'f' ?
			    splice(x->p[0], NULL, x->devnull, NULL, x->chunk - got, 0) :
			    read(x->p[0], x->rbuf + got, x->chunk - got);

		if (r <= 0)
			die("pipe calls %c: %s: %s", x->path, x->path == 'f' ? "splice" : "read",
			    r ? strerror(errno) : "end of stream");
		got += r;
	}
	t1 = now_ns();
	if (x->path != 'f' && verify(x->rbuf, i * x->chunk, x->chunk))
		die("pipe calls %c: the reader saw a byte the writer did not fill", x->path);
	x->t[2] += t1 - t0;
	x->t[3] += now_ns() - t1;
}

static void *turns_reader(void *arg)
{
	struct turns *x = arg;
	size_t i, n = TURN_BYTES / x->chunk;

	pin(x->cpu_r);
	for (i = 0; i < n; i++) {
		while (atomic_load_explicit(&x->turn, memory_order_acquire) != 1)
			;
		turn_read(x, i);
		atomic_store_explicit(&x->turn, 0, memory_order_release);
	}
	return NULL;
}

/*
 * v: writer fill, writer call, reader call, reader verify; ns per MiB each.
 * With @lead 0 the reader takes each chunk right after it was written (a
 * stream whose reader keeps up: the pipe is empty); with a pipe full of lead,
 * it takes the chunk written a pipe's worth of bytes earlier (a stream whose
 * writer is ahead: the pipe is full, and the pages have aged in the caches).
 */
static void turns_rep(const void *arg, double *v)
{
	struct turns x = *(const struct turns *)arg;
	size_t i, n = TURN_BYTES / x.chunk, k;
	pthread_t th;

	x.slots = x.path == 'd' ? 2 * MiB / x.chunk + 2 : 1;
	x.ring = map(x.slots * x.chunk, 0);
	x.rbuf = map(x.chunk, 0);
	memset(x.ring, 0, x.slots * x.chunk);
	memset(x.rbuf, 0, x.chunk);
	if (pipe(x.p))
		die("pipe: %s", strerror(errno));
	if (fcntl(x.p[1], F_SETPIPE_SZ, (int)MiB) < (int)MiB)
		die("F_SETPIPE_SZ 1 MiB: %s (xbench's pipe size; see /proc/sys/fs/pipe-max-size)",
		    strerror(errno));
	x.devnull = open("/dev/null", O_WRONLY);
	if (x.devnull < 0)
		die("/dev/null: %s", strerror(errno));
	atomic_init(&x.turn, 0);
	pin(x.cpu_w);
	if (x.two_cpus && pthread_create(&th, NULL, turns_reader, &x))
		die("pthread_create failed");
	for (i = 0; i < n + x.lead; i++) {
		if (i < n)
			turn_write(&x, i);
		if (i < x.lead)
			continue;
		if (!x.two_cpus) {
			turn_read(&x, i - x.lead);
			continue;
		}
		atomic_store_explicit(&x.turn, 1, memory_order_release);
		while (atomic_load_explicit(&x.turn, memory_order_acquire) != 0)
			;
	}
	if (x.two_cpus)
		pthread_join(th, NULL);
	for (k = 0; k < 4; k++)
		v[k] = x.t[k] / 1e3 / (TURN_BYTES / MiB);
	close(x.p[0]);
	close(x.p[1]);
	close(x.devnull);
	munmap(x.ring, x.slots * x.chunk);
	munmap(x.rbuf, x.chunk);
}

static const char paths[] = "adf";
static const char *pname[] = { "write->read", "vmsplice GIFT->read", "write->splice /dev/null" };
static const size_t chunks[] = { 4096, 65536, MiB };
static const char *cname[] = { "4K", "64K", "1M" };
static const char *xpaths[] = { "a", "d", "f" }, *xchunks[] = { "4096", "65536", "1048576" };

static void step_names(char (*nm)[96], int i, const char *where)
{
	snprintf(nm[0], 96, "  steps%s: writer fill", where);
	snprintf(nm[1], 96, "  steps%s: writer %s", where, paths[i] == 'd' ? "vmsplice()" : "write()");
	snprintf(nm[2], 96, "  steps%s: reader %s", where, paths[i] == 'f' ? "splice()" : "read()");
	snprintf(nm[3], 96, "  steps%s: reader verify", where);
}

/* One repetition of section 7: the steps in turns on two CPUs, then the stream itself. */
struct pipe_arg { struct xarg x; struct turns empty, full; };

static void pipe_rep(const void *arg, double *v)
{
	const struct pipe_arg *a = arg;
	int f = a->x.path[0] == 'f';

	/* f has no verify: its full run's fill lands on the empty run's verify (0) */
	turns_rep(&a->empty, v + 3);
	turns_rep(&a->full, v + 7 - f);
	xbench_rep(&a->x, v);
}

/*
 * Section 7: each of paths a, d, f natively, writer on @cpu_a and reader on
 * @cpu_b, and in the same repetition its steps priced in turns on the same
 * two CPUs. This machine's speed drifts by up to 2x from one minute to the
 * next (a shared host), so a price and the throughput it must predict are
 * only comparable when taken seconds apart.
 */
static void bench_pipes(int cpu_a, int cpu_b)
{
	static char names[9][11][96];
	struct metric m[11];
	int i, k, j, f;

	if (cpu_b < 0) {
		fprintf(stderr, "costs: one CPU only: the pipe paths need two (writer and reader)\n");
		printf("| pipe paths | - | one CPU only | |\n");
		return;
	}
	for (i = 0; i < 3; i++)
		for (k = 0; k < 3; k++) {
			struct turns t = { .path = paths[i], .chunk = chunks[k], .two_cpus = 1,
					   .cpu_w = cpu_a, .cpu_r = cpu_b };
			struct pipe_arg a = { .x = { xpaths[i], xchunks[k], "" }, .empty = t, .full = t };
			char (*nm)[96] = names[i * 3 + k];

			a.full.lead = MiB / chunks[k] - 1;
			f = paths[i] == 'f';
			snprintf(a.x.cpus, sizeof(a.x.cpus), "%d,%d", cpu_a, cpu_b);
			snprintf(nm[0], 96, "pipe %c %s %s (%llu MiB)", paths[i], pname[i], cname[k], xsize / MiB);
			snprintf(nm[1], 96, "  CPU user+sys");
			snprintf(nm[2], 96, "  context switches");
			step_names(nm + 3, i, ", two CPUs, pipe empty");
			step_names(nm + 7 - f, i, ", two CPUs, pipe full");
			m[0] = (struct metric){ nm[0], "MiB/s" };
			m[1] = (struct metric){ nm[1], "us/MiB" };
			m[2] = (struct metric){ nm[2], "per MiB" };
			for (j = 3; j < 11; j++)
				m[j] = (struct metric){ nm[j], "us/MiB" };
			measure(f ? 9 : 11, m, pipe_rep, &a);
		}
}

/* Section 8: the same steps on one CPU, one thread: everything stays hot (a lower bound). */
static void bench_turns(int cpu_a)
{
	static char names[9][5][96];
	struct metric m[4];
	int i, k, j;

	for (i = 0; i < 3; i++)
		for (k = 0; k < 3; k++) {
			struct turns a = { .path = paths[i], .chunk = chunks[k], .two_cpus = 0,
					   .cpu_w = cpu_a, .cpu_r = cpu_a };
			char (*nm)[96] = names[i * 3 + k];

			step_names(nm + 1, i, "");
			snprintf(nm[0], 96, "pipe steps one CPU %c %s %s:%s", paths[i], pname[i], cname[k],
				 nm[1] + strlen("  steps:"));
			m[0] = (struct metric){ nm[0], "us/MiB" };
			for (j = 1; j < 4; j++)
				m[j] = (struct metric){ nm[j + 1], "us/MiB" };
			measure(paths[i] == 'f' ? 3 : 4, m, turns_rep, &a);
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
	pin(-1);	/* xbench pins its writer and reader itself (-C) */
	if (pipes) {
		section("7 paths a, d, f: `xbench pipe PATH CHUNK SIZE -C A,B` and its steps in turns on A and B");
		bench_pipes(cpu_a, cpu_b);
	}
	section("8 the steps of paths a, d, f in turns on one CPU (xbench's, 1 MiB pipe)");
	bench_turns(cpu_a);
	if (csv && fclose(csv))
		die("%s: %s", csvname, strerror(errno));
	return 0;
}
