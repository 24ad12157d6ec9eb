/*
 * The runtime of a history's C reproducer (HistoryReproducer.java): it makes the calls of a
 * recorded history (conformance/histories.md) again in real processes, with their invocations
 * forced into ticket order, and compares each call's result with the recorded one.
 *
 * Set-up, as extmmap-workload.c does it before its first event: process 0, the conductor, makes
 * the pipe (pipe2, F_SETPIPE_SZ to the history's capacity), installs the same handlers (SIGUSR1
 * counted, without SA_RESTART; SIGPIPE counted; SIGBUS caught in loads and stores) and becomes a
 * subreaper; then it makes its recorded forks and closes. Every other process is a real process
 * made by its recorded fork, holding what its parent held then (descriptors and mappings).
 *
 * Why the order is forced this way. The history orders calls only by tickets: a completion
 * ticket before an invocation ticket means that call had returned before the other began; calls
 * that overlap are ordered by nothing (histories.md, "Order"). So the conductor walks the events
 * in ticket order:
 *   I  the call's process may invoke it (a turn counter in a shared page, a futex); the conductor
 *      waits until the call has returned or its process is seen asleep in it: /proc/PID/stat
 *      state S or D twice, 1 ms apart, with no context switch between (a wait, not a lock being
 *      handed on; /proc/PID/wchan says where). An exit: until the process is a zombie, when it
 *      has released its descriptors and mappings;
 *   R  it waits for the call's return. A call that caught SIGUSR1s in the history (sig=N), still
 *      asleep here, gets them now, one each time it is seen asleep;
 *   K  it sends SIGKILL;   D  it reaps the process.
 * Each wait is bounded by 2 s times EXTMMAP_TIME_SCALE (the workload's scale of its waits); a
 * call still in the kernel 2 s after its R is a difference (it blocked where the history has it
 * return), as is a result other than the recorded one.
 *
 * What cannot be forced: the moment a woken call runs. A call asleep in the kernel is woken by
 * another call's effect and runs when the scheduler lets it: before or after the waking call goes
 * on, in the history perhaps after a third call took the bytes it now gets. A history whose
 * calls never overlapped, or overlapped only while the open call slept and nothing woke it before
 * its own R, replays exactly; others may replay differently on a kernel that does nothing wrong
 * (the checker, not this program, decides whether some order explains them). Nor when, within a
 * call, the conductor's SIGUSR1 arrived in the history: here it comes while the call sleeps.
 *
 * Output: one line per call, "TICKET PROC OP ARGS -> got X, history Y [what the conductor saw]",
 * then "REPRODUCED ..." (exit 0) when every completed call returned what it recorded, else
 * "DIFFERENT at ticket T: ..." (exit 1); exit 2 when the set-up failed or cannot be made here.
 * Bytes are compared as recorded: FNV-1a 64 digests, or (--small) x and the bytes in hex.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <linux/futex.h>
#include <poll.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

/* HISTORY_UAPI */

enum op {
	OP_READ, OP_WRITE, OP_CLOSE, OP_POLL, OP_FIONREAD, OP_CLAIMEND, OP_MMAP, OP_LOAD, OP_STORE,
	OP_PSTORE, OP_MSYNC, OP_MUNMAP, OP_MPROTECT, OP_MREMAP, OP_FORK, OP_EXIT, OP_KILL
};

#define PENDING UINT64_MAX

/* One call of the history, in invocation order; a kill spans the conductor's K and D lines. */
struct step {
	uint64_t t, done;	/* invocation and completion tickets (PENDING: none) */
	int proc;
	enum op op;
	int map;		/* the mapping's handle, an index into handles[]; 0: none */
	char end;		/* close, mmap: 'r' or 'w' */
	long a, b;		/* read/write n; mmap len, off; load/store off, n; msync e;
				   munmap pages a..b-1; claimend page; fork: the child's name */
	int prot, flags;	/* mmap, mprotect */
	uint64_t key;		/* write, store, pstore: the pattern's key */
	int sig;		/* SIGUSR1s the call caught in the history */
	int hex;		/* its bytes were recorded as x and hex, not as a digest */
	const char *text;	/* op and arguments as in the I line */
	const char *want;	/* the recorded result (and sigpipe=N); NULL: pending, not compared */
};

struct event {
	uint64_t t;
	char kind;		/* I, R, K, D */
	int step;
};

/* HISTORY_TABLE */

#define NSTEPS (sizeof(steps) / sizeof(steps[0]))
#define NEVENTS (sizeof(events) / sizeof(events[0]))
#define WAIT_S 2.0

/* What happened to one step, in the shared page: written by its process and by the conductor. */
struct outcome {
	uint32_t state;		/* 0 not made, 1 in the call, 2 returned, 3 passed over */
	uint32_t sig, sigpipe;	/* handlers that ran during the call */
	uint32_t late;		/* still in the call WAIT_S after its R */
	char got[96];
	char note[112];		/* what the conductor saw */
};

struct shared {
	uint32_t turn;		/* the step that may be invoked now (a futex word) */
	int32_t pid[NPROCS];
	struct outcome out[NSTEPS];
};

struct map {
	unsigned char *addr;	/* NULL: not mapped here (failed, or forgotten as the workload does) */
	size_t len;
	unsigned int npages;
	uint32_t mask;		/* pages still mapped by this process */
};

static struct shared *sh;
static struct map maps[NMAPS + 1];	/* per process: a fork copies them, as it copies mappings */
static int rfd = -1, wfd = -1;
static double scale = 1;
static uint8_t reaped[NPROCS];
static volatile sig_atomic_t n_usr1, n_pipe;
static sig_atomic_t usr1_before, pipe_before;
static sigjmp_buf fault_jmp;
static volatile sig_atomic_t fault_armed;
static unsigned char iobuf[MAX_IO];

/* --- bytes, as extmmap-workload.c makes and records them ----------------------------------- */

/* HISTORY_COMMON */

/* --- signals, as the workload installs them ------------------------------------------------- */

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

static void on_bus(int sig)
{
	if (!fault_armed) {
		signal(sig, SIG_DFL);
		return;
	}
	fault_armed = 0;
	siglongjmp(fault_jmp, 1);
}

/* --- time and /proc ------------------------------------------------------------------------- */

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static void pause_us(long us)
{
	struct timespec ts = { 0, us * 1000 };

	nanosleep(&ts, NULL);
}

static double deadline(void)
{
	return now_s() + WAIT_S * scale;
}

static int read_proc(pid_t pid, const char *file, char *buf, size_t n)
{
	char path[64];
	ssize_t r;
	int fd;

	snprintf(path, sizeof(path), "/proc/%d/%s", (int)pid, file);
	fd = open(path, O_RDONLY);
	if (fd < 0)
		return -1;
	r = read(fd, buf, n - 1);
	close(fd);
	if (r < 0)
		return -1;
	buf[r] = 0;
	return 0;
}

/* The process's state letter (0: gone), its context switches so far, and its wait channel. */
static char proc_state(pid_t pid, unsigned long *switches, char *wchan, size_t n)
{
	char buf[2048], *p, st;
	unsigned long v;

	if (read_proc(pid, "stat", buf, sizeof(buf)) || !(p = strrchr(buf, ')')) || !p[1])
		return 0;
	st = p[2];
	*switches = 0;
	if (!read_proc(pid, "status", buf, sizeof(buf))) {
		if ((p = strstr(buf, "\nvoluntary_ctxt_switches:")) && sscanf(p + 25, "%lu", &v) == 1)
			*switches += v;
		if ((p = strstr(buf, "\nnonvoluntary_ctxt_switches:")) && sscanf(p + 28, "%lu", &v) == 1)
			*switches += v;
	}
	if (read_proc(pid, "wchan", wchan, n) || !wchan[0])
		snprintf(wchan, n, "?");
	return st;
}

static pid_t pid_of(int proc)
{
	return __atomic_load_n(&sh->pid[proc], __ATOMIC_SEQ_CST);
}

static uint32_t state_of(size_t i)
{
	return __atomic_load_n(&sh->out[i].state, __ATOMIC_SEQ_CST);
}

static void note(size_t i, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void note(size_t i, const char *fmt, ...)
{
	char *s = sh->out[i].note;
	size_t used = strlen(s);
	va_list ap;

	if (used && used < sizeof(sh->out[i].note) - 2)
		used += snprintf(s + used, sizeof(sh->out[i].note) - used, "; ");
	va_start(ap, fmt);
	vsnprintf(s + used, sizeof(sh->out[i].note) - used, fmt, ap);
	va_end(ap);
}

/*
 * Until step i's call returned (2), its process was seen asleep in it (1; said in its note when
 * say) or is gone or a zombie (3), or the deadline passed (0).
 */
static int settle(size_t i, double until, int say)
{
	pid_t pid = pid_of(steps[i].proc);
	unsigned long sw, prev_sw = 0;
	char st, prev = 0, wchan[64];

	for (;;) {
		if (state_of(i) == 2)
			return 2;
		st = proc_state(pid, &sw, wchan, sizeof(wchan));
		if (!st || st == 'Z' || st == 'X')
			return 3;
		if ((st == 'S' || st == 'D') && (prev == 'S' || prev == 'D') && sw == prev_sw) {
			if (state_of(i) == 2)	/* returned, and asleep in its next wait for a turn */
				return 2;
			if (say)
				note(i, "asleep in %s (%c)", wchan, st);
			return 1;
		}
		prev = st;
		prev_sw = sw;
		if (now_s() > until)
			return 0;
		pause_us(1000);
	}
}

/* --- the calls, in the process of the step -------------------------------------------------- */

static void begin(size_t i)
{
	usr1_before = n_usr1;
	pipe_before = n_pipe;
	__atomic_store_n(&sh->out[i].state, 1, __ATOMIC_SEQ_CST);
}

static void finish(size_t i, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void finish(size_t i, const char *fmt, ...)
{
	struct outcome *o = &sh->out[i];
	va_list ap;
	int n;

	o->sig = n_usr1 - usr1_before;
	o->sigpipe = n_pipe - pipe_before;
	va_start(ap, fmt);
	n = vsnprintf(o->got, sizeof(o->got), fmt, ap);
	va_end(ap);
	if (o->sigpipe && n > 0 && n < (int)sizeof(o->got))
		snprintf(o->got + n, sizeof(o->got) - n, " sigpipe=%u", o->sigpipe);
	__atomic_store_n(&o->state, 2, __ATOMIC_SEQ_CST);
}

static void finish_ret(size_t i, long r, int e)
{
	if (r < 0)
		finish(i, "err %s", errname(e));
	else
		finish(i, "ok");
}

/* A call this process cannot make, since what it acts on is not there (an earlier difference). */
static void not_made(size_t i, const char *why)
{
	begin(i);
	finish(i, "(not made: %s)", why);
}

static int page_mapped(const struct map *m, long k)
{
	return m->addr && k >= 0 && k < (long)m->npages && ((m->mask >> k) & 1);
}

/* the last run of pages still mapped, as the workload's mprotect and mremap take it */
static int last_run(const struct map *m, unsigned int *a, unsigned int *b)
{
	if (!m->addr || !m->mask)
		return 0;
	*b = m->npages;
	while (!page_mapped(m, *b - 1))
		(*b)--;
	*a = *b - 1;
	while (*a > 0 && page_mapped(m, *a - 1))
		(*a)--;
	return 1;
}

static int __attribute__((noinline)) access_bytes(size_t i, volatile unsigned char *addr,
						  unsigned char *buf, size_t n, int store)
{
	if (sigsetjmp(fault_jmp, 0))
		return -1;
	begin(i);
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

static void run(int proc) __attribute__((noreturn));

static void perform(size_t i)
{
	const struct step *s = &steps[i];
	struct map *m = &maps[s->map];
	char word[96];
	long r;
	int e;

	switch (s->op) {
	case OP_READ:
		begin(i);
		r = read(rfd, iobuf, s->a);
		e = errno;
		if (r < 0)
			finish(i, "err %s", errname(e));
		else
			finish(i, "ok %ld %s", r, bytes_word(word, iobuf, r, s->hex && r <= 40));
		break;
	case OP_WRITE:
		for (long j = 0; j < s->a; j++)
			iobuf[j] = pattern(s->key, j);
		begin(i);
		r = write(wfd, iobuf, s->a);
		e = errno;
		if (r < 0)
			finish(i, "err %s", errname(e));
		else
			finish(i, "ok %ld", r);
		break;
	case OP_CLOSE:
		begin(i);
		r = close(s->end == 'r' ? rfd : wfd);
		finish_ret(i, r, errno);
		break;
	case OP_POLL: {
		struct pollfd p = { .fd = rfd, .events = POLLIN };

		begin(i);
		r = poll(&p, 1, 0);
		e = errno;
		if (r < 0)
			finish(i, "err %s", errname(e));
		else
			finish(i, "ok %d", (p.revents & (POLLIN | POLLHUP)) ? 1 : 0);
		break;
	}
	case OP_FIONREAD: {
		int nread = 0;

		begin(i);
		r = ioctl(rfd, FIONREAD, &nread);
		e = errno;
		if (r < 0)
			finish(i, "err %s", errname(e));
		else
			finish(i, "ok %d", nread);
		break;
	}
	case OP_CLAIMEND: {
#ifdef PIPE_IOC_CLAIM_END
		struct pipe_claim_end q = { .addr = (uintptr_t)(m->addr + (size_t)s->a * PAGE) };

		if (!page_mapped(m, s->a)) {
			not_made(i, "that page is not mapped here");
			break;
		}
		begin(i);
		r = ioctl(rfd, PIPE_IOC_CLAIM_END, &q);
		e = errno;
		if (r < 0)
			finish(i, "err %s", errname(e));
		else
			finish(i, "ok %llu %d", (unsigned long long)q.bytes,
			       (q.flags & PIPE_CLAIM_FINAL) ? 1 : 0);
#else
		not_made(i, "no PIPE_IOC_CLAIM_END here");
#endif
		break;
	}
	case OP_MMAP: {
		void *p;

		begin(i);
		p = mmap(NULL, s->a, s->prot, s->flags, s->end == 'r' ? rfd : wfd, s->b);
		e = errno;
		if (p == MAP_FAILED) {
			finish(i, "err %s", errname(e));
			break;
		}
		*m = (struct map){ .addr = p, .len = s->a, .npages = (s->a + PAGE - 1) / PAGE };
		m->mask = (1u << m->npages) - 1;
		finish(i, "ok %s", s->map ? handles[s->map] : "(a mapping the history has not)");
		break;
	}
	case OP_LOAD:
	case OP_STORE:
	case OP_PSTORE:
		if (!page_mapped(m, s->a / PAGE)) {
			not_made(i, "that page is not mapped here");
			break;
		}
		for (long j = 0; s->op != OP_LOAD && j < s->b; j++)
			iobuf[j] = pattern(s->key, j);
		r = access_bytes(i, m->addr + s->a, iobuf, s->b, s->op != OP_LOAD);
		if (r < 0)
			finish(i, "sigbus");
		else if (s->op == OP_LOAD)
			finish(i, "ok %s", bytes_word(word, iobuf, s->b, s->hex && s->b <= 40));
		else
			finish(i, "ok");
		break;
	case OP_MSYNC:
		if (!m->addr) {
			not_made(i, "the window is not mapped here");
			break;
		}
		begin(i);
		r = msync(m->addr, s->a, MS_SYNC);
		finish_ret(i, r, errno);
		break;
	case OP_MUNMAP: {
		long k = s->a;

		while (k < s->b && page_mapped(m, k))
			k++;
		if (s->a >= s->b || k < s->b) {	/* a hole here may hold another mapping now */
			not_made(i, "those pages are not mapped here");
			break;
		}
		begin(i);
		r = munmap(m->addr + (size_t)s->a * PAGE, (size_t)(s->b - s->a) * PAGE);
		e = errno;
		if (!r)
			m->mask &= ~(((1u << s->b) - 1) & ~((1u << s->a) - 1));
		finish_ret(i, r, e);
		break;
	}
	case OP_MPROTECT:
	case OP_MREMAP: {
		unsigned int a, b;
		size_t len;

		if (!last_run(m, &a, &b)) {
			not_made(i, "the mapping is not mapped here");
			break;
		}
		len = (size_t)(b - a) * PAGE;
		begin(i);
		if (s->op == OP_MPROTECT)
			r = mprotect(m->addr + (size_t)a * PAGE, len, s->prot);
		else
			r = mremap(m->addr + (size_t)a * PAGE, len, len + PAGE, MREMAP_MAYMOVE) == MAP_FAILED
				? -1 : 0;
		e = errno;
		if (!r)
			m->addr = NULL;	/* changed (wrongly): never touched again, as in the workload */
		finish_ret(i, r, e);
		break;
	}
	case OP_FORK: {
		pid_t c;

		fflush(stdout);
		begin(i);
		c = fork();
		e = errno;
		if (c == 0)
			run(s->a);
		if (c < 0) {
			finish(i, "err %s", errname(e));
			break;
		}
		__atomic_store_n(&sh->pid[s->a], c, __ATOMIC_SEQ_CST);
		finish(i, "ok %ld", s->a);
		break;
	}
	case OP_EXIT:
		begin(i);
		_exit(0);
	case OP_KILL:
		break;
	}
}

/* A process: its calls, each at its turn; then it holds what it holds until the end. */
static void run(int proc)
{
	__atomic_store_n(&sh->pid[proc], getpid(), __ATOMIC_SEQ_CST);
	for (size_t i = 0; i < NSTEPS; i++) {
		uint32_t v;

		if (steps[i].proc != proc || steps[i].op == OP_KILL)
			continue;
		while ((v = __atomic_load_n(&sh->turn, __ATOMIC_SEQ_CST)) < i)
			syscall(SYS_futex, &sh->turn, FUTEX_WAIT, v, NULL, NULL, 0);
		if (v > i) {	/* the conductor went on without it: it was still in its last call */
			__atomic_store_n(&sh->out[i].state, 3, __ATOMIC_SEQ_CST);
			continue;
		}
		perform(i);
	}
	for (;;)
		pause();
}

/* --- the conductor -------------------------------------------------------------------------- */

static void set_turn(uint32_t t)
{
	__atomic_store_n(&sh->turn, t, __ATOMIC_SEQ_CST);
	syscall(SYS_futex, &sh->turn, FUTEX_WAKE, INT_MAX, NULL, NULL, 0);
}

static void invoke(size_t i)
{
	double until = deadline();
	int r;

	if (steps[i].proc == 0) {	/* the conductor's own fork and close */
		perform(i);
		return;
	}
	set_turn(i);
	while (state_of(i) == 0 && now_s() < until)
		pause_us(200);
	if (state_of(i) == 0) {
		note(i, "its process did not take its turn within %.1f s", WAIT_S * scale);
		return;
	}
	r = settle(i, until, 1);
	if (r == 0)
		note(i, "neither returned nor asleep within %.1f s", WAIT_S * scale);
	else if (r == 3 && steps[i].op != OP_EXIT)
		note(i, "its process is gone");
}

static void complete(size_t i)
{
	double until = deadline();
	int sent = 0;

	for (int k = 0; k < steps[i].sig && state_of(i) == 1; k++) {
		if (settle(i, until, 0) != 1)
			break;
		kill(pid_of(steps[i].proc), SIGUSR1);
		sent++;
	}
	if (sent)
		note(i, "SIGUSR1 sent %d while asleep", sent);
	while (state_of(i) != 2 && now_s() < until)
		pause_us(200);
	if (state_of(i) != 2) {
		sh->out[i].late = 1;
		note(i, "still in the call %.1f s after its return in the history", WAIT_S * scale);
	}
}

static void describe_status(struct outcome *o, int st)
{
	if (WIFEXITED(st) && !WEXITSTATUS(st))
		snprintf(o->got, sizeof(o->got), "exited");
	else if (WIFEXITED(st))
		snprintf(o->got, sizeof(o->got), "exited with status %d", WEXITSTATUS(st));
	else if (WTERMSIG(st) == SIGKILL)
		snprintf(o->got, sizeof(o->got), "killed");
	else
		snprintf(o->got, sizeof(o->got), "killed by signal %d (%s)", WTERMSIG(st),
			 strsignal(WTERMSIG(st)));
}

/* D: the conductor reaps the process of an exit or a kill (a subreaper: grandchildren too) */
static void reap(size_t i)
{
	struct outcome *o = &sh->out[i];
	pid_t pid = pid_of(steps[i].proc), r = 0;
	double until = deadline();
	int st;

	while (pid > 0 && now_s() < until) {
		r = waitpid(pid, &st, WNOHANG);
		if (r == pid || (r < 0 && errno != EINTR))
			break;
		pause_us(500);
	}
	if (r == pid) {
		describe_status(o, st);
		reaped[steps[i].proc] = 1;
		__atomic_store_n(&o->state, 2, __ATOMIC_SEQ_CST);
	} else {
		note(i, "not reaped within %.1f s", WAIT_S * scale);
	}
}

/* the end: every process still there is killed and reaped; their open calls stay open */
static void end_all(void)
{
	double until = now_s() + 2 * WAIT_S * scale;
	int st;

	set_turn(UINT32_MAX);
	for (int p = 1; p < NPROCS; p++)
		if (pid_of(p) > 0 && !reaped[p])
			kill(pid_of(p), SIGKILL);
	while (now_s() < until) {
		pid_t r = waitpid(-1, &st, WNOHANG);

		if (r < 0 && errno == ECHILD)
			return;
		if (r <= 0)
			pause_us(1000);
	}
	fprintf(stderr, "some processes could not be reaped within %.1f s\n", 2 * WAIT_S * scale);
}

/* Whether step i, completed in the history, did not return what it recorded (or not in time). */
static int differs(size_t i)
{
	return steps[i].want && (state_of(i) != 2 || sh->out[i].late || strcmp(sh->out[i].got, steps[i].want));
}

/* One line per step; the verdict. stop: the step whose difference ended the replay, or -1. */
static int report(long stop)
{
	long first = stop;
	int compared = 0;

	for (size_t i = 0; i < NSTEPS; i++) {
		const struct step *s = &steps[i];
		struct outcome *o = &sh->out[i];
		uint32_t state = state_of(i);
		const char *got = state == 2 ? o->got : state == 1 ? "(still in the call at the end)"
				: stop >= 0 ? "(not made: the replay stopped)"
				: "(not made)";

		printf("%" PRIu64 " %d %s -> got %s, history %s", s->t, s->proc, s->text, got,
		       s->want ? s->want : "(pending: not compared)");
		if (o->sig)
			printf(" [sig=%u]", o->sig);
		if (o->note[0])
			printf(" [%s]", o->note);
		printf("\n");
		if (s->want) {
			compared++;
			if (differs(i) && first < 0)
				first = i;
		}
	}
	if (first >= 0) {
		const struct step *s = &steps[first];
		uint32_t state = state_of(first);

		printf("DIFFERENT at ticket %" PRIu64 ": %d %s -> got %s, history %s%s\n", s->t, s->proc,
		       s->text, state == 2 ? sh->out[first].got : state == 1 ? "(still in the call)"
				: "(not made)",
		       s->want, sh->out[first].late ? " (returned late)" : "");
		return 1;
	}
	printf("REPRODUCED: %d calls returned what %s recorded (%zu steps, %zu not compared)\n",
	       compared, HISTORY, NSTEPS, NSTEPS - compared);
	return 0;
}

static void setup_error(const char *fmt, ...) __attribute__((format(printf, 1, 2), noreturn));
static void setup_error(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\n");
	exit(2);
}

int main(void)
{
	struct sigaction sa_usr1 = { .sa_handler = on_usr1 };	/* no SA_RESTART, as recorded */
	struct sigaction sa_pipe = { .sa_handler = on_pipe };
	struct sigaction sa_bus = { .sa_handler = on_bus, .sa_flags = SA_NODEFER };
	const char *env = getenv("EXTMMAP_TIME_SCALE");
	int fds[2];
	long sz = 0, stop = -1, open_step[NPROCS];

	if (env && *env && (!(scale = strtod(env, NULL)) || scale < 0 || scale > 1000))
		setup_error("EXTMMAP_TIME_SCALE=%s: give a positive factor", env);
	if (sysconf(_SC_PAGESIZE) != PAGE)
		setup_error("pages here are %ld bytes, the history's %d", sysconf(_SC_PAGESIZE), PAGE);
	sh = mmap(NULL, sizeof(*sh), PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (sh == MAP_FAILED)
		setup_error("mmap of the shared page: %s", strerror(errno));
	if (pipe2(fds, 0))
		setup_error("pipe2: %s", strerror(errno));
	rfd = fds[0];
	wfd = fds[1];
	if (fcntl(wfd, F_SETPIPE_SZ, CAPACITY) < 0 || (sz = fcntl(wfd, F_GETPIPE_SZ)) != CAPACITY)
		setup_error("F_SETPIPE_SZ %d: %s (the history's capacity)", CAPACITY, strerror(errno));
	if (USES_MMAP) {	/* the workload's probe: a fresh pipe's read end maps */
		void *p;

		if (pipe2(fds, 0))
			setup_error("pipe2: %s", strerror(errno));
		p = mmap(NULL, PAGE, PROT_READ, MAP_SHARED, fds[0], 0);
		if (p == MAP_FAILED)
			setup_error("extended mmap absent on this kernel (%s): the history maps the pipe",
				    strerror(errno));
		munmap(p, PAGE);
		close(fds[0]);
		close(fds[1]);
	}
	if (prctl(PR_SET_CHILD_SUBREAPER, 1))
		setup_error("prctl(PR_SET_CHILD_SUBREAPER): %s", strerror(errno));
	sigemptyset(&sa_usr1.sa_mask);
	sigemptyset(&sa_pipe.sa_mask);
	sigemptyset(&sa_bus.sa_mask);
	if (sigaction(SIGUSR1, &sa_usr1, NULL) || sigaction(SIGPIPE, &sa_pipe, NULL) ||
	    sigaction(SIGBUS, &sa_bus, NULL))
		setup_error("sigaction: %s", strerror(errno));
	sh->pid[0] = getpid();
	for (int p = 0; p < NPROCS; p++)
		open_step[p] = -1;
	printf("replaying %s: %zu calls of %d processes, capacity %ld, waits of %.1f s\n", HISTORY,
	       NSTEPS, NPROCS, sz, WAIT_S * scale);
	fflush(stdout);

	/*
	 * The first difference seen ends the replay (what follows would replay another history): a
	 * call not made, one that returned (maybe before its R) other than recorded, or one still in
	 * the kernel at its R.
	 */
	for (size_t e = 0; e < NEVENTS && stop < 0; e++) {
		size_t i = events[e].step;

		switch (events[e].kind) {
		case 'I':
			invoke(i);
			open_step[steps[i].proc] = i;
			if (state_of(i) == 0)
				stop = i;
			break;
		case 'R':
			complete(i);
			open_step[steps[i].proc] = -1;
			if (differs(i))
				stop = i;
			break;
		case 'K':
			__atomic_store_n(&sh->out[i].state, 1, __ATOMIC_SEQ_CST);
			if (pid_of(steps[i].proc) > 0)
				kill(pid_of(steps[i].proc), SIGKILL);
			break;
		case 'D':
			reap(i);
			open_step[steps[i].proc] = -1;
			if (differs(i))
				stop = i;
			break;
		}
		for (int p = 0; p < NPROCS && stop < 0; p++)	/* at most one open call each */
			if (open_step[p] >= 0 && state_of(open_step[p]) == 2 && differs(open_step[p]))
				stop = open_step[p];
	}
	end_all();
	return report(stop);
}
