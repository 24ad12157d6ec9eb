/* SPDX-License-Identifier: GPL-2.0 */
/*
 * pipe_mmap_stress: time-bounded stress and fault runs of extended mmap()
 * of pipes (issue 6). Each test runs in its own process group under a
 * supervisor that fails it when it exits non-zero, dies by a signal, runs
 * past its time, or makes no progress for the stall time; a stall or
 * overrun first prints the kernel stack (/proc/PID/task/TID/stack) of every
 * task of the test.
 *
 * A test is a function registered with ST_TEST(); it returns 0 when every
 * check passed (the oracle is the test's own: the expected bytes, errno or
 * counter), and fails through st_fail() or a non-zero return.
 */
#ifndef STRESS_H
#define STRESS_H

#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#define PG 4096UL

struct st_test {
	const char *name;
	const char *group;	/* races, signals, resources, badinput, security */
	const char *what;	/* one line: what is checked */
	int (*run)(void);
	struct st_test *next;
};

void st_register(struct st_test *t);

#define ST_TEST(fn, grp, desc)						\
	static int fn(void);						\
	static struct st_test st_t_##fn = {				\
		.name = #fn, .group = grp, .what = desc, .run = fn };	\
	__attribute__((constructor)) static void st_reg_##fn(void)	\
	{ st_register(&st_t_##fn); }					\
	static int fn(void)

/* Memory shared by the supervisor and every process of a test. */
struct st_shared {
	atomic_ulong progress;	/* bumped by st_tick(): the stall watchdog */
	atomic_ulong ops;	/* operations done, for the summary line */
	atomic_ulong bytes;	/* bytes checked against the oracle */
	char summary[2048];	/* st_summary(): figures for the report */
};

extern struct st_shared *st_sh;
/* Seconds each test runs (-t; tests loop until st_running() is false). */
extern double st_seconds;
/* Multiplier for waits and limits (-s; TCG and the debug kernel are slow). */
extern double st_scale;
extern int st_verbose;

double st_now(void);
/* True until the test's time is up. */
int st_running(void);
static inline void st_tick(void)
{
	atomic_fetch_add_explicit(&st_sh->progress, 1, memory_order_relaxed);
}
static inline void st_count(unsigned long ops, unsigned long bytes)
{
	atomic_fetch_add_explicit(&st_sh->ops, ops, memory_order_relaxed);
	atomic_fetch_add_explicit(&st_sh->bytes, bytes, memory_order_relaxed);
	st_tick();
}
/* Print "FAIL <test>: ..." and exit(1): ends the test process. */
__attribute__((noreturn, format(printf, 1, 2)))
void st_fail(const char *fmt, ...);
/* Append to the summary the supervisor prints after a passed test. */
__attribute__((format(printf, 1, 2))) void st_summary(const char *fmt, ...);
__attribute__((format(printf, 1, 2))) void st_log(const char *fmt, ...);

/* The byte at stream position @pos of the stream seeded @seed. */
static inline unsigned char st_pat(uint64_t seed, uint64_t pos)
{
	uint64_t x = (pos >> 3) * 0x9e3779b97f4a7c15ULL ^ seed;

	x ^= x >> 29;
	x *= 0xbf58476d1ce4e5b9ULL;
	x ^= x >> 32;
	return (unsigned char)(x >> ((pos & 7) * 8));
}
void st_fill(unsigned char *b, uint64_t seed, uint64_t from, size_t n);
/* Index of the first byte of @b that is not the stream's, or -1. */
long st_check(const unsigned char *b, uint64_t seed, uint64_t from, size_t n);
/* st_check() or st_fail() naming @what and the position. */
void st_expect(const unsigned char *b, uint64_t seed, uint64_t from, size_t n,
	       const char *what);

uint64_t st_rand(uint64_t *state);
/* A seed that differs per process and per call (for st_rand()). */
uint64_t st_seed(void);
void st_sleep_us(long us);
/*
 * State letter of task @tid of process @pid ('?' if unknown); its wchan in
 * @wchan (@wn bytes) unless @wchan is NULL.
 */
char st_task_state(pid_t pid, pid_t tid, char *wchan, size_t wn);

/* pipe2() with F_SETPIPE_SZ @size (0: default); st_fail() on error. */
void st_pipe(int fds[2], int flags, size_t size);
/* Read-end claim / write-end window; MAP_FAILED with errno on error. */
void *st_claim(int rfd, size_t len);
void *st_window(int wfd, size_t len);
/* write()/read() all of it; -1 with errno on error, read: bytes at EOF. */
ssize_t st_write_all(int fd, const void *b, size_t n);
ssize_t st_read_all(int fd, void *b, size_t n);

/* Field @key ("Key:  N kB" lines) of /proc file @path in kB, -1 if absent. */
long st_proc_kb(const char *path, const char *key);
/* A /proc/meminfo field in kB, -1 if absent. */
long st_meminfo(const char *key);
/*
 * Before a memory sample: drop reclaimable caches, wait out RCU-deferred
 * frees, shrink every slab cache (SLUB_DEBUG kernels; also empties the
 * KASAN quarantine). Returns the number of caches shrunk, -1 without
 * /sys/kernel/slab.
 */
int st_settle(void);
/* Pages on the per-CPU free lists: free, but not counted in MemFree. */
long st_pcp_pages(void);
/* Print the state, wchan and kernel stack of every task of process @pid. */
void st_dump_tasks(pid_t pid);

#endif
