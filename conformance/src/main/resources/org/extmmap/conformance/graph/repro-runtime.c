/*
 * Runtime of the C reproducers the conformance suite writes for failing paths (CReproducer.java).
 * Each spec process is a real process; this program's first process only drives them (it holds
 * no end of the pipe) over one SOCK_SEQPACKET socket each. A process runs each call on a worker
 * thread of its own, so that a call which blocks, or a load that raises SIGBUS, is observed
 * instead of hanging or killing the process; fork is a real fork, exit a real _exit, SIGKILL a
 * real kill, and a caught signal a real SIGUSR1 (handler without SA_RESTART) to the thread of the
 * blocked call. Build: gcc -O0 -pthread FILE.c
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
#include <sys/socket.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

/* EXTMMAP_UAPI: CReproducer puts the series' include/uapi/linux/pipe_mmap.h here */

enum kind { READ, WRITE, CLOSE, POLL, MMAP, LOAD, STOREW, STOREP, MSYNC, MUNMAP, MREMAP, MPROTECT, CLAIMEND };
struct call { enum kind k; long a, b, c, d, e; const unsigned char *data; long len; };
struct res { int done, blocked, sigbus, err; long ret, n; unsigned char bytes[3]; unsigned char *buf; };

#define NPROCS 8
#define MAXDATA (1 << 18)

static long RUN;                /* real bytes per abstract byte */
static int fds[2] = { -1, -1 }; /* this process's read end, write end */
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

/* Messages: the driver sends a call (with its data) or a process step; a process answers. */
enum msg { M_CALL, M_FORK, M_EXIT, M_SIGNAL, R_HELLO, R_DONE, R_FORKED };
struct head { int type, arg; struct call c; struct res r; long len; };

static int sock;                 /* in a spec process: its socket to the driver */
static int sv[NPROCS + 1][2];    /* per spec process: [0] the driver's end, [1] the process's */
static pthread_t cur;            /* the thread of the process's latest call */

static void send_msg(int fd, struct head h, const void *data, long len)
{
	static __thread unsigned char out[sizeof(struct head) + MAXDATA];

	h.len = len > MAXDATA ? MAXDATA : len;
	memcpy(out, &h, sizeof(h));
	if (h.len > 0)
		memcpy(out + sizeof(h), data, h.len);
	if (send(fd, out, sizeof(h) + h.len, MSG_NOSIGNAL) < 0) {
		perror("send");
		_exit(2);
	}
}

/* One message (data into *data, malloc'd) within ms milliseconds (-1: no limit); 0 on timeout or EOF. */
static int recv_msg(int fd, struct head *h, unsigned char **data, int ms)
{
	static __thread unsigned char in[sizeof(struct head) + MAXDATA];
	struct pollfd p = { .fd = fd, .events = POLLIN };
	ssize_t n;

	if (poll(&p, 1, ms) != 1)
		return 0;
	n = recv(fd, in, sizeof(in), 0);
	if (n < (ssize_t)sizeof(*h))
		return 0;
	memcpy(h, in, sizeof(*h));
	if (data) {
		*data = malloc(h->len + 1);
		memcpy(*data, in + sizeof(*h), h->len);
	}
	return 1;
}

static void *worker(void *arg)
{
	struct call *c = arg;
	struct res *r = calloc(1, sizeof(*r));
	long probe[3] = { 0, RUN / 2, RUN - 1 };
	long got = 0;

	if (sigsetjmp(on_bus, 1)) {
		r->sigbus = 1;
		r->done = 1;
		goto reply;
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
	case CLAIMEND: {
		/* at the first page the mapping still has; ret: the flags, n: the bytes */
		struct pipe_claim_end q = { 0 };
		long k = 0;

		while (k < (maplen[c->a] + 4095) / 4096 && !mapped[c->a][k])
			k++;
		q.addr = (unsigned long)(maps[c->a] + k * 4096);
		r->ret = ioctl(fds[0], PIPE_IOC_CLAIM_END, &q);
		if (r->ret == 0) {
			r->ret = q.flags;
			r->n = (long)q.bytes;
		}
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
	if (c->k == READ && r->ret > 0)
		got = r->ret;
reply:
	send_msg(sock, (struct head){ .type = R_DONE, .r = *r }, r->buf, got);
	return NULL;
}

static void on_usr1(int sig)
{
	(void)sig; /* only interrupts the blocked call: no SA_RESTART */
}

/* A spec process: makes the calls the driver sends, each on a thread of its own. */
static void serve(int q)
{
	struct head h;
	unsigned char *data;

	sock = sv[q][1];
	send_msg(sock, (struct head){ .type = R_HELLO, .arg = getpid() }, NULL, 0);
	for (;;) {
		if (!recv_msg(sock, &h, &data, -1))
			_exit(0); /* the driver is gone */
		switch (h.type) {
		case M_CALL: {
			struct call *c = malloc(sizeof(*c));

			*c = h.c;
			c->data = data;
			pthread_create(&cur, NULL, worker, c);
			pthread_detach(cur);
			break;
		}
		case M_FORK: {
			pid_t child = fork();

			if (child == 0) {
				sock = sv[h.arg][1];
				send_msg(sock, (struct head){ .type = R_HELLO, .arg = getpid() }, NULL, 0);
				break;
			}
			send_msg(sock, (struct head){ .type = R_FORKED, .arg = child }, NULL, 0);
			break;
		}
		case M_EXIT:
			_exit(0);
		case M_SIGNAL:
			pthread_kill(cur, SIGUSR1);
			break;
		}
	}
}

/* The driver's view of each spec process. */
static pid_t pids[NPROCS + 1];
static int pidfds[NPROCS + 1];

/* A reply of process q within ms milliseconds: a call's result, or r.blocked when none came. */
static struct res reply(int q, int ms)
{
	struct head h;
	unsigned char *data;

	if (!recv_msg(sv[q][0], &h, &data, ms) || h.type != R_DONE)
		return (struct res){ .blocked = 1 };
	h.r.buf = data;
	return h.r;
}

static struct res held[NPROCS + 1];
static int holding[NPROCS + 1];

/*
 * Process q makes one call; one still running after the wait counts as blocked. With hold, the
 * spec blocks the call and wakes another process first, which may complete it within this step
 * in a real kernel: a result that comes is kept for the call's own wake-up, where it is judged.
 */
static struct res step(int q, struct call c, int spec_blocks, int hold)
{
	struct res r;

	send_msg(sv[q][0], (struct head){ .type = M_CALL, .c = c }, c.data, c.data ? c.len : 0);
	r = reply(q, spec_blocks ? 2000 : 20000);
	if (hold && !r.blocked) {
		held[q] = r;
		holding[q] = 1;
		return (struct res){ .blocked = 1 };
	}
	return r;
}

/* The blocked call of process q completes (or, where the spec still blocks it, does not). */
static struct res wake(int q, int spec_blocks)
{
	if (holding[q]) {
		holding[q] = 0;
		return held[q];
	}
	return reply(q, spec_blocks ? 2000 : 20000);
}

static int hello(int q)
{
	struct head h;

	if (!recv_msg(sv[q][0], &h, NULL, 20000) || h.type != R_HELLO)
		return 0;
	pids[q] = h.arg;
	pidfds[q] = (int)syscall(SYS_pidfd_open, pids[q], 0);
	return pidfds[q] >= 0;
}

/* fork() of process q; the child is spec process child. */
static struct res proc_fork(int q, int child)
{
	struct head h;

	send_msg(sv[q][0], (struct head){ .type = M_FORK, .arg = child }, NULL, 0);
	if (!recv_msg(sv[q][0], &h, NULL, 20000) || h.type != R_FORKED || !hello(child))
		return (struct res){ .ret = -1 };
	return (struct res){ .done = 1 };
}

/* exit() of process q, or SIGKILL: done once the kernel has torn it down (its pidfd is readable). */
static struct res proc_vanish(int q, int killed)
{
	struct pollfd p = { .fd = pidfds[q], .events = POLLIN };

	if (killed)
		kill(pids[q], SIGKILL);
	else
		send_msg(sv[q][0], (struct head){ .type = M_EXIT }, NULL, 0);
	if (poll(&p, 1, 20000) != 1)
		return (struct res){ .blocked = 1 };
	return (struct res){ .done = 1 };
}

/* A caught SIGUSR1 to the thread of process q's blocked call: it ends the call or (a fault) not. */
static struct res proc_signal(int q, int spec_blocks)
{
	send_msg(sv[q][0], (struct head){ .type = M_SIGNAL }, NULL, 0);
	return reply(q, spec_blocks ? 2000 : 20000);
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

/* Spec process 1, holding both ends of a new pipe of the given slots; the driver holds none. */
static void setup(long run, int slots)
{
	struct sigaction bus_sa = { .sa_handler = bus, .sa_flags = SA_NODEFER };
	struct sigaction usr1 = { .sa_handler = on_usr1 };

	signal(SIGPIPE, SIG_IGN);
	sigaction(SIGBUS, &bus_sa, NULL);
	sigaction(SIGUSR1, &usr1, NULL);
	RUN = run;
	for (int q = 1; q <= NPROCS; q++)
		if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv[q])) {
			perror("socketpair");
			exit(2);
		}
	if (fork() == 0) {
		for (int q = 1; q <= NPROCS; q++)
			close(sv[q][0]);
		if (pipe(fds) || fcntl(fds[1], F_SETPIPE_SZ, slots * 4096) < 0) {
			perror("pipe/F_SETPIPE_SZ");
			_exit(2);
		}
		serve(1);
	}
	for (int q = 1; q <= NPROCS; q++)
		close(sv[q][1]);
	if (!hello(1)) {
		fprintf(stderr, "spec process 1 did not start (pipe, F_SETPIPE_SZ or pidfd_open failed)\n");
		exit(2);
	}
}

/* The end: no spec process outlives the program (a blocked one would wait for ever). */
static void teardown(void)
{
	for (int q = 1; q <= NPROCS; q++)
		if (pids[q] > 0)
			kill(pids[q], SIGKILL);
}
