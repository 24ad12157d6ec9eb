/*
 * Runtime of the C reproducers the conformance suite writes for failing paths (CReproducer.java).
 * Each step runs on a worker thread so that a call which blocks, or a load that raises SIGBUS,
 * is observed instead of hanging or killing the program. Build: gcc -O0 -pthread FILE.c
 * Exit status: 1 when some step differs from the spec (the failure is reproduced), 0 when every
 * step agrees, 2 when the set-up failed (e.g. extended mmap absent).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <setjmp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

enum kind { READ, WRITE, CLOSE, POLL, MMAP, LOAD, STOREW, STOREP, MSYNC, MUNMAP, MREMAP, MPROTECT };
struct call { enum kind k; long a, b, c, d, e; const unsigned char *data; long len; };
struct res { int done, blocked, sigbus, err; long ret; unsigned char bytes[3]; unsigned char *buf; };

static long RUN;                /* real bytes per abstract byte */
static int fds[2] = { -1, -1 }; /* read end, write end */
static unsigned char *maps[16];
static long maplen[16];
static unsigned char *mapped[16]; /* per page of each mapping: still mapped? */
static int differs;
static __thread sigjmp_buf on_bus;

/* The real run standing for a letter at a source key (its stream position; 0 for window bytes). */
static unsigned char pat(int letter, long key, long j)
{
	return letter ? (unsigned char)(1 + (letter * 7 + key * 31 + j) % 255) : 0;
}

static void fill(unsigned char *b, const char *letters, long first_key, int window)
{
	for (long a = 0; letters[a]; a++)
		for (long j = 0; j < RUN; j++)
			b[a * RUN + j] = pat(letters[a], window ? 0 : first_key + a, j);
}

/*
 * munmap() of pages [a, b) of mapping id, one call per run of its pages still
 * mapped there: a page unmapped before is no longer the mapping's, and a newer
 * mapping may have been placed in that hole.
 */
static long unmap_pages(int id, long a, long b)
{
	for (long k = a, end; k < b; k = end) {
		for (end = k + 1; end < b && mapped[id][end] == mapped[id][k]; end++)
			;
		if (!mapped[id][k])
			continue;
		if (munmap(maps[id] + k * 4096, (end - k) * 4096))
			return -1;
		memset(mapped[id] + k, 0, end - k);
	}
	return 0;
}

static void bus(int sig)
{
	(void)sig;
	siglongjmp(on_bus, 1);
}

static void *worker(void *arg)
{
	struct call *c = arg;
	struct res *r = calloc(1, sizeof(*r));
	long probe[3] = { 0, RUN / 2, RUN - 1 };

	if (sigsetjmp(on_bus, 1)) {
		r->sigbus = 1;
		r->done = 1;
		return r;
	}
	errno = 0;
	switch (c->k) {
	case READ:
		r->buf = malloc(c->a * RUN);
		r->ret = read(fds[0], r->buf, c->a * RUN);
		break;
	case WRITE:
		r->ret = write(fds[1], c->data, c->len);
		break;
	case CLOSE:
		r->ret = close(fds[c->a]);
		fds[c->a] = -1;
		break;
	case POLL: {
		struct pollfd p = { .fd = fds[0], .events = POLLIN };
		int n = 0;

		r->ret = poll(&p, 1, 0);
		ioctl(fds[0], FIONREAD, &n);
		r->bytes[0] = (p.revents & (POLLIN | POLLHUP)) != 0;
		r->ret = n;
		break;
	}
	case MMAP: {
		void *m = mmap(NULL, c->b, (int)c->c, (int)c->d, fds[c->a], c->e);

		r->ret = m == MAP_FAILED ? -1 : 0;
		if (m != MAP_FAILED) {
			maps[c->len] = m;
			maplen[c->len] = c->b;
			mapped[c->len] = malloc((c->b + 4095) / 4096);
			memset(mapped[c->len], 1, (c->b + 4095) / 4096);
		}
		break;
	}
	case LOAD:
		for (int j = 0; j < 3; j++)
			r->bytes[j] = *(volatile unsigned char *)(maps[c->a] + c->b * RUN + probe[j]);
		break;
	case STOREW:
	case STOREP:
		memcpy(maps[c->a] + c->b * RUN, c->data, RUN);
		break;
	case MSYNC:
		r->ret = msync(maps[c->a], c->b * RUN, MS_SYNC);
		break;
	case MUNMAP:
		r->ret = unmap_pages((int)c->a, c->b, c->c);
		break;
	case MREMAP: {
		/* the last run of pages the mapping still has, grown by a page */
		long end = (maplen[c->a] + 4095) / 4096, k;

		while (end > 0 && !mapped[c->a][end - 1])
			end--;
		for (k = end; k > 0 && mapped[c->a][k - 1]; k--)
			;
		r->ret = mremap(maps[c->a] + k * 4096, (end - k) * 4096, (end - k + 1) * 4096,
				MREMAP_MAYMOVE) == MAP_FAILED ? -1 : 0;
		break;
	}
	case MPROTECT: {
		/* the first page the mapping still has */
		long k = 0;

		while (!mapped[c->a][k])
			k++;
		r->ret = mprotect(maps[c->a] + k * 4096, 4096, (int)c->b);
		break;
	}
	}
	r->err = errno;
	r->done = 1;
	return r;
}

/* Run one call; a call still running after the wait counts as blocked (its thread stays). */
static struct res step(struct call c, int spec_blocks)
{
	static struct call calls[256];
	static int ncalls;
	struct call *cp = &calls[ncalls++ % 256];
	pthread_t t;
	struct timespec until;
	void *out;

	*cp = c;
	pthread_create(&t, NULL, worker, cp);
	clock_gettime(CLOCK_REALTIME, &until);
	until.tv_sec += spec_blocks ? 2 : 20;
	if (pthread_timedjoin_np(t, &out, &until) != 0) {
		struct res r = { .blocked = 1 };
		return r;
	}
	struct res r = *(struct res *)out;
	free(out);
	return r;
}

static void verdict(int n, const char *what, int agrees, const char *spec, const char *seen)
{
	printf("step %d: %s: %s (spec: %s; kernel: %s)\n", n, what, agrees ? "agrees" : "DIFFERS", spec, seen);
	if (!agrees)
		differs = 1;
}

static const char *shown(struct res *r)
{
	static char s[128];

	if (r->blocked)
		return "blocked";
	if (r->sigbus)
		return "SIGBUS";
	if (r->ret < 0)
		snprintf(s, sizeof(s), "-1 errno %d (%s)", r->err, strerror(r->err));
	else
		snprintf(s, sizeof(s), "returned %ld, bytes %u %u %u", r->ret, r->bytes[0], r->bytes[1], r->bytes[2]);
	return s;
}

/* Do the three probed bytes (or the n runs read) equal the expected letters' runs? */
static int runs_are(const unsigned char *b, const char *letters, const long *keys)
{
	for (long a = 0; letters[a]; a++)
		for (long j = 0; j < RUN; j++)
			if (b[a * RUN + j] != pat(letters[a] == '0' ? 0 : letters[a], keys[a], j))
				return 0;
	return 1;
}

static int probes_are(struct res *r, int letter, long key)
{
	long probe[3] = { 0, RUN / 2, RUN - 1 };

	for (int j = 0; j < 3; j++)
		if (r->bytes[j] != pat(letter, key, probe[j]))
			return 0;
	return 1;
}

static void setup(long run, int slots)
{
	signal(SIGPIPE, SIG_IGN);
	struct sigaction sa = { .sa_handler = bus, .sa_flags = SA_NODEFER };

	sigaction(SIGBUS, &sa, NULL);
	RUN = run;
	if (pipe(fds) || fcntl(fds[1], F_SETPIPE_SZ, slots * 4096) < 0) {
		perror("pipe/F_SETPIPE_SZ");
		exit(2);
	}
}
