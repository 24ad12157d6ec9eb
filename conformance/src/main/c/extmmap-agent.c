// SPDX-License-Identifier: GPL-2.0
/*
 * extmmap-agent: the system calls of the conformance suite, made in real processes for a
 * driver elsewhere (the JVM on the host, through a virtio-serial port of the guest; or a unix
 * socket when both run on one machine). The driver's AgentSyscalls sends one request per call
 * of its Syscalls interface; a process of this program makes the call and sends the result
 * back. Loads and stores are real CPU accesses of that process; a signal there (SIGBUS,
 * SIGSEGV) is caught and, like process_vm_readv() reports it, the reply is the bytes done
 * before it, or EFAULT if none.
 *
 *   extmmap-agent --connect PATH     connect to the unix socket PATH
 *   extmmap-agent --port NAME        open the virtio-serial port named NAME (/sys/class/virtio-ports)
 *
 * Processes. The program started is the router, process 0: it owns the channel and makes calls
 * too. The driver's other processes (the spec's processes) are real processes that the router
 * reaches through a socket each: OP_SPAWN makes a new one (a fork of the router that drops
 * everything but its socket: no pipe, no mapping), OP_FORK is a real fork() of a process (the
 * child inherits its descriptors and mappings, as the spec's fork says), OP_EXIT is its real
 * exit(), OP_SIGKILL a real SIGKILL, OP_SIGNAL a real caught SIGUSR1 to one of its threads
 * (installed without SA_RESTART), OP_SIGPIPE whether the kernel raised a SIGPIPE for it since
 * it was last asked (SIGPIPE is blocked in every process, so the kernel keeps it pending instead
 * of discarding it, and the call takes it with sigtimedwait()). The router learns that a process is gone from a pidfd, which
 * becomes readable only after the kernel has torn the process down (mm, files, task work), and
 * then sends a "gone" frame: a process's end is thereby a step the driver can wait for.
 *
 * Frames, little endian. Request: u32 len (of what follows), u32 id, u32 proc, u32 thread,
 * u32 op, i64 arg[6], data. Reply: u32 len, u32 id, i64 ret, i32 err, data. Each driver thread
 * has a thread number; a process runs the requests of each number on a thread of its own
 * (created on first use), so a call that blocks holds only its own thread, as in the driver.
 * One request per thread and process is in flight at a time. Reply id 0 is the router's hello
 * (ret: its pid, data: its name); reply id GONE_ID says process ret is gone (err: 0). A request
 * to a process that does not exist gets ESRCH. Exit status: 0 when the driver closes the
 * channel, 2 on a channel error.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <glob.h>
#include <poll.h>
#include <pthread.h>
#include <setjmp.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <linux/pipe_mmap.h>	/* the series' uapi header (kernel-patch/uapi-header.sh) */
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

enum op {
	OP_PING = 0, OP_PIPE2, OP_READ, OP_WRITE, OP_CLOSE, OP_MMAP, OP_MUNMAP, OP_MSYNC,
	OP_MPROTECT, OP_MREMAP, OP_FCNTL, OP_POLL, OP_FIONREAD, OP_PEEK, OP_POKE, OP_KILL,
	OP_GETPID, OP_GETTID, OP_MEMFD, OP_FTRUNCATE, OP_PIPEWAIT,
	OP_SPAWN, OP_FORK, OP_EXIT, OP_SIGKILL, OP_SIGNAL, OP_SIGPIPE, OP_CLAIMEND,
	OP_COUNT
};

#define HDR (4 + 4 + 4 + 4 + 6 * 8)	/* id, proc, thread, op, args */
#define RHDR (4 + 8 + 4)		/* id, ret, err */
#define MAX_FRAME (64u << 20)
#define MAX_THREADS 1024
#define MAX_PROCS 64
#define GONE_ID 0xffffffffu		/* reply: process ret is gone */
#define NEWPROC_ID 0xfffffffeu		/* process -> router: child ret (pid err) forked, fd attached */

struct req {
	uint32_t id, proc, thread, op;
	int64_t a[6];
	unsigned char *data;
	size_t len;
};

struct worker {
	pthread_t t;
	pthread_mutex_t lock;
	pthread_cond_t cond;
	struct req *req;		/* the request to run, NULL when idle */
};

/* The router's view of a spec process. */
struct proc {
	uint32_t number;		/* the driver's name for it; 0: free slot */
	pid_t pid;
	int sock;			/* to the process; -1 once it closed (it is dying) */
	int pidfd;			/* readable once the process is torn down */
};

static int chan = -1;			/* where replies go: the channel (router) or the router's socket */
static int is_router;
static pthread_mutex_t out_lock = PTHREAD_MUTEX_INITIALIZER;
static struct worker *workers[MAX_THREADS];
static struct proc procs[MAX_PROCS];
static volatile sig_atomic_t caught;	/* SIGUSR1 handler runs */

static __thread sigjmp_buf fault_jmp;
static __thread volatile sig_atomic_t fault_armed;

static void die(const char *what)
{
	fprintf(stderr, "extmmap-agent[%d]: %s: %s\n", getpid(), what, strerror(errno));
	exit(2);
}

static int read_full(int fd, void *buf, size_t n)
{
	unsigned char *p = buf;

	while (n) {
		ssize_t r = read(fd, p, n);

		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			return -1;
		p += r;
		n -= r;
	}
	return 0;
}

static int write_full(int fd, const void *buf, size_t n)
{
	const unsigned char *p = buf;

	while (n) {
		ssize_t w = write(fd, p, n);

		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return -1;
		p += w;
		n -= w;
	}
	return 0;
}

static void put_reply_hdr(unsigned char *hdr, uint32_t id, int64_t ret, int32_t err, size_t len)
{
	uint32_t total = RHDR + len;

	memcpy(hdr, &total, 4);
	memcpy(hdr + 4, &id, 4);
	memcpy(hdr + 8, &ret, 8);
	memcpy(hdr + 16, &err, 4);
}

static void reply(uint32_t id, int64_t ret, int32_t err, const void *data, size_t len)
{
	unsigned char hdr[4 + RHDR];

	put_reply_hdr(hdr, id, ret, err, len);
	pthread_mutex_lock(&out_lock);
	if (write_full(chan, hdr, sizeof(hdr)) || (len && write_full(chan, data, len))) {
		if (is_router)
			die("writing to the channel");
		_exit(3);		/* the router went away */
	}
	pthread_mutex_unlock(&out_lock);
}

static void on_fault(int sig)
{
	if (!fault_armed) {
		signal(sig, SIG_DFL);
		raise(sig);
		return;
	}
	fault_armed = 0;
	siglongjmp(fault_jmp, sig);
}

static void on_usr1(int sig)
{
	(void)sig;
	caught++;
}

/*
 * Real accesses: n bytes between addr and buf, one at a time.  Returns the bytes done; *sig is
 * the signal (SIGBUS, SIGSEGV) that stopped it, else 0.
 */
static size_t access_mem(unsigned char *addr, unsigned char *buf, size_t n, int store, int *sig)
{
	static __thread volatile size_t done;

	done = 0;
	*sig = sigsetjmp(fault_jmp, 1);
	if (*sig)
		return done;
	fault_armed = 1;
	for (; done < n; done++) {
		if (store)
			((volatile unsigned char *)addr)[done] = buf[done];
		else
			buf[done] = ((volatile unsigned char *)addr)[done];
	}
	fault_armed = 0;
	return done;
}

/* Does task tid sleep in a pipe wait (state S, wait channel in fs/pipe*.c)? */
static int pipe_waiting(long tid)
{
	char path[64], stat[512], wchan[128];
	ssize_t n;
	char *paren;
	int fd;

	snprintf(path, sizeof(path), "/proc/self/task/%ld/stat", tid);
	fd = open(path, O_RDONLY);
	if (fd < 0)
		return 0;
	n = read(fd, stat, sizeof(stat) - 1);
	close(fd);
	if (n <= 0)
		return 0;
	stat[n] = 0;
	paren = strrchr(stat, ')');
	if (!paren || paren[1] != ' ' || paren[2] != 'S')
		return 0;
	snprintf(path, sizeof(path), "/proc/self/task/%ld/wchan", tid);
	fd = open(path, O_RDONLY);
	if (fd < 0)
		return 0;
	n = read(fd, wchan, sizeof(wchan) - 1);
	close(fd);
	if (n <= 0)
		return 0;
	wchan[n] = 0;
	return strstr(wchan, "pipe_") != NULL;
}

/* Sends thread tid of this process a SIGUSR1 and waits (10 s at most) until a handler ran. */
static long signal_thread(long tid)
{
	sig_atomic_t before = caught;
	struct timespec ms = { 0, 1000000 };

	if (syscall(SYS_tgkill, getpid(), tid, SIGUSR1))
		return -1;
	for (int i = 0; i < 10000 && caught == before; i++)
		nanosleep(&ms, NULL);
	if (caught == before) {
		errno = ETIMEDOUT;
		return -1;
	}
	return 0;
}

static void serve(int in) __attribute__((noreturn));

/*
 * The new process's side of OP_SPAWN and OP_FORK: only the calling thread lives on in it, so
 * the worker table and the reply lock start afresh; it then serves its own socket.
 */
static void become_process(int sock) __attribute__((noreturn));
static void become_process(int sock)
{
	pthread_mutex_init(&out_lock, NULL);
	memset(workers, 0, sizeof(workers));	/* the parent's threads do not exist here */
	is_router = 0;
	chan = sock;
	serve(sock);
}

/* OP_FORK: a real fork; the router gets the child's socket with the NEWPROC frame. */
static long fork_process(uint32_t number)
{
	unsigned char hdr[4 + RHDR];
	char cbuf[CMSG_SPACE(sizeof(int))] = { 0 };
	struct iovec iov = { .iov_base = hdr, .iov_len = sizeof(hdr) };
	struct msghdr mh = { .msg_iov = &iov, .msg_iovlen = 1, .msg_control = cbuf,
			     .msg_controllen = sizeof(cbuf) };
	struct cmsghdr *cm = CMSG_FIRSTHDR(&mh);
	int sv[2];
	pid_t pid;

	if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv))
		return -1;
	pthread_mutex_lock(&out_lock);	/* no reply half written at the fork */
	pid = fork();
	if (pid == 0) {
		close(sv[0]);
		close(chan);
		become_process(sv[1]);
	}
	close(sv[1]);
	if (pid < 0) {
		pthread_mutex_unlock(&out_lock);
		close(sv[0]);
		return -1;
	}
	put_reply_hdr(hdr, NEWPROC_ID, number, pid, 0);
	cm->cmsg_level = SOL_SOCKET;
	cm->cmsg_type = SCM_RIGHTS;
	cm->cmsg_len = CMSG_LEN(sizeof(int));
	memcpy(CMSG_DATA(cm), &sv[0], sizeof(int));
	if (sendmsg(chan, &mh, 0) != (ssize_t)sizeof(hdr))
		_exit(3);
	pthread_mutex_unlock(&out_lock);
	close(sv[0]);
	return pid;
}

static void run(struct req *q)
{
	int64_t *a = q->a;
	long r = 0;
	int e = 0;
	unsigned char *out = NULL;
	size_t olen = 0;

	errno = 0;
	switch (q->op) {
	case OP_PING:
		break;
	case OP_PIPE2: {
		static __thread int fds[2];

		r = pipe2(fds, (int)a[0]);
		out = (unsigned char *)fds;
		olen = r == 0 ? sizeof(fds) : 0;
		break;
	}
	case OP_READ:
		out = malloc(a[1] ? a[1] : 1);
		if (!out)
			die("malloc");
		r = read((int)a[0], out, a[1]);
		olen = r > 0 ? r : 0;
		break;
	case OP_WRITE:
		r = write((int)a[0], q->data, q->len);
		break;
	case OP_CLOSE:
		r = close((int)a[0]);
		break;
	case OP_MMAP: {
		void *p = mmap((void *)a[0], a[1], (int)a[2], (int)a[3], (int)a[4], a[5]);

		r = p == MAP_FAILED ? -1 : (long)p;
		break;
	}
	case OP_MUNMAP:
		r = munmap((void *)a[0], a[1]);
		break;
	case OP_MSYNC:
		r = msync((void *)a[0], a[1], (int)a[2]);
		break;
	case OP_MPROTECT:
		r = mprotect((void *)a[0], a[1], (int)a[2]);
		break;
	case OP_MREMAP: {
		void *p = mremap((void *)a[0], a[1], a[2], (int)a[3]);

		r = p == MAP_FAILED ? -1 : (long)p;
		break;
	}
	case OP_FCNTL:
		r = fcntl((int)a[0], (int)a[1], (long)a[2]);
		break;
	case OP_POLL: {
		static __thread short revents;
		struct pollfd p = { .fd = (int)a[0], .events = (short)a[1] };

		r = poll(&p, 1, (int)a[2]);
		revents = p.revents;
		out = (unsigned char *)&revents;
		olen = r >= 0 ? sizeof(revents) : 0;
		break;
	}
	case OP_FIONREAD: {
		int n = 0;

		r = ioctl((int)a[0], FIONREAD, &n);
		if (r == 0)
			r = n;
		break;
	}
	case OP_PEEK:
	case OP_POKE: {
		/* like process_vm_readv/writev: the bytes before a fault, EFAULT if none */
		int sig;
		size_t n = q->op == OP_PEEK ? (size_t)a[1] : q->len;

		out = q->op == OP_PEEK ? malloc(n ? n : 1) : NULL;
		if (q->op == OP_PEEK && !out)
			die("malloc");
		n = access_mem((unsigned char *)a[0], q->op == OP_PEEK ? out : q->data, n,
			       q->op == OP_POKE, &sig);
		if (sig && !n)
			e = EFAULT;
		r = e ? -1 : (long)n;
		olen = q->op == OP_PEEK ? n : 0;
		break;
	}
	case OP_KILL:
		r = kill((pid_t)a[0], (int)a[1]);
		break;
	case OP_GETPID:
		r = getpid();
		break;
	case OP_GETTID:
		r = syscall(SYS_gettid);
		break;
	case OP_MEMFD: {
		char name[64];
		size_t n = q->len < sizeof(name) - 1 ? q->len : sizeof(name) - 1;

		memcpy(name, q->data, n);
		name[n] = 0;
		r = memfd_create(name, (unsigned int)a[0]);
		break;
	}
	case OP_FTRUNCATE:
		r = ftruncate((int)a[0], a[1]);
		break;
	case OP_PIPEWAIT:
		r = pipe_waiting((long)a[0]);
		break;
	case OP_FORK:
		if (is_router) {
			r = -1;
			errno = EINVAL;	/* the router is no spec process */
			break;
		}
		r = fork_process((uint32_t)a[0]);
		break;
	case OP_EXIT:
		if (is_router) {
			r = -1;
			errno = EINVAL;
			break;
		}
		_exit(0);		/* the real exit: the router reports the process gone */
	case OP_SIGNAL:
		r = signal_thread((long)a[0]);
		break;
	case OP_SIGPIPE: {
		/* blocked, so pending (shared: the kernel sends it to the process); take it */
		static const struct timespec now;
		sigset_t pipe_set;

		sigemptyset(&pipe_set);
		sigaddset(&pipe_set, SIGPIPE);
		r = sigtimedwait(&pipe_set, NULL, &now) == SIGPIPE;
		errno = 0;
		break;
	}
	case OP_CLAIMEND: {
		/* ret: the struct's flags; data: its bytes (8, little endian as the host) */
		static __thread uint64_t bytes;
		struct pipe_claim_end q = { .addr = (uint64_t)a[1] };

		r = ioctl((int)a[0], PIPE_IOC_CLAIM_END, &q);
		if (r == 0) {
			r = q.flags;
			bytes = q.bytes;
			out = (unsigned char *)&bytes;
			olen = sizeof(bytes);
		}
		break;
	}
	default:
		r = -1;
		errno = ENOSYS;
	}
	if (r == -1 && !e)
		e = errno;
	reply(q->id, r, e, out, olen);
	if (q->op == OP_READ || q->op == OP_PEEK)
		free(out);
	free(q->data);
	free(q);
}

static void *worker_main(void *arg)
{
	struct worker *w = arg;

	for (;;) {
		struct req *q;

		pthread_mutex_lock(&w->lock);
		while (!w->req)
			pthread_cond_wait(&w->cond, &w->lock);
		q = w->req;
		w->req = NULL;
		pthread_mutex_unlock(&w->lock);
		run(q);
	}
	return NULL;
}

static void hand_over(struct req *q)
{
	struct worker *w;

	if (q->thread >= MAX_THREADS) {
		fprintf(stderr, "extmmap-agent: thread number %u too large\n", q->thread);
		exit(2);
	}
	w = workers[q->thread];
	if (!w) {
		w = calloc(1, sizeof(*w));
		if (!w)
			die("calloc");
		pthread_mutex_init(&w->lock, NULL);
		pthread_cond_init(&w->cond, NULL);
		if (pthread_create(&w->t, NULL, worker_main, w))
			die("pthread_create");
		workers[q->thread] = w;
	}
	pthread_mutex_lock(&w->lock);
	if (w->req) {
		fprintf(stderr, "extmmap-agent: two requests in flight on thread %u\n", q->thread);
		exit(2);
	}
	w->req = q;
	pthread_cond_signal(&w->cond);
	pthread_mutex_unlock(&w->lock);
}

/* Reads one request frame from fd; NULL at the end of the stream. */
static struct req *read_request(int fd)
{
	unsigned char hdr[4 + HDR];
	uint32_t len;
	struct req *q;

	if (read_full(fd, hdr, 4))
		return NULL;
	memcpy(&len, hdr, 4);
	if (len < HDR || len > MAX_FRAME) {
		fprintf(stderr, "extmmap-agent: bad frame length %u\n", len);
		exit(2);
	}
	if (read_full(fd, hdr + 4, HDR))
		exit(2);
	q = calloc(1, sizeof(*q));
	if (!q)
		die("calloc");
	memcpy(&q->id, hdr + 4, 4);
	memcpy(&q->proc, hdr + 8, 4);
	memcpy(&q->thread, hdr + 12, 4);
	memcpy(&q->op, hdr + 16, 4);
	memcpy(q->a, hdr + 20, sizeof(q->a));
	q->len = len - HDR;
	q->data = malloc(q->len ? q->len : 1);
	if (!q->data)
		die("malloc");
	if (q->len && read_full(fd, q->data, q->len))
		exit(2);
	return q;
}

/* A spec process: requests come from the router's socket; it ends when the router does. */
static void serve(int in)
{
	for (;;) {
		struct req *q = read_request(in);

		if (!q)
			_exit(0);
		hand_over(q);
	}
}

/* --- the router ---------------------------------------------------------------------------- */

static struct proc *find_proc(uint32_t number)
{
	for (int i = 0; i < MAX_PROCS; i++)
		if (procs[i].number == number && number)
			return &procs[i];
	return NULL;
}

static struct proc *add_proc(uint32_t number, pid_t pid, int sock)
{
	struct proc *p = NULL;

	for (int i = 0; i < MAX_PROCS && !p; i++)
		if (!procs[i].number)
			p = &procs[i];
	if (!p || find_proc(number)) {
		fprintf(stderr, "extmmap-agent: cannot add process %u (%s)\n", number,
			p ? "the number is in use" : "too many processes");
		exit(2);
	}
	p->pidfd = syscall(SYS_pidfd_open, pid, 0);
	if (p->pidfd < 0)
		die("pidfd_open (the router needs it to see a process torn down)");
	fcntl(p->pidfd, F_SETFD, FD_CLOEXEC);
	p->number = number;
	p->pid = pid;
	p->sock = sock;
	return p;
}

/* OP_SPAWN: a fork of the router that keeps nothing of it but a socket to it. */
static long spawn_process(uint32_t number)
{
	int sv[2];
	pid_t pid;

	if (find_proc(number)) {
		errno = EEXIST;
		return -1;
	}
	if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv))
		return -1;
	pthread_mutex_lock(&out_lock);
	pid = fork();
	if (pid == 0) {
		/* nothing of the router's: not the channel, not its processes' sockets, no pipe */
		if (dup2(sv[1], 3) < 0 || syscall(SYS_close_range, 4, ~0U, 0))
			_exit(3);
		memset(procs, 0, sizeof(procs));
		become_process(3);
	}
	pthread_mutex_unlock(&out_lock);
	close(sv[1]);
	if (pid < 0) {
		close(sv[0]);
		return -1;
	}
	add_proc(number, pid, sv[0]);
	return pid;
}

/*
 * Copies one frame from process p's socket to the channel; -1 when the socket ended, 1 when
 * the frame was a fork's (a new process in the table).
 */
static int relay_from(struct proc *p)
{
	unsigned char hdr[4 + RHDR];
	char cbuf[CMSG_SPACE(sizeof(int))];
	struct iovec iov = { .iov_base = hdr, .iov_len = 4 };
	struct msghdr mh = { .msg_iov = &iov, .msg_iovlen = 1, .msg_control = cbuf,
			     .msg_controllen = sizeof(cbuf) };
	int fd = -1;
	uint32_t len, id;
	unsigned char *data;
	ssize_t n;

	do
		n = recvmsg(p->sock, &mh, MSG_CMSG_CLOEXEC);
	while (n < 0 && errno == EINTR);
	if (n <= 0)
		return -1;
	for (struct cmsghdr *cm = CMSG_FIRSTHDR(&mh); cm; cm = CMSG_NXTHDR(&mh, cm))
		if (cm->cmsg_level == SOL_SOCKET && cm->cmsg_type == SCM_RIGHTS)
			memcpy(&fd, CMSG_DATA(cm), sizeof(int));
	if (n < 4 && read_full(p->sock, hdr + n, 4 - n))
		return -1;
	memcpy(&len, hdr, 4);
	if (len < RHDR || len > MAX_FRAME || read_full(p->sock, hdr + 4, RHDR))
		return -1;
	memcpy(&id, hdr + 4, 4);
	if (id == NEWPROC_ID) {
		int64_t number;
		int32_t pid;

		memcpy(&number, hdr + 8, 8);
		memcpy(&pid, hdr + 16, 4);
		if (fd < 0) {
			fprintf(stderr, "extmmap-agent: a fork's frame without its socket\n");
			exit(2);
		}
		add_proc((uint32_t)number, pid, fd);
		return 1;	/* the table changed */
	}
	data = malloc(len - RHDR + 1);
	if (!data)
		die("malloc");
	if (len > RHDR && read_full(p->sock, data, len - RHDR)) {
		free(data);
		return -1;
	}
	pthread_mutex_lock(&out_lock);
	if (write_full(chan, hdr, sizeof(hdr)) || write_full(chan, data, len - RHDR))
		die("writing to the channel");
	pthread_mutex_unlock(&out_lock);
	free(data);
	return 0;
}

/* Process p is torn down: pass on what it still said, then tell the driver. */
static void bury(struct proc *p)
{
	uint32_t number = p->number;

	while (p->sock >= 0 && relay_from(p) >= 0)
		;
	if (p->sock >= 0)
		close(p->sock);
	close(p->pidfd);
	memset(p, 0, sizeof(*p));
	reply(GONE_ID, number, 0, NULL, 0);
}

/* Routes one request from the channel: to a process, or run here (the router's own calls). */
static void route(struct req *q)
{
	struct proc *p;
	unsigned char hdr[4 + HDR];
	uint32_t len = HDR + q->len;

	if (q->proc == 0) {
		if (q->op == OP_SPAWN) {
			long pid = spawn_process((uint32_t)q->a[0]);

			reply(q->id, pid, pid < 0 ? errno : 0, NULL, 0);
		} else if (q->op == OP_SIGKILL) {
			struct proc *t = find_proc((uint32_t)q->a[0]);
			long r = t ? kill(t->pid, SIGKILL) : (errno = ESRCH, -1);

			reply(q->id, r, r < 0 ? errno : 0, NULL, 0);
		} else {
			hand_over(q);
			return;
		}
		free(q->data);
		free(q);
		return;
	}
	p = find_proc(q->proc);
	if (!p || p->sock < 0) {
		reply(q->id, -1, ESRCH, NULL, 0);
	} else {
		memcpy(hdr, &len, 4);
		memcpy(hdr + 4, &q->id, 4);
		memcpy(hdr + 8, &q->proc, 4);
		memcpy(hdr + 12, &q->thread, 4);
		memcpy(hdr + 16, &q->op, 4);
		memcpy(hdr + 20, q->a, sizeof(q->a));
		if (write_full(p->sock, hdr, sizeof(hdr)) || (q->len && write_full(p->sock, q->data, q->len))) {
			/* it is dying: its pidfd will say so; the request dies with it */
			close(p->sock);
			p->sock = -1;
		}
	}
	free(q->data);
	free(q);
}

static int open_port(const char *name)
{
	glob_t g;
	char want[256];

	snprintf(want, sizeof(want), "%s\n", name);
	if (glob("/sys/class/virtio-ports/*/name", 0, NULL, &g) == 0) {
		for (size_t i = 0; i < g.gl_pathc; i++) {
			char got[256] = "", dev[300];
			int fd = open(g.gl_pathv[i], O_RDONLY);
			ssize_t n = fd < 0 ? -1 : read(fd, got, sizeof(got) - 1);

			if (fd >= 0)
				close(fd);
			if (n <= 0 || strcmp(got, want))
				continue;
			/* /sys/class/virtio-ports/vportNpM/name -> /dev/vportNpM */
			snprintf(dev, sizeof(dev), "/dev/%.*s", (int)(strrchr(g.gl_pathv[i], '/') -
				 g.gl_pathv[i] - strlen("/sys/class/virtio-ports/")),
				 g.gl_pathv[i] + strlen("/sys/class/virtio-ports/"));
			globfree(&g);
			fd = open(dev, O_RDWR | O_CLOEXEC);
			if (fd < 0)
				die(dev);
			return fd;
		}
		globfree(&g);
	}
	fprintf(stderr, "extmmap-agent: no virtio-serial port named %s (CONFIG_VIRTIO_CONSOLE, QEMU's virtserialport)\n",
		name);
	exit(2);
}

static int connect_unix(const char *path)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);

	if (fd < 0)
		die("socket");
	snprintf(sa.sun_path, sizeof(sa.sun_path), "%s", path);
	if (connect(fd, (struct sockaddr *)&sa, sizeof(sa)))
		die(path);
	return fd;
}

int main(int argc, char **argv)
{
	struct sigaction sa = { .sa_handler = on_fault, .sa_flags = SA_NODEFER };
	struct sigaction usr1 = { .sa_handler = on_usr1 };	/* no SA_RESTART: the spec's EINTR */
	sigset_t pipe_mask;

	if (argc != 3 || (strcmp(argv[1], "--connect") && strcmp(argv[1], "--port"))) {
		fprintf(stderr, "usage: extmmap-agent --connect SOCKET | --port NAME\n");
		return 2;
	}
	chan = strcmp(argv[1], "--port") ? connect_unix(argv[2]) : open_port(argv[2]);
	is_router = 1;
	/*
	 * SIGPIPE blocked before any thread or process exists, so that every one inherits the mask:
	 * a blocked signal is never discarded as ignored, and OP_SIGPIPE reports it.
	 */
	sigemptyset(&pipe_mask);
	sigaddset(&pipe_mask, SIGPIPE);
	pthread_sigmask(SIG_BLOCK, &pipe_mask, NULL);
	/* processes are reaped by the kernel at once; their end is seen through pidfds */
	signal(SIGCHLD, SIG_IGN);
	/* orphans of killed spec processes come here, not to the guest's init */
	prctl(PR_SET_CHILD_SUBREAPER, 1);
	sigemptyset(&sa.sa_mask);
	sigaction(SIGBUS, &sa, NULL);
	sigaction(SIGSEGV, &sa, NULL);
	sigemptyset(&usr1.sa_mask);
	sigaction(SIGUSR1, &usr1, NULL);
	reply(0, getpid(), 0, "extmmap-agent", strlen("extmmap-agent"));
	for (;;) {
		struct pollfd fds[1 + 2 * MAX_PROCS];
		struct proc *who[1 + 2 * MAX_PROCS];
		int n = 1;

		fds[0] = (struct pollfd){ .fd = chan, .events = POLLIN };
		for (int i = 0; i < MAX_PROCS; i++) {
			if (!procs[i].number)
				continue;
			if (procs[i].sock >= 0) {
				who[n] = &procs[i];
				fds[n++] = (struct pollfd){ .fd = procs[i].sock, .events = POLLIN };
			}
			who[n] = &procs[i];
			fds[n++] = (struct pollfd){ .fd = procs[i].pidfd, .events = POLLIN };
		}
		if (poll(fds, n, -1) < 0) {
			if (errno == EINTR)
				continue;
			die("poll");
		}
		/* after a change of the table, poll again: descriptor numbers may have been reused */
		for (int i = 1; i < n; i++) {
			struct proc *p = who[i];
			int r;

			if (!fds[i].revents)
				continue;
			if (fds[i].fd == p->pidfd) {
				bury(p);
				break;
			}
			r = relay_from(p);
			if (r < 0) {
				close(p->sock);	/* it is dying; its pidfd says when it is gone */
				p->sock = -1;
			}
			if (r)
				break;
		}
		if (fds[0].revents) {
			struct req *q = read_request(chan);

			if (!q)
				return 0;	/* the driver is done */
			route(q);
		}
	}
}
