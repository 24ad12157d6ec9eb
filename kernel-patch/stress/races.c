// SPDX-License-Identifier: GPL-2.0
/*
 * Races (issue 6): threads faulting on read mappings while other threads
 * munmap parts of them, close descriptors, fork and write; several writers
 * (write() and window commits) against several consumers (read() and
 * claims); the last writer going away while faults wait.  Every byte seen
 * is checked against what the stream must hold there.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <setjmp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/wait.h>

#include "stress.h"

/*
 * races_claim_faults
 *
 * One owner thread makes every claim and read() of the pipe, so it knows
 * each claim's stream position exactly.  Faulting threads take the pages of
 * a claim in random order: most are loaded and checked, some are munmapped
 * (splitting the VMA while other pages' faults wait).  A forker thread
 * forks children that load and check pages of inherited claims.  Two writer
 * threads append the stream in random sizes with write() or window commits,
 * with lag, never past what the owner has asked for, so faults really wait.
 * The owner swaps its read descriptor for a dup now and then, and at the
 * end of a round closes it while claims are still mapped: writes must keep
 * succeeding until the last mapping is gone, and then fail with EPIPE.
 */
#define CF_FAULTERS	3
#define CF_WRITERS	2
#define CF_QMAX		8
#define CF_MAXCLAIM	(12 * PG)
#define CF_MAXWRITE	(16 * 1024)

struct cf_claim {
	unsigned char *addr;
	size_t len;
	uint64_t r0;
	int npages;
	int next;		/* next index into order[] (cf.lock) */
	int refs;		/* pages not finished + forkers (cf.lock) */
	int *order;
	unsigned char *unmap;	/* page is munmapped, never loaded */
	struct cf_claim *qnext;
};

struct cf_round {
	pthread_mutex_t lock;
	pthread_cond_t cond;
	uint64_t seed;
	int rfd, wfd;
	double end;
	uint64_t target;	/* bytes the owner needs written (lock) */
	int owner_done;		/* target is final (lock) */
	struct cf_claim *qhead, **qtail;
	int qlen;
	pthread_mutex_t wlock;	/* orders the writers' appends */
	uint64_t written;	/* (wlock) */
	atomic_ulong claims, reads, loads, unmaps, forks, dups, commits, writes;
	atomic_ulong waited;	/* loads whose fault took over 1 ms */
};

/*
 * A SIGSEGV would mean a claim page vanished under a load: say which page
 * the thread was at, the last munmaps and the address space.
 */
struct cf_act {
	const unsigned char *claim;
	size_t len;
	int page;
};
static __thread struct cf_act cf_act;

#define CF_LOG	64
static struct {
	const void *addr;
	size_t len;
	pid_t tid;
} cf_log[CF_LOG];
static atomic_uint cf_log_n;

static int cf_munmap(void *addr, size_t len)
{
	unsigned int i = atomic_fetch_add(&cf_log_n, 1) % CF_LOG;

	cf_log[i].addr = addr;
	cf_log[i].len = len;
	cf_log[i].tid = (pid_t)syscall(SYS_gettid);
	return munmap(addr, len);
}

static void cf_on_segv(int sig, siginfo_t *si, void *uc)
{
	unsigned int n = atomic_load(&cf_log_n);
	char buf[4096];
	int l, fd;

	l = snprintf(buf, sizeof(buf),
		     "FAIL races_claim_faults: SIGSEGV at %p in task %d; it was at claim %p len %zu page %d; last munmaps (addr len tid):\n",
		     si->si_addr, (int)syscall(SYS_gettid), cf_act.claim,
		     cf_act.len, cf_act.page);
	for (unsigned int i = n > CF_LOG ? n - CF_LOG : 0; i < n; i++)
		l += snprintf(buf + l, sizeof(buf) - l, " %p+%zx/%d",
			      cf_log[i % CF_LOG].addr, cf_log[i % CF_LOG].len,
			      cf_log[i % CF_LOG].tid);
	if (write(1, buf, l) < 0 || write(1, "\n", 1) < 0)
		_exit(1);
	fd = open("/proc/self/maps", O_RDONLY);
	while (fd >= 0 && (l = read(fd, buf, sizeof(buf))) > 0)
		if (write(1, buf, l) < 0)
			break;
	_exit(1);
}

/*
 * Unmap the pages still mapped, run by run: the holes left by page
 * munmaps may hold newer claims or windows by now.
 */
static void cf_release(struct cf_claim *c)
{
	for (int k = 0, run; k < c->npages; k += run) {
		for (run = 1; k + run < c->npages &&
		     c->unmap[k + run] == c->unmap[k]; run++)
			;
		if (!c->unmap[k] && cf_munmap(c->addr + k * PG, run * PG))
			st_fail("munmap of a claim: %s", strerror(errno));
	}
	free(c->order);
	free(c->unmap);
	free(c);
}

/* Drop a reference; the last one unmaps what is left of the claim. */
static void cf_put(struct cf_round *r, struct cf_claim *c)
{
	int last;

	pthread_mutex_lock(&r->lock);
	last = --c->refs == 0;
	pthread_mutex_unlock(&r->lock);
	if (last)
		cf_release(c);
}

static void cf_check_page(struct cf_round *r, const unsigned char *addr,
			  size_t len, uint64_t r0, int k, const char *who)
{
	size_t off = k * PG, n = len - off < PG ? len - off : PG;
	char what[64];

	snprintf(what, sizeof(what), "%s, claim page %d", who, k);
	st_expect(addr + off, r->seed, r0 + off, n, what);
	for (size_t i = n; i < PG; i++)
		if (addr[off + i])
			st_fail("%s: byte %zu after the claim's end is 0x%02x, not 0",
				what, i, addr[off + i]);
	st_count(1, n);
}

static void *cf_faulter(void *arg)
{
	struct cf_round *r = arg;

	for (;;) {
		struct cf_claim *c;
		int k;

		pthread_mutex_lock(&r->lock);
		while (!r->qhead && !r->owner_done)
			pthread_cond_wait(&r->cond, &r->lock);
		c = r->qhead;
		if (!c) {
			pthread_mutex_unlock(&r->lock);
			return NULL;
		}
		k = c->order[c->next++];
		if (c->next == c->npages) {
			r->qhead = c->qnext;
			if (!r->qhead)
				r->qtail = &r->qhead;
			r->qlen--;
			pthread_cond_broadcast(&r->cond);
		}
		pthread_mutex_unlock(&r->lock);
		cf_act = (struct cf_act){ c->addr, c->len, k };
		if (c->unmap[k]) {
			if (cf_munmap(c->addr + k * PG, PG))
				st_fail("munmap of claim page %d: %s", k, strerror(errno));
			r->unmaps++;
		} else {
			/* The first load takes the fault: did it have to wait? */
			double t = st_now();

			(void)*(volatile unsigned char *)(c->addr + k * PG);
			if (st_now() - t > 0.001)
				r->waited++;
			cf_check_page(r, c->addr, c->len, c->r0, k, "load");
			r->loads++;
		}
		cf_put(r, c);
	}
}

static void *cf_writer(void *arg)
{
	struct cf_round *r = arg;
	size_t wlen = 64 * 1024, wc = 0;
	uint64_t rnd = st_seed() | 1;
	unsigned char *buf = malloc(CF_MAXWRITE), *win;
	int fd = dup(r->wfd);

	win = st_window(fd, wlen);
	if (!buf || fd < 0 || win == MAP_FAILED)
		st_fail("writer setup: %s", strerror(errno));
	for (;;) {
		uint64_t tgt, n;
		int done;

		pthread_mutex_lock(&r->wlock);
		pthread_mutex_lock(&r->lock);
		while (r->written >= r->target && !r->owner_done)
			pthread_cond_wait(&r->cond, &r->lock);
		tgt = r->target;
		done = r->owner_done;
		pthread_mutex_unlock(&r->lock);
		if (r->written >= tgt && done) {
			pthread_mutex_unlock(&r->wlock);
			break;
		}
		n = 1 + st_rand(&rnd) % CF_MAXWRITE;
		if (n > tgt - r->written)
			n = tgt - r->written;
		if (st_rand(&rnd) & 1) {
			st_fill(buf, r->seed, r->written, n);
			if (st_write_all(fd, buf, n) != (ssize_t)n)
				st_fail("write() of %llu bytes with claims mapped: %s",
					(unsigned long long)n, strerror(errno));
			r->writes++;
		} else {
			if (wc + n > wlen) {
				/* Map the next window before dropping the full one. */
				unsigned char *old = win;

				win = st_window(fd, wlen);
				if (win == MAP_FAILED)
					st_fail("window: %s", strerror(errno));
				munmap(old, wlen);
				wc = 0;
			}
			st_fill(win + wc, r->seed, r->written, n);
			if (msync(win, wc + n, MS_SYNC))
				st_fail("commit of %llu bytes with claims mapped: %s",
					(unsigned long long)n, strerror(errno));
			wc += n;
			r->commits++;
		}
		r->written += n;
		pthread_mutex_unlock(&r->wlock);
		if (st_rand(&rnd) % 3 == 0)
			st_sleep_us(st_rand(&rnd) % 2000);
	}
	munmap(win, wlen);
	close(fd);
	free(buf);
	return NULL;
}

/* Fork children that load and check pages of a claim they inherited. */
static void *cf_forker(void *arg)
{
	struct cf_round *r = arg;
	uint64_t rnd = st_seed() | 1;

	for (;;) {
		struct cf_claim *c;
		int pages[3], np = 0, status;
		pid_t pid;

		st_sleep_us(5000 + st_rand(&rnd) % 30000);
		pthread_mutex_lock(&r->lock);
		if (r->owner_done) {
			pthread_mutex_unlock(&r->lock);
			return NULL;
		}
		c = r->qhead;
		if (c) {
			/* Loaded pages stay mapped until the claim's last put. */
			for (int k = 0; k < c->npages && np < 3; k++)
				if (!c->unmap[k])
					pages[np++] = k;
			c->refs++;
		}
		pthread_mutex_unlock(&r->lock);
		if (!c)
			continue;
		pid = fork();
		if (pid < 0)
			st_fail("fork: %s", strerror(errno));
		if (pid == 0) {
			/* No stdio or locks here: other threads may hold them. */
			for (int i = 0; i < np; i++) {
				size_t off = pages[i] * PG;
				size_t n = c->len - off < PG ? c->len - off : PG;
				long bad = st_check(c->addr + off, r->seed,
						    c->r0 + off, n);

				if (bad >= 0) {
					char msg[160];
					int l = snprintf(msg, sizeof(msg),
						"FAIL races_claim_faults: forked child: stream position %llu wrong\n",
						(unsigned long long)(c->r0 + off + bad));

					if (write(1, msg, l) < 0)
						_exit(3);
					_exit(2);
				}
			}
			_exit(0);
		}
		cf_put(r, c);
		if (waitpid(pid, &status, 0) != pid)
			st_fail("waitpid: %s", strerror(errno));
		if (!WIFEXITED(status) || WEXITSTATUS(status))
			st_fail("forked child checking inherited claim pages: status 0x%x",
				status);
		r->forks++;
		st_tick();
	}
}

static void cf_need(struct cf_round *r, uint64_t upto)
{
	pthread_mutex_lock(&r->lock);
	if (upto > r->target)
		r->target = upto;
	pthread_cond_broadcast(&r->cond);
	pthread_mutex_unlock(&r->lock);
}

static void cf_claim(struct cf_round *r, uint64_t *R, size_t len, uint64_t *rnd,
		     int unmaps)
{
	struct cf_claim *c = calloc(1, sizeof(*c));

	if (!c)
		st_fail("calloc");
	c->len = len;
	c->npages = (len + PG - 1) / PG;
	c->order = malloc(c->npages * sizeof(int));
	c->unmap = calloc(c->npages, 1);
	for (int k = 0; k < c->npages; k++) {
		int j = st_rand(rnd) % (k + 1);

		c->order[k] = c->order[j];
		c->order[j] = k;
		c->unmap[k] = unmaps && st_rand(rnd) % 4 == 0;
	}
	c->refs = c->npages;
	c->addr = st_claim(r->rfd, len);
	if (c->addr == MAP_FAILED)
		st_fail("claim of %zu bytes: %s", len, strerror(errno));
	c->r0 = *R;
	*R += len;
	r->claims++;
	cf_need(r, *R);
	pthread_mutex_lock(&r->lock);
	*r->qtail = c;
	r->qtail = &c->qnext;
	r->qlen++;
	pthread_cond_broadcast(&r->cond);
	pthread_mutex_unlock(&r->lock);
}

static void cf_owner(struct cf_round *r)
{
	uint64_t rnd = st_seed() | 1, R = 0;
	unsigned char *buf = malloc(3 * PG);
	size_t tail;

	while (st_now() < r->end) {
		unsigned int a = st_rand(&rnd) % 10;

		pthread_mutex_lock(&r->lock);
		while (r->qlen >= CF_QMAX)
			pthread_cond_wait(&r->cond, &r->lock);
		pthread_mutex_unlock(&r->lock);
		if (a < 6) {
			cf_claim(r, &R, 1 + st_rand(&rnd) % CF_MAXCLAIM, &rnd, 1);
		} else if (a < 9) {
			size_t n = 1 + st_rand(&rnd) % (3 * PG);
			ssize_t got;

			cf_need(r, R + n);
			got = read(r->rfd, buf, n);
			if (got <= 0)
				st_fail("read() of %zu at %llu: %zd (%s)", n,
					(unsigned long long)R, got, strerror(errno));
			st_expect(buf, r->seed, R, got, "read()");
			R += got;
			r->reads++;
			st_count(1, got);
		} else {
			/* The pipe must not notice a descriptor swap. */
			int nfd = fcntl(r->rfd, F_DUPFD_CLOEXEC, 100);

			if (nfd < 0)
				st_fail("dup: %s", strerror(errno));
			close(r->rfd);
			r->rfd = nfd;
			r->dups++;
		}
	}
	/*
	 * A last claim, wholly loaded, covers the rest that was asked for and
	 * more: its last page pulls every byte before it, so the writers
	 * finish before the last mapping goes, and the stream ends at R.
	 */
	pthread_mutex_lock(&r->lock);
	tail = (r->target > R ? r->target - R : 0) + 1 + st_rand(&rnd) % PG;
	pthread_mutex_unlock(&r->lock);
	cf_claim(r, &R, tail, &rnd, 0);
	pthread_mutex_lock(&r->lock);
	r->owner_done = 1;
	pthread_cond_broadcast(&r->cond);
	pthread_mutex_unlock(&r->lock);
	/* The mappings alone keep the read side open from here on. */
	close(r->rfd);
	free(buf);
}

ST_TEST(races_claim_faults, "races",
	"faults on claims while other threads munmap pages, dup/close the fd, fork children that load, and writers commit with lag; every byte is the stream's; EPIPE only after the last mapping")
{
	unsigned long rounds = 0, claims = 0, loads = 0, unmaps = 0, forks = 0;
	unsigned long reads = 0, dups = 0, commits = 0, writes = 0, waited = 0;
	uint64_t total = 0;
	struct sigaction sa = { .sa_sigaction = cf_on_segv, .sa_flags = SA_SIGINFO };
	double t0 = st_now();

	sigaction(SIGSEGV, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
	while (st_running()) {
		pthread_t f[CF_FAULTERS], w[CF_WRITERS], fk;
		struct cf_round r = {
			.lock = PTHREAD_MUTEX_INITIALIZER,
			.cond = PTHREAD_COND_INITIALIZER,
			.wlock = PTHREAD_MUTEX_INITIALIZER,
		};
		int fds[2];

		r.qtail = &r.qhead;
		r.seed = st_seed();
		r.end = st_now() + 2;
		st_pipe(fds, 0, (rounds % 3 + 1) * 4 * PG);
		r.rfd = fds[0];
		r.wfd = fds[1];
		for (int i = 0; i < CF_FAULTERS; i++)
			pthread_create(&f[i], NULL, cf_faulter, &r);
		for (int i = 0; i < CF_WRITERS; i++)
			pthread_create(&w[i], NULL, cf_writer, &r);
		pthread_create(&fk, NULL, cf_forker, &r);
		cf_owner(&r);
		pthread_join(fk, NULL);
		for (int i = 0; i < CF_WRITERS; i++)
			pthread_join(w[i], NULL);
		for (int i = 0; i < CF_FAULTERS; i++)
			pthread_join(f[i], NULL);
		/* Every claim is unmapped and the read fd closed: no reader. */
		errno = 0;
		if (write(r.wfd, "x", 1) != -1 || errno != EPIPE)
			st_fail("write() after the last claim went away: %s, not EPIPE",
				errno ? strerror(errno) : "succeeded");
		close(r.wfd);
		rounds++;
		total += r.written;
		claims += r.claims;
		loads += r.loads;
		waited += r.waited;
		unmaps += r.unmaps;
		forks += r.forks;
		reads += r.reads;
		dups += r.dups;
		commits += r.commits;
		writes += r.writes;
	}
	st_summary("%lu rounds in %.1f s, %llu stream bytes, %lu claims, %lu page loads (%lu waited > 1 ms), %lu page munmaps, %lu reads, %lu fd swaps, %lu forked checkers, %lu writes + %lu commits",
		   rounds, st_now() - t0, (unsigned long long)total, claims,
		   loads, waited, unmaps, reads, dups, forks, writes, commits);
	return 0;
}

/*
 * races_mpmc_records
 *
 * Writers append fixed-size records (writer, sequence, payload derived
 * from both) with write() or window commits of whole records, at most a
 * page per call: such an append is atomic (spec/README: "a write of at
 * most a page is atomic"; the kernel's commit merges or fills one page
 * under pipe->mutex).  Consumers take whole records with read() or claims.
 * Whatever the interleaving, every record must arrive intact exactly once,
 * and each writer's records in order at each consumer.  Claims are bounded
 * by an upper bound of the read position, so none reaches past EOF.
 */
#define MR_RS		64
#define MR_WRITERS	4
#define MR_CONSUMERS	3
#define MR_MAXREC	(1u << 24)	/* per writer; 1 GiB of records */
#define MR_MAGIC	0x52454331u

struct mr_state {
	pthread_mutex_t lock;
	uint64_t seed;
	int rfd, wfd;
	uint64_t upper;		/* >= the read position R (lock) */
	uint64_t need;		/* largest claim end (lock) */
	int stop;		/* no more claims (lock) */
	atomic_ullong committed;
	atomic_uint nrec[MR_WRITERS];
	_Atomic uint64_t *seen[MR_WRITERS];	/* bitmaps */
	int capped;		/* a writer neared MR_MAXREC (lock) */
	atomic_ulong claims, reads, recs, commits, writes;
};

static void mr_make(struct mr_state *s, unsigned char *p, uint32_t w, uint32_t seq)
{
	uint32_t h[4] = { MR_MAGIC, w, seq, ~seq ^ w };

	memcpy(p, h, sizeof(h));
	st_fill(p + 16, s->seed + w, (uint64_t)seq * MR_RS, MR_RS - 16);
}

static void mr_check(struct mr_state *s, const unsigned char *p, int64_t *last,
		     const char *how, uint64_t at)
{
	unsigned char want[MR_RS];
	uint32_t h[4];

	memcpy(h, p, sizeof(h));
	if (h[0] != MR_MAGIC || h[1] >= MR_WRITERS || h[2] >= MR_MAXREC)
		st_fail("%s: record %llu bytes into the consume is not a record (%08x %08x %08x)",
			how, (unsigned long long)at, h[0], h[1], h[2]);
	mr_make(s, want, h[1], h[2]);
	if (memcmp(want, p, MR_RS))
		st_fail("%s: record of writer %u seq %u is corrupt", how, h[1], h[2]);
	if ((int64_t)h[2] <= last[h[1]])
		st_fail("%s: writer %u seq %u after seq %lld at the same consumer",
			how, h[1], h[2], (long long)last[h[1]]);
	last[h[1]] = h[2];
	if (atomic_fetch_or(&s->seen[h[1]][h[2] / 64], 1ULL << (h[2] % 64)) &
	    (1ULL << (h[2] % 64)))
		st_fail("%s: record of writer %u seq %u consumed twice", how,
			h[1], h[2]);
	s->recs++;
}

struct mr_arg {
	struct mr_state *s;
	int id;
};

static void *mr_writer(void *arg)
{
	struct mr_arg *a = arg;
	struct mr_state *s = a->s;
	uint64_t rnd = st_seed() ^ ((uint64_t)a->id << 40) ^ 1;
	size_t wlen = 16 * PG, wc = 0;
	int fd = dup(s->wfd), window = a->id & 1;
	unsigned char buf[PG], *win = NULL;
	uint32_t seq = 0;

	if (fd < 0)
		st_fail("dup: %s", strerror(errno));
	for (;;) {
		unsigned int k = 1 + st_rand(&rnd) % (PG / MR_RS);
		int stop;
		uint64_t need;

		pthread_mutex_lock(&s->lock);
		stop = s->stop;
		need = s->need;
		pthread_mutex_unlock(&s->lock);
		if (stop && atomic_load(&s->committed) >= need)
			break;
		if (seq + k > MR_MAXREC)
			st_fail("writer %d ran out of sequence numbers", a->id);
		if (seq > MR_MAXREC - 65536 && !stop) {
			/* End the run early: claims outstanding are far fewer. */
			pthread_mutex_lock(&s->lock);
			s->stop = s->capped = 1;
			pthread_mutex_unlock(&s->lock);
		}
		if (window) {
			if (!win || wc + k * MR_RS > wlen) {
				if (win)
					munmap(win, wlen);
				win = st_window(fd, wlen);
				if (win == MAP_FAILED)
					st_fail("window: %s", strerror(errno));
				wc = 0;
			}
			for (unsigned int i = 0; i < k; i++)
				mr_make(s, win + wc + i * MR_RS, a->id, seq + i);
			if (msync(win, wc + k * MR_RS, MS_SYNC))
				st_fail("commit of %u records: %s", k, strerror(errno));
			wc += k * MR_RS;
			s->commits++;
		} else {
			ssize_t n;

			for (unsigned int i = 0; i < k; i++)
				mr_make(s, buf + i * MR_RS, a->id, seq + i);
			n = write(fd, buf, k * MR_RS);
			if (n != (ssize_t)(k * MR_RS))
				st_fail("write() of %u records: %zd (%s)", k, n,
					strerror(errno));
			s->writes++;
		}
		seq += k;
		atomic_store(&s->nrec[a->id], seq);
		atomic_fetch_add(&s->committed, k * MR_RS);
		if (st_rand(&rnd) % 4 == 0)
			st_sleep_us(st_rand(&rnd) % 500);
	}
	if (win)
		munmap(win, wlen);
	close(fd);
	return NULL;
}

static void *mr_consumer(void *arg)
{
	struct mr_arg *a = arg;
	struct mr_state *s = a->s;
	uint64_t rnd = st_seed() ^ ((uint64_t)a->id << 48) ^ 1;
	unsigned char *buf = malloc(128 * MR_RS);
	int64_t last[MR_WRITERS];

	for (int i = 0; i < MR_WRITERS; i++)
		last[i] = -1;
	for (;;) {
		int claim = st_rand(&rnd) & 1;

		if (claim) {
			size_t len = MR_RS * (1 + st_rand(&rnd) % 200);
			unsigned char *p;

			pthread_mutex_lock(&s->lock);
			if (s->stop) {
				pthread_mutex_unlock(&s->lock);
				claim = 0;
			} else {
				p = st_claim(s->rfd, len);
				if (p == MAP_FAILED)
					st_fail("claim: %s", strerror(errno));
				s->upper += len;
				if (s->upper > s->need)
					s->need = s->upper;
				pthread_mutex_unlock(&s->lock);
				for (size_t off = 0; off < len; off += MR_RS)
					mr_check(s, p + off, last, "claim", off);
				munmap(p, len);
				s->claims++;
				st_count(1, len);
			}
		}
		if (!claim) {
			size_t req = MR_RS * (1 + st_rand(&rnd) % 128);
			ssize_t n;

			pthread_mutex_lock(&s->lock);
			s->upper += req;
			pthread_mutex_unlock(&s->lock);
			n = read(s->rfd, buf, req);
			pthread_mutex_lock(&s->lock);
			s->upper -= req - (n > 0 ? n : 0);
			pthread_mutex_unlock(&s->lock);
			if (n < 0)
				st_fail("read(): %s", strerror(errno));
			if (n == 0)
				break;
			if (n % MR_RS)
				st_fail("read() returned %zd bytes, not whole records", n);
			for (ssize_t off = 0; off < n; off += MR_RS)
				mr_check(s, buf + off, last, "read()", off);
			s->reads++;
			st_count(1, n);
		}
	}
	free(buf);
	return NULL;
}

ST_TEST(races_mpmc_records, "races",
	"4 writers (write(), window commits) and 3 consumers (read(), claims) on one pipe: every record intact, exactly once, in order per writer at each consumer")
{
	struct mr_state s = { .lock = PTHREAD_MUTEX_INITIALIZER };
	pthread_t w[MR_WRITERS], c[MR_CONSUMERS];
	struct mr_arg wa[MR_WRITERS], ca[MR_CONSUMERS];
	unsigned long total = 0;
	int fds[2];
	double t0 = st_now();

	s.seed = st_seed();
	for (int i = 0; i < MR_WRITERS; i++) {
		s.seen[i] = calloc(MR_MAXREC / 64, 8);
		if (!s.seen[i])
			st_fail("calloc");
	}
	st_pipe(fds, 0, 16 * PG);
	s.rfd = fds[0];
	s.wfd = fds[1];
	for (int i = 0; i < MR_WRITERS; i++) {
		wa[i] = (struct mr_arg){ &s, i };
		pthread_create(&w[i], NULL, mr_writer, &wa[i]);
	}
	for (int i = 0; i < MR_CONSUMERS; i++) {
		ca[i] = (struct mr_arg){ &s, i };
		pthread_create(&c[i], NULL, mr_consumer, &ca[i]);
	}
	/* The writers hold their own dups: EOF comes when the last one ends. */
	close(s.wfd);
	while (st_running()) {
		int capped;

		pthread_mutex_lock(&s.lock);
		capped = s.capped;
		pthread_mutex_unlock(&s.lock);
		if (capped)
			break;
		st_sleep_us(50000);
	}
	pthread_mutex_lock(&s.lock);
	s.stop = 1;
	pthread_mutex_unlock(&s.lock);
	for (int i = 0; i < MR_WRITERS; i++)
		pthread_join(w[i], NULL);
	for (int i = 0; i < MR_CONSUMERS; i++)
		pthread_join(c[i], NULL);
	for (int i = 0; i < MR_WRITERS; i++) {
		unsigned int n = atomic_load(&s.nrec[i]);

		for (unsigned int q = 0; q < n; q++)
			if (!(s.seen[i][q / 64] & (1ULL << (q % 64))))
				st_fail("record of writer %d seq %u never arrived (writer wrote %u)",
					i, q, n);
		total += n;
	}
	if (total != s.recs)
		st_fail("%lu records written, %lu consumed", total, s.recs);
	close(s.rfd);
	st_summary("%.1f s%s, %lu records of %d bytes, %lu claims, %lu reads, %lu writes, %lu commits",
		   st_now() - t0, s.capped ? " (ended early: record cap)" : "",
		   total, MR_RS, s.claims, s.reads, s.writes, s.commits);
	return 0;
}

/*
 * races_eof_waiters
 *
 * Threads wait in loads of every page of a claim, most past what was
 * written; then the last writer reference goes away: the descriptor, a
 * window (closed and unmapped in either order), or a child process holding
 * both exits.  Every waiter must end: a page with stream bytes shows them,
 * then zeros; a page without any gives SIGBUS at an address inside it.
 */
#define EW_MAXPAGES	8

struct ew_thread {
	pthread_t t;
	int pg;			/* page of the claim it loads */
	unsigned char *page;
	atomic_int tid;
	atomic_int done;
	int sigbus;
	void *bus_addr;
	unsigned char copy[PG];
};

static __thread sigjmp_buf ew_jmp;
static __thread void *ew_bus_addr;

static void ew_on_sigbus(int sig, siginfo_t *si, void *uc)
{
	ew_bus_addr = si->si_addr;
	siglongjmp(ew_jmp, 1);
}

static void *ew_waiter(void *arg)
{
	struct ew_thread *t = arg;

	atomic_store(&t->tid, (int)syscall(SYS_gettid));
	if (sigsetjmp(ew_jmp, 1)) {
		t->sigbus = 1;
		t->bus_addr = ew_bus_addr;
	} else {
		for (size_t i = 0; i < PG; i++)
			t->copy[i] = ((volatile unsigned char *)t->page)[i];
	}
	atomic_store(&t->done, 1);
	return NULL;
}

/* Append @n stream bytes from @from: write() or a commit of window @win. */
static void ew_append(int fd, unsigned char *win, size_t *wc, uint64_t seed,
		      uint64_t from, size_t n)
{
	unsigned char buf[EW_MAXPAGES * PG];

	if (!n)
		return;
	if (win) {
		st_fill(win + *wc, seed, from, n);
		if (msync(win, *wc + n, MS_SYNC))
			st_fail("commit: %s", strerror(errno));
		*wc += n;
		return;
	}
	st_fill(buf, seed, from, n);
	if (st_write_all(fd, buf, n) != (ssize_t)n)
		st_fail("write: %s", strerror(errno));
}

ST_TEST(races_eof_waiters, "races",
	"threads asleep in loads of a claim; the last writer (fd, window, in either order, or by process exit) goes away: each ends with its bytes then zeros, or SIGBUS when its page has none")
{
	struct sigaction sa = { .sa_sigaction = ew_on_sigbus, .sa_flags = SA_SIGINFO };
	uint64_t rnd = st_seed() | 1;
	unsigned long iters = 0, asleep = 0, buses = 0, filled = 0;
	unsigned long modes[4] = { 0 };
	double max_end = 0, t0 = st_now();

	sigaction(SIGBUS, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
	while (st_running()) {
		struct ew_thread th[EW_MAXPAGES + 3];
		int npg = 1 + st_rand(&rnd) % EW_MAXPAGES;
		/* One waiter per page, and up to three more on some pages. */
		int nth = npg + st_rand(&rnd) % 4;
		size_t L = npg * PG - st_rand(&rnd) % PG, F, F1, wc = 0;
		uint64_t seed = st_rand(&rnd);
		int mode = st_rand(&rnd) % 4, fds[2], ctl[2] = { -1, -1 };
		int ack[2] = { -1, -1 };
		unsigned char *win = NULL, *p;
		size_t wlen = EW_MAXPAGES * PG;
		pid_t child = 0;
		struct timespec join_by;
		double t_eof, deadline;

		/* F: anywhere in the claim, often on or near a page boundary. */
		F = st_rand(&rnd) % (L + 1);
		if (st_rand(&rnd) & 1)
			F = F / PG * PG + (st_rand(&rnd) % 3) - 1;
		if (F > L)
			F = L;
		F1 = st_rand(&rnd) % (F + 1);
		st_pipe(fds, 0, 0);
		if (mode >= 1) {
			win = st_window(fds[1], wlen);
			if (win == MAP_FAILED)
				st_fail("window: %s", strerror(errno));
		}
		if (mode == 3) {
			/* A child holds the only writer references: fd and window. */
			if (pipe(ctl) || pipe(ack))
				st_fail("pipe: %s", strerror(errno));
			child = fork();
			if (child < 0)
				st_fail("fork: %s", strerror(errno));
			if (child == 0) {
				char go;

				close(fds[0]);
				ew_append(fds[1], win, &wc, seed, 0, F1);
				if (write(ack[1], "a", 1) != 1 ||
				    read(ctl[0], &go, 1) != 1)
					_exit(3);
				ew_append(fds[1], win, &wc, seed, F1, F - F1);
				_exit(0);
			}
			close(ctl[0]);
			close(ack[1]);
			munmap(win, wlen);
			close(fds[1]);
		}
		p = st_claim(fds[0], L);
		if (p == MAP_FAILED)
			st_fail("claim: %s", strerror(errno));
		if (mode == 3) {
			char a;

			if (read(ack[0], &a, 1) != 1)
				st_fail("writer child died before writing");
		} else {
			ew_append(fds[1], win, &wc, seed, 0, F1);
		}
		for (int k = 0; k < nth; k++) {
			th[k].pg = k < npg ? k : (int)(st_rand(&rnd) % npg);
			th[k].page = p + th[k].pg * PG;
			atomic_store(&th[k].tid, 0);
			atomic_store(&th[k].done, 0);
			th[k].sigbus = 0;
			if (pthread_create(&th[k].t, NULL, ew_waiter, &th[k]))
				st_fail("pthread_create");
		}
		/* Wait until every waiter that has not finished sleeps. */
		deadline = st_now() + 5 * st_scale;
		for (;;) {
			int awake = 0;

			for (int k = 0; k < nth; k++) {
				int tid = atomic_load(&th[k].tid);

				if (atomic_load(&th[k].done))
					continue;
				if (!tid || st_task_state(getpid(), tid, NULL, 0) != 'S')
					awake++;
			}
			if (!awake) {
				asleep++;
				break;
			}
			if (st_now() > deadline)
				break;
			st_sleep_us(2000);
		}
		t_eof = st_now();
		switch (mode) {
		case 0:
			ew_append(fds[1], NULL, NULL, seed, F1, F - F1);
			close(fds[1]);
			break;
		case 1:
		case 2:
			ew_append(fds[1], win, &wc, seed, F1, F - F1);
			if (mode == 1) {
				close(fds[1]);
				st_sleep_us(st_rand(&rnd) % 3000);
				munmap(win, wlen);
			} else {
				munmap(win, wlen);
				st_sleep_us(st_rand(&rnd) % 3000);
				close(fds[1]);
			}
			break;
		case 3: {
			int status;

			if (write(ctl[1], "g", 1) != 1)
				st_fail("writer child gone");
			if (waitpid(child, &status, 0) != child || status)
				st_fail("writer child: status 0x%x", status);
			close(ctl[1]);
			close(ack[0]);
			break;
		}
		}
		modes[mode]++;
		/* pthread_timedjoin_np() waits on CLOCK_REALTIME. */
		clock_gettime(CLOCK_REALTIME, &join_by);
		join_by.tv_sec += (time_t)(10 * st_scale) + 1;
		for (int k = 0; k < nth; k++) {
			if (pthread_timedjoin_np(th[k].t, NULL, &join_by)) {
				printf("  waiter of page %d still blocked after EOF (F=%zu, L=%zu, mode %d):\n",
				       th[k].pg, F, L, mode);
				st_dump_tasks(getpid());
				st_fail("load of claim page %d did not end after the last writer went away",
					th[k].pg);
			}
		}
		if (st_now() - t_eof > max_end)
			max_end = st_now() - t_eof;
		for (int j = 0; j < nth; j++) {
			int k = th[j].pg;
			size_t off = k * PG, n = L - off < PG ? L - off : PG;

			if (off >= F) {
				if (!th[j].sigbus)
					st_fail("page %d (stream %zu..) of a claim of %zu: no SIGBUS with F=%zu",
						k, off, L, F);
				if ((unsigned char *)th[j].bus_addr < th[j].page ||
				    (unsigned char *)th[j].bus_addr >= th[j].page + PG)
					st_fail("SIGBUS for page %d at %p, page is %p", k,
						th[j].bus_addr, th[j].page);
				buses++;
				continue;
			}
			if (th[j].sigbus)
				st_fail("SIGBUS on page %d holding stream bytes %zu..%zu (F=%zu)",
					k, off, F, F);
			size_t have = F - off < n ? F - off : n;

			st_expect(th[j].copy, seed, off, have, "load before EOF");
			for (size_t i = have; i < PG; i++)
				if (th[j].copy[i])
					st_fail("page %d byte %zu (stream %zu, F=%zu) is 0x%02x, not zero fill",
						k, i, off + i, F, th[j].copy[i]);
			filled++;
			st_count(1, have);
		}
		munmap(p, L);
		close(fds[0]);
		iters++;
	}
	st_summary("%lu iterations in %.1f s (%lu with every waiter seen asleep), modes fd/fd+win/win+fd/child-exit %lu/%lu/%lu/%lu, %lu loads saw bytes, %lu SIGBUS, slowest EOF-to-all-ended %.3f s",
		   iters, st_now() - t0, asleep, modes[0], modes[1], modes[2], modes[3],
		   filled, buses, max_end);
	return 0;
}

/*
 * Commits lend whole window pages to the pipe (pipe_window_lend()): a lent
 * page must leave every mapping of the window before the commit returns.
 * A forked scribbler keeps PTEs of its own on the window, loading the page
 * the writer is about to commit, and stores into pages already committed;
 * a consumer (read() or claims) must never see one of those stores.
 */
#define LP_PAGES	32

struct lp_shared {
	atomic_uint done;	/* pages committed: msync() returned */
	atomic_int stop;
	atomic_ulong stores;	/* scribbler stores into committed pages */
};

struct lp_reader {
	int fd, claims;
	uint64_t seed;
	unsigned long checked;
};

static void *lp_consume(void *arg)
{
	struct lp_reader *r = arg;
	unsigned char buf[PG];
	size_t k;

	for (k = 0; k < LP_PAGES; k++) {
		if (r->claims) {
			unsigned char *m = st_claim(r->fd, PG);

			if (m == MAP_FAILED)
				st_fail("claim: %s", strerror(errno));
			st_expect(m, r->seed, k * PG, PG, "claim of a lent page");
			munmap(m, PG);
		} else {
			if (st_read_all(r->fd, buf, PG) != (ssize_t)PG)
				st_fail("read: %s", strerror(errno));
			st_expect(buf, r->seed, k * PG, PG, "read() of a lent page");
		}
		r->checked += PG;
	}
	return NULL;
}

static void lp_scribble(struct lp_shared *sh, volatile unsigned char *win,
			uint64_t seed)
{
	uint64_t rnd = st_seed() | 1;

	while (!atomic_load(&sh->stop)) {
		unsigned int d = atomic_load(&sh->done);
		size_t off;

		if (d < LP_PAGES)
			(void)win[d * PG + st_rand(&rnd) % PG];
		if (!d)
			continue;
		off = (st_rand(&rnd) % d) * PG + st_rand(&rnd) % PG;
		/* Never the stream's byte, so a leak always shows. */
		win[off] = st_pat(seed, off) ^ 0x5a;
		atomic_fetch_add(&sh->stores, 1);
	}
}

ST_TEST(races_lent_pages, "races",
	"a forked process loads window pages before their commit and stores into them after it returns; read() and claims never see those stores (lent pages leave every mapping)")
{
	struct lp_shared *sh = mmap(NULL, sizeof(*sh), PROT_READ | PROT_WRITE,
				    MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	uint64_t rnd = st_seed() | 1;
	unsigned long rounds = 0, checked = 0;

	if (sh == MAP_FAILED)
		st_fail("mmap: %s", strerror(errno));
	while (st_running()) {
		struct lp_reader r = { .seed = st_rand(&rnd), .claims = rounds & 1 };
		unsigned char *win;
		pthread_t t;
		int fds[2], status;
		pid_t pid;
		size_t k;

		st_pipe(fds, 0, 0);
		win = st_window(fds[1], LP_PAGES * PG);
		if (win == MAP_FAILED)
			st_fail("window: %s", strerror(errno));
		atomic_store(&sh->done, 0);
		atomic_store(&sh->stop, 0);
		pid = fork();
		if (pid < 0)
			st_fail("fork: %s", strerror(errno));
		if (!pid) {
			lp_scribble(sh, win, r.seed);
			_exit(0);
		}
		r.fd = fds[0];
		if (pthread_create(&t, NULL, lp_consume, &r))
			st_fail("pthread_create");
		for (k = 0; k < LP_PAGES; k++) {
			st_fill(win + k * PG, r.seed, k * PG, PG);
			if (msync(win, (k + 1) * PG, MS_SYNC))
				st_fail("commit: %s", strerror(errno));
			atomic_store(&sh->done, k + 1);
		}
		pthread_join(t, NULL);
		atomic_store(&sh->stop, 1);
		if (waitpid(pid, &status, 0) != pid || !WIFEXITED(status) ||
		    WEXITSTATUS(status))
			st_fail("scribbler ended with status %#x", status);
		munmap(win, LP_PAGES * PG);
		close(fds[0]);
		close(fds[1]);
		checked += r.checked;
		st_count(LP_PAGES, r.checked);
		rounds++;
	}
	st_summary("%lu rounds, %lu bytes checked, %lu stores into committed pages",
		   rounds, checked, atomic_load(&sh->stores));
	munmap(sh, sizeof(*sh));
	return 0;
}

/*
 * A window's pages are recycled for the pipe's next windows once nobody
 * else holds them (struct pipe_page_pool). One pipe for the whole run: the
 * writer maps window after window, checks that each starts zeroed, fills
 * and commits it page by page, and unmaps it; the consumer holds each of its
 * claims for a while (up to RP_HELD at a time) and checks them again before
 * it lets them go, so a page reused while a claim still maps it shows as
 * changed bytes. Read() takes some of the stream too (pages freed by
 * their pipe buffer rather than by a munmap).
 */
#define RP_WIN		16	/* pages per window */
#define RP_HELD		8	/* claims held at once */

struct rp_reader {
	int fd;
	uint64_t seed;
	atomic_ulong committed;	/* stream bytes committed so far */
	atomic_int stop;	/* the writer is done: consume up to committed */
	unsigned long checked, rechecked, reads;
};

static void *rp_consume(void *arg)
{
	struct rp_reader *r = arg;
	unsigned char *held[RP_HELD] = { 0 }, buf[PG];
	uint64_t at[RP_HELD] = { 0 }, pos = 0, rnd = st_seed() | 1;
	unsigned int i = 0, k;

	for (;;) {
		/* Only bytes already committed: no load waits, none meets EOF. */
		while (atomic_load(&r->committed) < pos + PG) {
			if (atomic_load(&r->stop) && atomic_load(&r->committed) < pos + PG)
				goto out;
			sched_yield();
		}
		if (held[i]) {
			st_expect(held[i], r->seed, at[i], PG, "held claim, rechecked");
			munmap(held[i], PG);
			held[i] = NULL;
			r->rechecked += PG;
		}
		if (st_rand(&rnd) % 4 == 0) {
			if (st_read_all(r->fd, buf, PG) != (ssize_t)PG)
				st_fail("read: %s", strerror(errno));
			st_expect(buf, r->seed, pos, PG, "read()");
			r->reads++;
		} else {
			held[i] = st_claim(r->fd, PG);
			if (held[i] == MAP_FAILED)
				st_fail("claim: %s", strerror(errno));
			st_expect(held[i], r->seed, pos, PG, "claim");
			at[i] = pos;
			i = (i + 1) % RP_HELD;
		}
		pos += PG;
		r->checked += PG;
		st_count(1, PG);
	}
out:
	for (k = 0; k < RP_HELD; k++)
		if (held[k]) {
			st_expect(held[k], r->seed, at[k], PG, "held claim, at the end");
			munmap(held[k], PG);
		}
	return NULL;
}

ST_TEST(races_recycled_pages, "races",
	"one pipe, window after window: each starts zeroed although its pages come back from earlier windows, and a claim still held keeps its bytes while later windows are stored to")
{
	struct rp_reader r = { .seed = st_seed() };
	unsigned long windows = 0, zero_checked = 0;
	uint64_t pos = 0;
	pthread_t t;
	int fds[2];

	st_pipe(fds, 0, 64 * PG);
	r.fd = fds[0];
	atomic_init(&r.committed, 0);
	atomic_init(&r.stop, 0);
	if (pthread_create(&t, NULL, rp_consume, &r))
		st_fail("pthread_create");
	while (st_running()) {
		unsigned char *win = st_window(fds[1], RP_WIN * PG);
		size_t k, i;

		if (win == MAP_FAILED)
			st_fail("window: %s", strerror(errno));
		for (i = 0; i < RP_WIN * PG; i++)
			if (win[i])
				st_fail("window %lu byte %zu is 0x%02x before any store: not zeroed",
					windows, i, win[i]);
		zero_checked += RP_WIN * PG;
		for (k = 0; k < RP_WIN; k++) {
			st_fill(win + k * PG, r.seed, pos + k * PG, PG);
			if (msync(win, (k + 1) * PG, MS_SYNC))
				st_fail("commit: %s", strerror(errno));
			atomic_store(&r.committed, pos + (k + 1) * PG);
		}
		/* Stores after the commit reach the window only. */
		memset(win, 0xa5, PG);
		munmap(win, RP_WIN * PG);
		pos += RP_WIN * PG;
		windows++;
	}
	atomic_store(&r.stop, 1);
	pthread_join(t, NULL);
	close(fds[1]);
	close(fds[0]);
	st_summary("%lu windows (%lu bytes checked zero before use), consumer checked %lu bytes, %lu of them again after later windows, %lu read() calls",
		   windows, zero_checked, r.checked, r.rechecked, r.reads);
	return 0;
}
