// SPDX-License-Identifier: GPL-2.0
/*
 * extmmap-agent: the system calls of the conformance suite, made in this process for a driver
 * elsewhere (the JVM on the host, through a virtio-serial port of the guest; or a unix socket
 * when both run on one machine). The driver's AgentSyscalls sends one request per call of its
 * Syscalls interface; this program makes the call and sends the result back. Loads and stores
 * are real CPU accesses of this process; a signal there (SIGBUS, SIGSEGV) is caught and, like
 * process_vm_readv() reports it, the reply is the bytes done before it, or EFAULT if none.
 *
 *   extmmap-agent --connect PATH     connect to the unix socket PATH
 *   extmmap-agent --port NAME        open the virtio-serial port named NAME (/sys/class/virtio-ports)
 *
 * Frames, little endian. Request: u32 len (of what follows), u32 id, u32 thread, u32 op,
 * i64 arg[6], data. Reply: u32 len, u32 id, i64 ret, i32 err, data. Each driver thread has a
 * thread number; the agent runs its requests on a thread of its own (created on first use), so
 * a call that blocks holds only its own thread, as in the driver. One request per thread is in
 * flight at a time. The agent opens with a reply to request 0 (ret: its pid, data: its name),
 * so the driver knows when it runs. Exit status: 0 when the driver closes the channel, 2 on a
 * channel error.
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
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/un.h>
#include <unistd.h>

enum op {
	OP_PING = 0, OP_PIPE2, OP_READ, OP_WRITE, OP_CLOSE, OP_MMAP, OP_MUNMAP, OP_MSYNC,
	OP_MPROTECT, OP_MREMAP, OP_FCNTL, OP_POLL, OP_FIONREAD, OP_PEEK, OP_POKE, OP_KILL,
	OP_GETPID, OP_GETTID, OP_MEMFD, OP_FTRUNCATE, OP_PIPEWAIT, OP_COUNT
};

#define HDR (4 + 4 + 4 + 6 * 8)		/* id, thread, op, args */
#define MAX_FRAME (64u << 20)
#define MAX_THREADS 1024

struct req {
	uint32_t id, thread, op;
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

static int chan = -1;
static pthread_mutex_t out_lock = PTHREAD_MUTEX_INITIALIZER;
static struct worker *workers[MAX_THREADS];

static __thread sigjmp_buf fault_jmp;
static __thread volatile sig_atomic_t fault_armed;

static void die(const char *what)
{
	fprintf(stderr, "extmmap-agent: %s: %s\n", what, strerror(errno));
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

static void write_full(int fd, const void *buf, size_t n)
{
	const unsigned char *p = buf;

	while (n) {
		ssize_t w = write(fd, p, n);

		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			die("writing to the channel");
		p += w;
		n -= w;
	}
}

static void reply(uint32_t id, int64_t ret, int32_t err, const void *data, size_t len)
{
	unsigned char hdr[4 + 4 + 8 + 4];
	uint32_t total = 4 + 8 + 4 + len;

	memcpy(hdr, &total, 4);
	memcpy(hdr + 4, &id, 4);
	memcpy(hdr + 8, &ret, 8);
	memcpy(hdr + 16, &err, 4);
	pthread_mutex_lock(&out_lock);
	write_full(chan, hdr, sizeof(hdr));
	if (len)
		write_full(chan, data, len);
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

	if (argc != 3 || (strcmp(argv[1], "--connect") && strcmp(argv[1], "--port"))) {
		fprintf(stderr, "usage: extmmap-agent --connect SOCKET | --port NAME\n");
		return 2;
	}
	chan = strcmp(argv[1], "--port") ? connect_unix(argv[2]) : open_port(argv[2]);
	/* EPIPE stands for SIGPIPE, as in the driver's own JVM */
	signal(SIGPIPE, SIG_IGN);
	sigemptyset(&sa.sa_mask);
	sigaction(SIGBUS, &sa, NULL);
	sigaction(SIGSEGV, &sa, NULL);
	reply(0, getpid(), 0, "extmmap-agent", strlen("extmmap-agent"));
	for (;;) {
		unsigned char hdr[4 + HDR];
		uint32_t len;
		struct req *q;

		if (read_full(chan, hdr, 4))
			return 0;		/* the driver is done */
		memcpy(&len, hdr, 4);
		if (len < HDR || len > MAX_FRAME) {
			fprintf(stderr, "extmmap-agent: bad frame length %u\n", len);
			return 2;
		}
		if (read_full(chan, hdr + 4, HDR))
			return 2;
		q = calloc(1, sizeof(*q));
		if (!q)
			die("calloc");
		memcpy(&q->id, hdr + 4, 4);
		memcpy(&q->thread, hdr + 8, 4);
		memcpy(&q->op, hdr + 12, 4);
		memcpy(q->a, hdr + 16, sizeof(q->a));
		q->len = len - HDR;
		q->data = malloc(q->len ? q->len : 1);
		if (!q->data)
			die("malloc");
		if (q->len && read_full(chan, q->data, q->len))
			return 2;
		hand_over(q);
	}
}
