// SPDX-License-Identifier: GPL-2.0
/*
 * extmmap-workload: a free-running concurrent workload on one pipe, recorded as a history in
 * the format of conformance/histories.md (that file is the contract; read it first). Several
 * real processes make random calls on the pipe and its mappings with no coordination between
 * them; every call is bracketed by two tickets of one shared counter, so the history says which
 * calls certainly preceded which. Whether some behaviour of the spec explains the history is
 * the checker's business (org.extmmap.conformance.history), not this program's: it exits 0
 * whenever the history was written, whatever the kernel did.
 *
 *   extmmap-workload --seed S --procs N --seconds T --out FILE [--capacity BYTES] [--small]
 *                    [--without CALL]...
 *   extmmap-workload --pattern-selftest
 *
 * The conductor (process 0) creates the pipe and N-1 processes in all (N-2 by its own forks when
 * N >= 4, so that one worker can fork the last one), closes both of its ends and from then on
 * only observes: it sends SIGUSR1 to a random live process every 20-80 ms, sets the stop flag at
 * T seconds (each process finishes its call and exits; the signals go on, so that a read()
 * waiting for bytes only its own write end could bring ends with EINTR), SIGKILLs whatever is
 * still alive 3 s later (EXTMMAP_TIME_SCALE scales those 3 s), reaps every process (it is a
 * subreaper, so grandchildren too) and writes FILE. Exit status: 0 when FILE was written, 2 on
 * a usage or setup error.
 *
 * --small: tiny lengths and at most 12 calls per process, for a history short enough for TLC.
 * --without CALL: never make that call (read, claim: mmap of the read end), to set a known
 *   disagreement between the kernel and the spec aside while the rest is judged.
 * --pattern-selftest: prints pattern() and digest() of fixed inputs, for a Java cross-check.
 *
 * What histories.md leaves to the writer, decided here:
 * - handles m<proc>.<k> count the successful mmaps of <proc> from k = 1;
 * - the H line's procs is the number of process names used (the conductor and every fork);
 * - poll's readable is POLLIN or POLLHUP (at EOF an empty pipe says only POLLHUP);
 * - munmap, mprotect and mremap address only pages the process still maps (a run of them; for
 *   mprotect and mremap the last run), never a hole a newer mapping may fill;
 * - a load may read past the mapping's length up to the end of its last page (the spec's zero
 *   fill); window stores stay below the window's length; each load and store is in one page;
 * - a fork that fails even after a second of EAGAIN retries changed nothing: its I line is
 *   taken back (and a warning printed), so the call is not in the history;
 * - a process that dies of another signal than the conductor's SIGKILL (a SIGSEGV would be a
 *   kernel or workload bug) gets "D <proc> killed" with no K line, and a warning;
 * - a mapping the kernel let mremap grow or mprotect change (wrongly) is not touched again.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <poll.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <linux/pipe_mmap.h>	/* the series' uapi header (kernel-patch/uapi-header.sh) */
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define MAX_PROCS 64			/* --procs at most */
#ifndef LOG_SLOTS
#define LOG_SLOTS (1u << 20)		/* events a run can record (-D for a test of a full log) */
#endif
#define SLOT_TEXT 152			/* one line, without its ticket */
/* tickets kept for the calls in flight, the exits, K and D lines once the log is nearly full */
#define LOG_RESERVE (16 * MAX_PROCS + 64)
#define MAX_IO 32768			/* read/write lengths at most */
#define MAX_MAPS 32			/* mappings a process tracks */
#define MAPS_SOFT 16			/* no new mapping while a process tracks this many */
#define MAX_PAGES 3			/* pages of a mapping at most */
#define SMALL_CALLS 12			/* --small: calls per process at most */
#define CLOSE_PER_MILLE 5		/* close of an end: per mille of the calls */
#define CLOSE_SMALL 20			/* ... with --small */
#define GRACE_S 3.0			/* from the stop flag to SIGKILL, times EXTMMAP_TIME_SCALE */

/* One event: the line without its ticket (the ticket is the slot's index). */
struct slot {
	uint32_t filled;		/* written last: a slot never filled is left out */
	uint32_t len;
	char text[SLOT_TEXT];
};

_Static_assert(sizeof(struct slot) == 160, "a slot is 160 bytes");

/* The shared page in front of the log. */
struct shared {
	uint64_t counter;		/* the ticket counter (histories.md, "Order") */
	uint32_t next_name;		/* the next process name */
	uint32_t go;			/* set once the conductor made its processes and closed its ends */
	uint32_t stop;			/* set by the conductor at T seconds */
	int32_t pid[MAX_PROCS];		/* pid of each process name, 0 while unknown */
	uint32_t exiting[MAX_PROCS];	/* set right before the process records exit */
	uint32_t fork_failed;		/* forks that failed (left out of the history) */
};

/* A mapping this process maps, named by the handle m<owner>.<k> of the process that made it. */
struct map {
	uint32_t owner, k;
	unsigned char *addr;
	size_t len;			/* the mmap length in bytes */
	unsigned int npages;
	char end;			/* 'r': a claim, 'w': a window */
	unsigned char rw, shared, own;	/* own: made by this process (not inherited by fork) */
	uint32_t mask;			/* pages still mapped by this process */
	uint64_t known;			/* the latest claimend bytes this process saw */
	int final;			/* ... and whether it was final */
};

static struct shared *sh;
static struct slot *slots;
static size_t page;
static int rfd = -1, wfd = -1;
static uint64_t seed;
static uint32_t nprocs;
static int small;
static int without_read, without_claim;	/* --without */
/* extended mmap absent (a stock kernel): mapping calls are left out, the rest is judged */
static int present;

/* per process (a fork's child starts afresh in become_child()) */
static uint32_t me;			/* this process's name */
static uint32_t child_name;		/* set before fork(): the child's name */
static uint64_t rng;
static uint64_t callno;
static uint32_t nmade;			/* mappings this process made: the k of its handles */
static int has_r, has_w, forked;
static unsigned int calls;
static struct map maps[MAX_MAPS];
static int nmaps;

/* the call being recorded */
static uint64_t usr1_before, pipe_before, d_usr1, d_pipe;
static uint64_t cur_i;			/* its invocation ticket */

static volatile sig_atomic_t n_usr1, n_pipe;
static sigjmp_buf fault_jmp;
static volatile sig_atomic_t fault_armed;

static unsigned char iobuf[MAX_IO];

/* --- bytes -------------------------------------------------------------------------------- */

#include "history-common.h"	/* mix, pattern, digest, bytes_word, errname */

static void pattern_selftest(void)
{
	static const uint64_t keys[] = { 0, 1, 12345678901234567ULL };
	static const uint64_t js[] = { 0, 1, 4095, 4096 };
	static const char *const texts[] = { "", "a", "hello world" };

	for (size_t k = 0; k < sizeof(keys) / sizeof(keys[0]); k++)
		for (size_t j = 0; j < sizeof(js) / sizeof(js[0]); j++)
			printf("pattern %" PRIu64 " %" PRIu64 " %u\n", keys[k], js[j],
			       pattern(keys[k], js[j]));
	for (size_t t = 0; t < sizeof(texts) / sizeof(texts[0]); t++)
		printf("digest %016" PRIx64 "\n",
		       digest((const unsigned char *)texts[t], strlen(texts[t])));
}

/* --- randomness (SplitMix64, seeded from --seed and the process name) ---------------------- */

static void seed_rng(uint32_t name)
{
	rng = mix(seed ^ ((uint64_t)name << 48) ^ 0x5eedULL);
}

static uint64_t rnd(void)
{
	uint64_t r = mix(rng);

	rng += 0x9e3779b97f4a7c15ULL;
	return r;
}

/* lo..hi, both included */
static uint64_t rnd_in(uint64_t lo, uint64_t hi)
{
	return lo + rnd() % (hi - lo + 1);
}

static int chance(unsigned int percent)
{
	return rnd() % 100 < percent;
}

/* read/write lengths: 60% 1..64, 30% 65..8192, 10% 8193..32768 (--small: 1..8) */
static size_t io_len(void)
{
	unsigned int c = rnd() % 100;

	if (small)
		return rnd_in(1, 8);
	if (c < 60)
		return rnd_in(1, 64);
	if (c < 90)
		return rnd_in(65, 8192);
	return rnd_in(8193, MAX_IO);
}

/* load/store lengths within one page (--small: 1..4) */
static size_t access_len(void)
{
	if (small)
		return rnd_in(1, 4);
	/* every byte is a spec step for the checker: runs of a whole page are rare */
	return chance(50) ? rnd_in(1, 64) : chance(90) ? rnd_in(65, 512) : rnd_in(1, page);
}

/* --- the log -------------------------------------------------------------------------------- */

static uint64_t take_ticket(void)
{
	return __atomic_fetch_add(&sh->counter, 1, __ATOMIC_SEQ_CST);
}

static uint64_t tickets_taken(void)
{
	return __atomic_load_n(&sh->counter, __ATOMIC_SEQ_CST);
}

/* A line that does not fit is a bug of this program: the history would be wrong. */
static void line_too_long(const char *line)
{
	fprintf(stderr, "extmmap-workload[%u]: internal error: event line too long: %.60s...\n",
		me, line);
	_exit(3);
}

static void put_line(uint64_t t, const char *line, size_t n)
{
	struct slot *s;

	if (t >= LOG_SLOTS)
		return;		/* cannot happen with LOG_RESERVE; the writer reports a gap */
	s = &slots[t];
	memcpy(s->text, line, n);
	s->len = n;
	__atomic_store_n(&s->filled, 1, __ATOMIC_RELEASE);
}

/* K and D lines: a ticket, then the line */
static void event(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void event(const char *fmt, ...)
{
	char line[SLOT_TEXT];
	uint64_t t = take_ticket();
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	if (n < 0 || n >= (int)sizeof(line))
		line_too_long(line);
	put_line(t, line, n);
}

/*
 * The invocation: the line is made first, so that the ticket comes right before the call;
 * the slot is filled before the call, so that a call killed while it blocks stays pending.
 */
static void begin_line(const char *line, int n)
{
	cur_i = take_ticket();
	put_line(cur_i, line, n);
	usr1_before = n_usr1;
	pipe_before = n_pipe;
}

/* the I line of this process into line[SLOT_TEXT]; its length */
static int format_call(char *line, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static int format_call(char *line, const char *fmt, ...)
{
	va_list ap;
	int n = snprintf(line, SLOT_TEXT, "I %u ", me);

	va_start(ap, fmt);
	n += vsnprintf(line + n, SLOT_TEXT - n, fmt, ap);
	va_end(ap);
	if (n >= SLOT_TEXT)
		line_too_long(line);
	return n;
}

#define begin(...) do {							\
	char line_[SLOT_TEXT];						\
	int n_ = format_call(line_, __VA_ARGS__);			\
									\
	begin_line(line_, n_);						\
} while (0)

/* Right after the call returns: the handlers that ran during it, then the completion ticket. */
static uint64_t finish(void)
{
	d_usr1 = (uint64_t)n_usr1 - usr1_before;
	d_pipe = (uint64_t)n_pipe - pipe_before;
	return take_ticket();
}

static void result(uint64_t t, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void result(uint64_t t, const char *fmt, ...)
{
	char line[SLOT_TEXT];
	va_list ap;
	int n = snprintf(line, sizeof(line), "R %u ", me);

	va_start(ap, fmt);
	n += vsnprintf(line + n, sizeof(line) - n, fmt, ap);
	va_end(ap);
	if (d_usr1 && n < (int)sizeof(line))
		n += snprintf(line + n, sizeof(line) - n, " sig=%" PRIu64, d_usr1);
	if (d_pipe && n < (int)sizeof(line))
		n += snprintf(line + n, sizeof(line) - n, " sigpipe=%" PRIu64, d_pipe);
	if (n >= (int)sizeof(line))
		line_too_long(line);
	put_line(t, line, n);
}

/* ok, or err <ERRNO> */
static void result_ret(uint64_t t, long r, int e)
{
	if (r < 0)
		result(t, "err %s", errname(e));
	else
		result(t, "ok");
}

/* --- signals -------------------------------------------------------------------------------- */

static void on_usr1(int sig)
{
	(void)sig;
	n_usr1++;
}

static void on_pipe(int sig)
{
	(void)sig;
	n_pipe++;
}

/* SIGBUS in a load or store: out of it; elsewhere (a bug): die by it, with the default action */
static void on_bus(int sig)
{
	if (!fault_armed) {
		signal(sig, SIG_DFL);
		return;		/* the access faults again, now fatally */
	}
	fault_armed = 0;
	siglongjmp(fault_jmp, 1);
}

/* --- mappings ------------------------------------------------------------------------------- */

static uint32_t full_mask(const struct map *m)
{
	return (1u << m->npages) - 1;
}

static int page_mapped(const struct map *m, unsigned int k)
{
	return (m->mask >> k) & 1;
}

/* a random page of m that this process still maps */
static unsigned int some_page(const struct map *m)
{
	unsigned int pages[MAX_PAGES], n = 0;

	for (unsigned int k = 0; k < m->npages; k++)
		if (page_mapped(m, k))
			pages[n++] = k;
	return pages[rnd() % n];
}

/* the run of mapped pages [*a, *b) around page k */
static void run_of(const struct map *m, unsigned int k, unsigned int *a, unsigned int *b)
{
	*a = k;
	while (*a > 0 && page_mapped(m, *a - 1))
		(*a)--;
	*b = k + 1;
	while (*b < m->npages && page_mapped(m, *b))
		(*b)++;
}

/* the last run of mapped pages */
static void last_run(const struct map *m, unsigned int *a, unsigned int *b)
{
	unsigned int k = m->npages - 1;

	while (!page_mapped(m, k))
		k--;
	run_of(m, k, a, b);
}

enum filter { ANY, CLAIM, OWN_WINDOW, PRIVATE_RW, WINDOW };

static int matches(const struct map *m, enum filter f)
{
	switch (f) {
	case ANY:
		return 1;
	case CLAIM:
		return m->end == 'r';
	case OWN_WINDOW:	/* stores and msync: own windows, every page still mapped */
		return m->end == 'w' && m->own && m->mask == full_mask(m);
	case PRIVATE_RW:
		return m->end == 'r' && !m->shared && m->rw;
	case WINDOW:
		return m->end == 'w';
	}
	return 0;
}

static int has_map(enum filter f)
{
	for (int i = 0; i < nmaps; i++)
		if (matches(&maps[i], f))
			return 1;
	return 0;
}

/* a random tracked mapping that passes f, or NULL */
static struct map *pick_map(enum filter f)
{
	int idx[MAX_MAPS], n = 0;

	for (int i = 0; i < nmaps; i++)
		if (matches(&maps[i], f))
			idx[n++] = i;
	return n ? &maps[idx[rnd() % n]] : NULL;
}

static void forget_map(struct map *m)
{
	*m = maps[--nmaps];
}

static const char *handle(const struct map *m)
{
	static char buf[2][32];
	static int which;

	which ^= 1;
	snprintf(buf[which], sizeof(buf[which]), "m%u.%u", m->owner, m->k);
	return buf[which];
}

/*
 * A page of claim m that a load can finish on without waiting, from what this process last
 * learned by claimend: wholly committed, or at a final end. -1 when it knows of none.
 */
static int ready_page(const struct map *m)
{
	unsigned int pages[MAX_PAGES], n = 0;

	for (unsigned int k = 0; k < m->npages; k++) {
		uint64_t hi = (uint64_t)(k + 1) * page < m->len ? (uint64_t)(k + 1) * page : m->len;

		if (page_mapped(m, k) && (m->final || m->known >= hi))
			pages[n++] = k;
	}
	return n ? (int)pages[rnd() % n] : -1;
}

/* --- the calls ------------------------------------------------------------------------------ */

static uint64_t new_key(void)
{
	return (seed << 40) ^ ((uint64_t)me << 28) ^ callno;
}

static void do_write(void)
{
	size_t n = io_len();
	uint64_t key = new_key(), t;
	ssize_t r;
	int e;

	for (size_t j = 0; j < n; j++)
		iobuf[j] = pattern(key, j);
	begin("write %zu %" PRIu64, n, key);
	r = write(wfd, iobuf, n);
	e = errno;
	t = finish();
	if (r < 0)
		result(t, "err %s", errname(e));
	else
		result(t, "ok %zd", r);
}

static void do_read(void)
{
	size_t n = io_len();
	char word[24];
	uint64_t t;
	ssize_t r;
	int e;

	begin("read %zu", n);
	r = read(rfd, iobuf, n);
	e = errno;
	t = finish();
	if (r < 0)
		result(t, "err %s", errname(e));
	else
		result(t, "ok %zd %s", r, bytes_word(word, iobuf, r, small && r <= 8));
}

/*
 * poll() and FIONREAD are two system calls, and another process may read between them: each
 * is a call of its own in the history (the spec's Poll step answers both; each is judged on
 * its half).
 */
static void do_poll(void)
{
	struct pollfd p = { .fd = rfd, .events = POLLIN };
	int r, q, nread = 0, e;
	uint64_t t;

	begin("poll");
	r = poll(&p, 1, 0);
	e = errno;
	t = finish();
	if (r < 0)	/* cannot happen with the read end open */
		result(t, "err %s", errname(e));
	else	/* at EOF an empty pipe says POLLHUP, not POLLIN: read() would not block either */
		result(t, "ok %d", (p.revents & (POLLIN | POLLHUP)) ? 1 : 0);
	begin("fionread");
	q = ioctl(rfd, FIONREAD, &nread);
	e = errno;
	t = finish();
	if (q < 0)
		result(t, "err %s", errname(e));
	else
		result(t, "ok %d", nread);
}

static void do_close(void)
{
	int w = has_w && (!has_r || chance(50));
	uint64_t t;
	int r, e;

	begin("close %c", w ? 'w' : 'r');
	r = close(w ? wfd : rfd);
	e = errno;
	t = finish();
	result_ret(t, r, e);
	if (w)
		has_w = 0;
	else
		has_r = 0;
}

/* mmap of the read end (a claim) or of the write end (a window) */
static void do_mmap(char end)
{
	size_t len;
	int rw, shared, e;
	void *p;
	uint64_t t;

	if (end == 'r') {
		unsigned int c = rnd() % 100;
		unsigned int pages = small ? 1 : rnd_in(1, MAX_PAGES);

		len = pages * page;
		if (!small && chance(30))
			len -= rnd_in(1, page - 1);	/* not a page multiple */
		rw = c >= 85;
		shared = c < 70;
	} else {
		unsigned int pages = small ? 1 : rnd_in(1, 2);

		len = pages * page;
		if (!small && chance(25))
			len -= rnd_in(1, page - 1);
		rw = 1;
		shared = 1;
	}
	begin("mmap %c %zu %s %s 0", end, len, rw ? "rw" : "r", shared ? "shared" : "private");
	p = mmap(NULL, len, PROT_READ | (rw ? PROT_WRITE : 0), shared ? MAP_SHARED : MAP_PRIVATE,
		 end == 'r' ? rfd : wfd, 0);
	e = errno;
	t = finish();
	if (p == MAP_FAILED) {
		result(t, "err %s", errname(e));
		return;
	}
	maps[nmaps] = (struct map){
		.owner = me, .k = ++nmade, .addr = p, .len = len,
		.npages = (len + page - 1) / page, .end = end, .rw = rw, .shared = shared,
		.own = 1,
	};
	maps[nmaps].mask = full_mask(&maps[nmaps]);
	result(t, "ok %s", handle(&maps[nmaps]));
	nmaps++;
}

/*
 * The call of a load or a store: the I line, the n accesses of one byte each, between the
 * tickets. 0, or -1 when SIGBUS stopped it (the handler leaves through fault_jmp).
 */
static int __attribute__((noinline)) access_bytes(const char *line, int len,
						  volatile unsigned char *addr, unsigned char *buf,
						  size_t n, int store)
{
	if (sigsetjmp(fault_jmp, 0))
		return -1;
	begin_line(line, len);
	fault_armed = 1;
	if (store)
		for (size_t j = 0; j < n; j++)
			addr[j] = buf[j];
	else
		for (size_t j = 0; j < n; j++)
			buf[j] = addr[j];
	fault_armed = 0;
	return 0;
}

/* a load: bytes [off, off + n) of claim m, in one mapped page */
static void do_load(struct map *m)
{
	/* mostly pages the end query says are there: a load that waits holds its process, and
	 * when every worker waits in one nobody writes until the conductor's SIGKILL */
	int k = chance(90) ? ready_page(m) : -1;
	size_t n = access_len(), off;
	char line[SLOT_TEXT], word[24];
	uint64_t t;
	int len, r;

	if (k < 0)
		k = some_page(m);
	off = (size_t)k * page + rnd_in(0, page - n);
	len = format_call(line, "load %s %zu %zu", handle(m), off, n);
	r = access_bytes(line, len, m->addr + off, iobuf, n, 0);
	t = finish();
	if (r < 0)
		result(t, "sigbus");
	else
		result(t, "ok %s", bytes_word(word, iobuf, n, small && n <= 8));
}

/* a store of pattern(key, j) into a window (op "store") or a MAP_PRIVATE claim ("pstore") */
static void do_store(struct map *m)
{
	/* each byte of a private store copies the model's stores of the claim: keep those short */
	size_t n = m->end == 'w' ? access_len() : access_len() % 16 + 1, off;
	uint64_t key = new_key(), t;
	char line[SLOT_TEXT];
	int len, r;
	const char *op = m->end == 'w' ? "store" : "pstore";

	if (m->end == 'w') {
		/* window stores stay below len: the window's bytes are [0, len) */
		unsigned int k = rnd() % m->npages;
		size_t lo = (size_t)k * page;
		size_t hi = lo + page < m->len ? lo + page : m->len;

		if (n > hi - lo)
			n = hi - lo;
		off = lo + rnd_in(0, hi - lo - n);
	} else {
		int k = chance(90) ? ready_page(m) : -1;

		off = (size_t)(k < 0 ? some_page(m) : (unsigned int)k) * page;
		off += rnd_in(0, page - n);
	}
	for (size_t j = 0; j < n; j++)
		iobuf[j] = pattern(key, j);
	len = format_call(line, "%s %s %zu %zu %" PRIu64, op, handle(m), off, n, key);
	r = access_bytes(line, len, m->addr + off, iobuf, n, 1);
	t = finish();
	result(t, r < 0 ? "sigbus" : "ok");
}

static void do_msync(struct map *m)
{
	size_t e = rnd_in(1, m->len);
	uint64_t t;
	int r, err;

	begin("msync %s %zu", handle(m), e);
	r = msync(m->addr, e, MS_SYNC);
	err = errno;
	t = finish();
	result_ret(t, r, err);
}

/* munmap of a run of pages this process still maps: never a hole another mapping may fill */
static void do_munmap(struct map *m)
{
	unsigned int a, b, lo, hi;
	uint64_t t;
	int r, e;

	run_of(m, some_page(m), &lo, &hi);
	if (chance(40)) {
		a = lo;
		b = hi;
	} else {
		a = rnd_in(lo, hi - 1);
		b = rnd_in(a + 1, hi);
	}
	begin("munmap %s %u %u", handle(m), a, b);
	r = munmap(m->addr + (size_t)a * page, (size_t)(b - a) * page);
	e = errno;
	t = finish();
	result_ret(t, r, e);
	if (r == 0) {
		m->mask &= ~(((1u << b) - 1) & ~((1u << a) - 1));
		if (!m->mask)
			forget_map(m);
	}
}

static void do_claimend(struct map *m)
{
	unsigned int k = some_page(m);
	struct pipe_claim_end q = { .addr = (uintptr_t)(m->addr + (size_t)k * page) };
	uint64_t t;
	int r, e;

	begin("claimend %s %u", handle(m), k);
	r = ioctl(rfd, PIPE_IOC_CLAIM_END, &q);
	e = errno;
	t = finish();
	if (r < 0) {
		result(t, "err %s", errname(e));
		return;
	}
	result(t, "ok %" PRIu64 " %d", (uint64_t)q.bytes, (q.flags & PIPE_CLAIM_FINAL) ? 1 : 0);
	if (m->end == 'r' && q.bytes >= m->known) {
		m->known = q.bytes;
		m->final = !!(q.flags & PIPE_CLAIM_FINAL);
	}
}

/*
 * mprotect over the last run of pages still mapped, only as the spec has it: refused (a shared
 * claim made writable, anything made executable). A private claim made writable is not a step
 * of the spec. A mapping whose protection changed (wrongly) is never touched again.
 */
static void do_mprotect(struct map *m)
{
	int rw = m->end == 'r' && m->shared && chance(50);
	unsigned int a, b;
	uint64_t t;
	int r, e;

	last_run(m, &a, &b);
	begin("mprotect %s %s", handle(m), rw ? "rw" : "rx");
	r = mprotect(m->addr + (size_t)a * page, (size_t)(b - a) * page,
		     PROT_READ | (rw ? PROT_WRITE : PROT_EXEC));
	e = errno;
	t = finish();
	result_ret(t, r, e);
	if (r == 0)
		forget_map(m);
}

/* mremap growing the last run of pages by a page; a mapping that moved is never touched again */
static void do_mremap(struct map *m)
{
	unsigned int a, b;
	size_t len;
	uint64_t t;
	void *p;
	int e;

	last_run(m, &a, &b);
	len = (size_t)(b - a) * page;
	begin("mremap %s", handle(m));
	p = mremap(m->addr + (size_t)a * page, len, len + page, MREMAP_MAYMOVE);
	e = errno;
	t = finish();
	if (p == MAP_FAILED) {
		result(t, "err %s", errname(e));
	} else {
		result(t, "ok");
		forget_map(m);	/* the kernel grew it, wrongly: leave it alone */
	}
}

/* a new process name while fewer than --procs processes were ever made */
static int take_name(uint32_t *name)
{
	uint32_t cur = __atomic_load_n(&sh->next_name, __ATOMIC_SEQ_CST);

	do {
		if (cur >= nprocs)
			return 0;
	} while (!__atomic_compare_exchange_n(&sh->next_name, &cur, cur + 1, 0, __ATOMIC_SEQ_CST,
					      __ATOMIC_SEQ_CST));
	*name = cur;
	return 1;
}

static void become_child(void)
{
	me = child_name;
	__atomic_store_n(&sh->pid[me], getpid(), __ATOMIC_SEQ_CST);
	seed_rng(me);
	callno = 0;
	nmade = 0;
	forked = 0;
	calls = 0;
	for (int i = 0; i < nmaps; i++)
		maps[i].own = 0;	/* inherited: the parent's handles, the parent's windows */
}

/*
 * The recorded fork: 1 in the parent, 0 in the child, -1 when no process could be made. A fork
 * that fails (EAGAIN beyond a second of retries) changed nothing: its I line is taken back so
 * that the call is not in the history.
 */
static int do_fork(void)
{
	struct timespec pause = { 0, 20 * 1000 * 1000 };
	uint32_t name, expect;
	uint64_t t;
	pid_t pid;
	int e;

	if (!take_name(&name))
		return -1;
	child_name = name;
	begin("fork");
	for (int tries = 0;; tries++) {
		pid = fork();
		if (pid >= 0 || errno != EAGAIN || tries == 50)
			break;
		nanosleep(&pause, NULL);
	}
	if (pid == 0) {
		become_child();
		return 0;
	}
	if (pid < 0) {
		e = errno;
		if (cur_i < LOG_SLOTS)
			__atomic_store_n(&slots[cur_i].filled, 0, __ATOMIC_RELEASE);
		expect = name + 1;
		__atomic_compare_exchange_n(&sh->next_name, &expect, name, 0, __ATOMIC_SEQ_CST,
					    __ATOMIC_SEQ_CST);
		__atomic_fetch_add(&sh->fork_failed, 1, __ATOMIC_SEQ_CST);
		fprintf(stderr, "extmmap-workload[%u]: fork failed (%s), left out of the history\n",
			me, strerror(e));
		return -1;
	}
	__atomic_store_n(&sh->pid[name], pid, __ATOMIC_SEQ_CST);
	t = finish();
	result(t, "ok %u", name);
	return 1;
}

static void do_exit(void) __attribute__((noreturn));
static void do_exit(void)
{
	__atomic_store_n(&sh->exiting[me], 1, __ATOMIC_SEQ_CST);
	begin("exit");
	_exit(0);
}

enum op {
	OP_WRITE, OP_READ, OP_POLL, OP_CLAIM, OP_WINDOW, OP_LOAD, OP_STORE, OP_PSTORE, OP_MSYNC,
	OP_MUNMAP, OP_CLAIMEND, OP_MPROTECT, OP_MREMAP, OP_FORK, OP_COUNT
};

static const unsigned int weights[OP_COUNT] = {
	[OP_WRITE] = 16, [OP_READ] = 16, [OP_POLL] = 5, [OP_CLAIM] = 8, [OP_WINDOW] = 5,
	[OP_LOAD] = 12, [OP_STORE] = 6, [OP_PSTORE] = 3, [OP_MSYNC] = 6, [OP_MUNMAP] = 4,
	[OP_CLAIMEND] = 5, [OP_MPROTECT] = 1, [OP_MREMAP] = 1, [OP_FORK] = 2,
};

static unsigned int weight(enum op op)
{
	switch (op) {
	case OP_WRITE:
		return has_w ? weights[op] : 0;
	case OP_READ:
		return has_r && !without_read ? weights[op] : 0;
	case OP_POLL:
		return has_r ? weights[op] : 0;
	case OP_CLAIM:
		return present && !without_claim && has_r && nmaps < MAPS_SOFT ? weights[op] : 0;
	case OP_WINDOW:
		return present && has_w && nmaps < MAPS_SOFT ? weights[op] : 0;
	case OP_LOAD:
		return has_map(CLAIM) ? weights[op] : 0;
	case OP_STORE:
	case OP_MSYNC:
		return has_map(OWN_WINDOW) ? weights[op] : 0;
	case OP_PSTORE:
		return has_map(PRIVATE_RW) ? weights[op] : 0;
	case OP_MUNMAP:
		return nmaps ? weights[op] + nmaps : 0;
	case OP_CLAIMEND:
		return has_r && nmaps ? weights[op] : 0;
	case OP_MPROTECT:
	case OP_MREMAP:
		return nmaps ? weights[op] : 0;
	case OP_FORK:
		if (forked || __atomic_load_n(&sh->next_name, __ATOMIC_SEQ_CST) >= nprocs)
			return 0;
		return small ? 8 : weights[op];
	default:
		return 0;
	}
}

/* One random call (after a fork, the child too returns here and goes on with its own calls). */
static void one_call(void)
{
	unsigned int w[OP_COUNT], total = 0, x;
	enum op op;

	callno++;
	if ((has_r || has_w) && rnd() % 1000 < (small ? CLOSE_SMALL : CLOSE_PER_MILLE)) {
		do_close();
		return;
	}
	for (op = 0; op < OP_COUNT; op++)
		total += w[op] = weight(op);
	if (!total)
		return;
	x = rnd() % total;
	for (op = 0; x >= w[op]; op++)
		x -= w[op];
	switch (op) {
	case OP_WRITE:
		do_write();
		break;
	case OP_READ:
		do_read();
		break;
	case OP_POLL:
		do_poll();
		break;
	case OP_CLAIM:
		do_mmap('r');
		break;
	case OP_WINDOW:
		do_mmap('w');
		break;
	case OP_LOAD:
		do_load(pick_map(CLAIM));
		break;
	case OP_STORE:
		do_store(pick_map(OWN_WINDOW));
		break;
	case OP_PSTORE:
		do_store(pick_map(PRIVATE_RW));
		break;
	case OP_MSYNC:
		do_msync(pick_map(OWN_WINDOW));
		break;
	case OP_MUNMAP:
		do_munmap(pick_map(ANY));
		break;
	case OP_CLAIMEND:
		/* a claim mostly; a window's page now and then (EINVAL) */
		if (has_map(WINDOW) && (!has_map(CLAIM) || chance(10)))
			do_claimend(pick_map(WINDOW));
		else
			do_claimend(pick_map(CLAIM));
		break;
	case OP_MPROTECT:
		do_mprotect(pick_map(ANY));
		break;
	case OP_MREMAP:
		do_mremap(pick_map(ANY));
		break;
	case OP_FORK:
		if (do_fork() > 0)
			forked = 1;
		break;
	default:
		break;
	}
}

static int must_stop(void)
{
	return __atomic_load_n(&sh->stop, __ATOMIC_SEQ_CST) ||
	       tickets_taken() >= LOG_SLOTS - LOG_RESERVE ||
	       (small && calls >= SMALL_CALLS) || (!has_r && !has_w);
}

static void worker(void) __attribute__((noreturn));
static void worker(void)
{
	struct timespec ms = { 0, 1000 * 1000 };

	/* the conductor's forks and closes come first, and its names are not taken by others */
	while (!__atomic_load_n(&sh->go, __ATOMIC_SEQ_CST))
		nanosleep(&ms, NULL);
	for (;;) {
		if (must_stop())
			do_exit();
		calls++;	/* before: a fork's child starts its own count at 0 */
		one_call();
	}
}

/* --- the conductor -------------------------------------------------------------------------- */

/* reaped; SIGKILL sent (K); died of a signal (D killed); died of another signal than ours */
static uint8_t reaped[MAX_PROCS], killed[MAX_PROCS], died_killed[MAX_PROCS], strange[MAX_PROCS];

static void usage_error(const char *fmt, ...) __attribute__((format(printf, 1, 2), noreturn));
static void usage_error(const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "extmmap-workload: ");
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\nusage: extmmap-workload --seed S --procs N --seconds T --out FILE "
		"[--capacity BYTES] [--small] [--without read|claim]...\n"
		"       extmmap-workload --pattern-selftest\n");
	exit(2);
}

static void setup_error(const char *fmt, ...) __attribute__((format(printf, 1, 2), noreturn));
static void setup_error(const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "extmmap-workload: ");
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\n");
	exit(2);
}

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static void sleep_s(double s)
{
	struct timespec ts = { (time_t)s, (long)((s - (time_t)s) * 1e9) };

	while (nanosleep(&ts, &ts) && errno == EINTR)
		;
}

static int name_of(pid_t pid)
{
	for (uint32_t p = 1; p < MAX_PROCS; p++)	/* a reaped process's pid may be reused */
		if (!reaped[p] && __atomic_load_n(&sh->pid[p], __ATOMIC_SEQ_CST) == pid)
			return p;
	return -1;
}

static void record_reaped(pid_t pid, int status)
{
	int p = name_of(pid);

	if (p < 0) {
		fprintf(stderr, "extmmap-workload: reaped pid %d, which is no process of the history\n",
			pid);
		return;
	}
	if (WIFSIGNALED(status) && (WTERMSIG(status) != SIGKILL || !killed[p])) {
		fprintf(stderr, "extmmap-workload: process %d died of signal %d (%s)%s\n", p,
			WTERMSIG(status), strsignal(WTERMSIG(status)),
			killed[p] ? "" : ", which the conductor did not send");
		strange[p] = 1;
	}
	died_killed[p] = WIFSIGNALED(status);
	if (WIFEXITED(status) && WEXITSTATUS(status))
		fprintf(stderr, "extmmap-workload: process %d exited with status %d\n", p,
			WEXITSTATUS(status));
	event("D %d %s", p, WIFSIGNALED(status) ? "killed" : "exited");
	reaped[p] = 1;
}

/*
 * Reaps what is there; 0 once no child is left. A process's children are reparented to the
 * conductor (the subreaper) before the process can be reaped, so no child left means no
 * process left.
 */
static int reap(void)
{
	for (;;) {
		int status;
		pid_t pid = waitpid(-1, &status, WNOHANG);

		if (pid < 0 && errno == EINTR)
			continue;
		if (pid < 0)
			return 0;
		if (pid == 0)
			return 1;
		record_reaped(pid, status);
	}
}

/* a process neither reaped nor known to be exiting */
static int live(uint32_t p)
{
	return p < __atomic_load_n(&sh->next_name, __ATOMIC_SEQ_CST) && !reaped[p] &&
	       __atomic_load_n(&sh->pid[p], __ATOMIC_SEQ_CST) > 0 &&
	       !__atomic_load_n(&sh->exiting[p], __ATOMIC_SEQ_CST);
}

/* SIGUSR1 to a random live process; 0 when none is left */
static int signal_one(void)
{
	uint32_t cand[MAX_PROCS], n = 0;

	for (uint32_t p = 1; p < MAX_PROCS; p++)
		if (live(p))
			cand[n++] = p;
	if (!n)
		return 0;
	kill(__atomic_load_n(&sh->pid[cand[rnd() % n]], __ATOMIC_SEQ_CST), SIGUSR1);
	return 1;
}

/* K for every live process not killed yet */
static void kill_live(void)
{
	for (uint32_t p = 1; p < MAX_PROCS; p++) {
		if (!live(p) || killed[p])
			continue;
		event("K %u", p);
		killed[p] = 1;
		kill(__atomic_load_n(&sh->pid[p], __ATOMIC_SEQ_CST), SIGKILL);
	}
}

/* the conductor's own calls: close of both ends */
static void conductor_close(char end)
{
	uint64_t t;
	int r, e;

	begin("close %c", end);
	r = close(end == 'r' ? rfd : wfd);
	e = errno;
	t = finish();
	result_ret(t, r, e);
}

struct tally {
	uint64_t events, calls, pending, gaps;
};

/* Writes the history; checks on the way that every R completes an open I of its process. */
static void write_history(FILE *out, const char *path, int capacity, int present,
			  struct tally *tl)
{
	uint64_t end = tickets_taken(), limit = end < LOG_SLOTS ? end : LOG_SLOTS;
	uint32_t procs = __atomic_load_n(&sh->next_name, __ATOMIC_SEQ_CST);
	int open_call[MAX_PROCS] = { 0 }, open_exit[MAX_PROCS] = { 0 };

	memset(tl, 0, sizeof(*tl));
	fprintf(out, "# extmmap-history 1\n");
	fprintf(out, "H seed=%" PRIu64 " page=%zu capacity=%d extmmap=%s procs=%u\n", seed, page,
		capacity, present ? "present" : "absent", procs);
	for (uint64_t t = 0; t < limit; t++) {
		struct slot *s = &slots[t];
		unsigned int p;
		char kind, op[16];

		if (!__atomic_load_n(&s->filled, __ATOMIC_ACQUIRE)) {
			tl->gaps++;
			continue;
		}
		fprintf(out, "%" PRIu64 " %.*s\n", t, (int)s->len, s->text);
		tl->events++;
		if (sscanf(s->text, "%c %u %15s", &kind, &p, op) < 2 || p >= MAX_PROCS)
			continue;
		if (kind == 'I') {
			if (open_call[p])
				fprintf(stderr, "extmmap-workload: internal error: ticket %" PRIu64
					": process %u invokes a call before its last one completed\n",
					t, p);
			open_call[p] = 1;
			open_exit[p] = !strncmp(op, "exit", 4);
			tl->calls++;
		} else if (kind == 'R') {
			if (!open_call[p])
				fprintf(stderr, "extmmap-workload: internal error: ticket %" PRIu64
					": a completion of process %u with no call\n", t, p);
			open_call[p] = 0;
		}
	}
	for (uint32_t p = 0; p < MAX_PROCS; p++) {
		if (!open_call[p] || open_exit[p])
			continue;
		tl->pending++;
		if (!died_killed[p])
			fprintf(stderr, "extmmap-workload: internal error: process %u has a pending call but was not killed\n",
				p);
	}
	if (fflush(out) || ferror(out) || fclose(out))
		setup_error("writing %s failed: %s (check the disk space and the path)", path,
			    strerror(errno));
	if (end > LOG_SLOTS)
		setup_error("the log overflowed (%" PRIu64 " tickets, %u slots): the history in %s is incomplete; run fewer --seconds",
			    end, LOG_SLOTS, path);
}

int main(int argc, char **argv)
{
	struct sigaction sa_usr1 = { .sa_handler = on_usr1 };	/* no SA_RESTART: the spec's EINTR */
	struct sigaction sa_pipe = { .sa_handler = on_pipe };
	struct sigaction sa_bus = { .sa_handler = on_bus, .sa_flags = SA_NODEFER };
	const char *path = NULL, *scale_env;
	double seconds = -1, scale = 1, t0, t_stop, t_kill;
	long capacity = 16384, pipe_sz;
	int have_seed = 0, have_procs = 0, fds[2], initial;
	uint32_t exited = 0, nkilled = 0, nstrange = 0;
	struct tally tl;
	size_t shared_len;
	FILE *out;
	void *base, *probe;

	for (int i = 1; i < argc; i++) {
		const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
		char *endp;

		if (!strcmp(a, "--pattern-selftest")) {
			if (argc != 2)
				usage_error("--pattern-selftest takes no other argument");
			pattern_selftest();
			return 0;
		}
		if (!strcmp(a, "--small")) {
			small = 1;
			continue;
		}
		if (!strcmp(a, "--without")) {
			if (!v || (strcmp(v, "read") && strcmp(v, "claim")))
				usage_error("--without takes read or claim");
			if (!strcmp(v, "read"))
				without_read = 1;
			else
				without_claim = 1;
			i++;
			continue;
		}
		if (strcmp(a, "--seed") && strcmp(a, "--procs") && strcmp(a, "--seconds") &&
		    strcmp(a, "--out") && strcmp(a, "--capacity"))
			usage_error("unknown argument %s", a);
		if (!v)
			usage_error("%s needs a value", a);
		errno = 0;
		if (!strcmp(a, "--seed")) {
			seed = strtoull(v, &endp, 0);
			if (errno || *endp || !*v || *v == '-')
				usage_error("--seed %s: not an unsigned 64-bit number", v);
			have_seed = 1;
		} else if (!strcmp(a, "--procs")) {
			long n = strtol(v, &endp, 10);

			if (errno || *endp || !*v || n < 2 || n > MAX_PROCS)
				usage_error("--procs %s: give 2..%d (the conductor and the processes it makes)",
					    v, MAX_PROCS);
			nprocs = n;
			have_procs = 1;
		} else if (!strcmp(a, "--seconds")) {
			seconds = strtod(v, &endp);
			if (errno || *endp || !*v || !(seconds > 0) || seconds > 86400)
				usage_error("--seconds %s: give a positive number of seconds", v);
		} else if (!strcmp(a, "--out")) {
			path = v;
		} else if (!strcmp(a, "--capacity")) {
			capacity = strtol(v, &endp, 10);
			if (errno || *endp || !*v || capacity < 1 || capacity > (1L << 30))
				usage_error("--capacity %s: give the pipe's size in bytes (F_SETPIPE_SZ)", v);
		} else {
			usage_error("unknown argument %s", a);
		}
		i++;
	}
	if (!have_seed || !have_procs || seconds < 0 || !path)
		usage_error("--seed, --procs, --seconds and --out are required");
	scale_env = getenv("EXTMMAP_TIME_SCALE");
	if (scale_env && *scale_env) {
		char *endp;

		errno = 0;
		scale = strtod(scale_env, &endp);
		if (errno || *endp || !(scale > 0) || scale > 1000)
			setup_error("EXTMMAP_TIME_SCALE=%s: give a positive factor (1 when unset)",
				    scale_env);
	}
	page = sysconf(_SC_PAGESIZE);

	out = fopen(path, "w");
	if (!out)
		setup_error("cannot create %s: %s (check the path and its directory's permissions)",
			    path, strerror(errno));

	/* the shared page and the log: counter and slots, before the first fork */
	shared_len = (sizeof(struct shared) + page - 1) / page * page;
	base = mmap(NULL, shared_len + (size_t)LOG_SLOTS * sizeof(struct slot), PROT_READ | PROT_WRITE,
		    MAP_SHARED | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (base == MAP_FAILED)
		setup_error("cannot map the shared log (%zu MiB, MAP_SHARED|MAP_ANONYMOUS): %s (free memory or raise the address space limit, ulimit -v)",
			    ((size_t)LOG_SLOTS * sizeof(struct slot)) >> 20, strerror(errno));
	sh = base;
	slots = (struct slot *)((char *)base + shared_len);

	/* the pipe */
	if (pipe2(fds, 0))
		setup_error("pipe2: %s (too many open files? check ulimit -n)", strerror(errno));
	rfd = fds[0];
	wfd = fds[1];
	if (fcntl(wfd, F_SETPIPE_SZ, (int)capacity) < 0)
		setup_error("fcntl(F_SETPIPE_SZ, %ld): %s (above /proc/sys/fs/pipe-max-size or the per-user pipe limit: give a smaller --capacity)",
			    capacity, strerror(errno));
	pipe_sz = fcntl(wfd, F_GETPIPE_SZ);
	if (pipe_sz < 0)
		setup_error("fcntl(F_GETPIPE_SZ): %s", strerror(errno));

	/* extended mmap: present when a fresh pipe's read end maps (on a scratch pipe) */
	if (pipe2(fds, 0))
		setup_error("pipe2 (the probe's pipe): %s", strerror(errno));
	probe = mmap(NULL, page, PROT_READ, MAP_SHARED, fds[0], 0);
	present = probe != MAP_FAILED;
	if (present)
		munmap(probe, page);
	close(fds[0]);
	close(fds[1]);

	if (prctl(PR_SET_CHILD_SUBREAPER, 1))
		setup_error("prctl(PR_SET_CHILD_SUBREAPER): %s (the conductor must reap every process)",
			    strerror(errno));
	sigemptyset(&sa_usr1.sa_mask);
	sigemptyset(&sa_pipe.sa_mask);
	sigemptyset(&sa_bus.sa_mask);
	if (sigaction(SIGUSR1, &sa_usr1, NULL) || sigaction(SIGPIPE, &sa_pipe, NULL) ||
	    sigaction(SIGBUS, &sa_bus, NULL))
		setup_error("sigaction: %s", strerror(errno));

	me = 0;
	seed_rng(0);
	has_r = has_w = 1;
	sh->next_name = 1;
	sh->pid[0] = getpid();
	t0 = now_s();

	/* the processes: N-1 in all, one of them by a worker's fork when N >= 4 */
	initial = nprocs >= 4 ? nprocs - 2 : nprocs - 1;
	for (int i = 0; i < initial; i++) {
		int r = do_fork();

		if (r == 0)
			worker();
		if (r < 0)
			setup_error("cannot fork the processes: %s (check ulimit -u)", strerror(errno));
	}
	conductor_close('r');
	conductor_close('w');
	has_r = has_w = 0;
	__atomic_store_n(&sh->go, 1, __ATOMIC_SEQ_CST);

	/* free running: SIGUSR1 to a random live process every 20-80 ms */
	t_stop = t0 + seconds;
	while (now_s() < t_stop && tickets_taken() < LOG_SLOTS - LOG_RESERVE) {
		sleep_s(rnd_in(20, 80) / 1000.0);
		if (!reap())
			break;
		signal_one();
	}
	__atomic_store_n(&sh->stop, 1, __ATOMIC_SEQ_CST);

	/*
	 * Each process finishes its call and exits. The signals go on, so that a read() waiting for
	 * bytes only its own write end could bring ends (EINTR) and its process exits; what is still
	 * alive at the deadline gets SIGKILL.
	 */
	t_kill = now_s() + GRACE_S * scale;
	while (reap() && now_s() < t_kill) {
		sleep_s(rnd_in(20, 80) / 1000.0);
		signal_one();
	}
	while (reap()) {
		kill_live();	/* again after each pause: a fork may have made one more meanwhile */
		sleep_s(0.02);
	}

	write_history(out, path, (int)pipe_sz, present, &tl);
	for (uint32_t p = 1; p < sh->next_name; p++) {
		if (!reaped[p])
			continue;
		if (died_killed[p])
			nkilled++;
		else
			exited++;
		nstrange += strange[p];
	}
	fprintf(stderr, "extmmap-workload: %s: %" PRIu64 " events, %" PRIu64 " calls, %" PRIu64
		" pending, %u processes (%u exited, %u killed", path, tl.events, tl.calls,
		tl.pending, sh->next_name, exited, nkilled);
	if (nstrange)
		fprintf(stderr, ", %u of them by a signal not the conductor's", nstrange);
	fprintf(stderr, "), extmmap %s, %.1f s", present ? "present" : "absent", now_s() - t0);
	if (tl.gaps)
		fprintf(stderr, ", %" PRIu64 " tickets with no line (killed before filling)", tl.gaps);
	if (sh->fork_failed)
		fprintf(stderr, ", %u failed forks left out", sh->fork_failed);
	fprintf(stderr, "\n");
	return 0;
}
