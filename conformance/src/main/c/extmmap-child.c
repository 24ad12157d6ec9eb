/*
 * extmmap-child: does for the conformance suite what a JVM cannot do in-process: take a real
 * SIGBUS on a load, block in a call while signals arrive, and die by SIGKILL or SIGBUS where
 * the parent can see it.
 *
 * Protocol: one command per line on stdin, one reply line on stdout per command. Commands:
 *   pipe                      -> "ok RFD WFD"
 *   memfd SIZE                -> "ok FD"            (a plain file, for testing this helper)
 *   write FD N BYTE           -> "ok COUNT" | "err ERRNO"   (N copies of BYTE)
 *   read FD N                 -> "ok COUNT FIRSTBYTE" | "ok 0 -" | "err ERRNO"
 *   close FD                  -> "ok 0" | "err ERRNO"
 *   mmap LEN PROT FLAGS FD    -> "ok ID" | "err ERRNO"   (PROT and FLAGS as numbers)
 *   load ID OFF               -> "byte V" | "SIGBUS"   (a real CPU load; SIGBUS caught)
 *   store ID OFF V            -> "ok 0" | "SIGBUS"
 *   loaddie ID OFF            -> "byte V", or the process dies by SIGBUS (default action)
 *   msync ID LEN              -> "ok 0" | "err ERRNO"   (MS_SYNC of the first LEN bytes)
 *   munmap ID                 -> "ok 0" | "err ERRNO"
 *   forkload ID OFF           -> "byte V" | "SIGBUS"   (the load made by a forked child, which
 *                                                        inherits the mapping, then exits)
 *   forkstore ID OFF V        -> "ok 0" | "SIGBUS"     (the same for a store)
 *   exit                      -> exits 0 without a reply
 * Asynchronously, a caught SIGUSR1 prints "signal 10" (the handler ran) and a SIGPIPE prints
 * "signal 13". A call that blocks simply does not answer yet. A line the helper cannot parse
 * gets "bad LINE" so that a protocol error never looks like a blocked call.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#define MAX_MAPS 64

static struct { unsigned char *addr; size_t len; } maps[MAX_MAPS];
static int nmaps;
static sigjmp_buf fault_jump;
static volatile sig_atomic_t in_fault;

static void say(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void say(const char *fmt, ...)
{
	char line[256];
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(line, sizeof line - 1, fmt, ap);
	va_end(ap);
	line[n++] = '\n';
	if (write(1, line, n) != n)
		_exit(3); /* the parent went away */
}

/* async-signal-safe: only write(2) */
static void on_signal(int sig)
{
	char msg[] = "signal 00\n";
	msg[7] = '0' + sig / 10;
	msg[8] = '0' + sig % 10;
	if (write(1, msg, sizeof msg - 1) < 0)
		_exit(3);
}

static void on_sigbus(int sig)
{
	(void)sig;
	if (!in_fault)
		_exit(125); /* a SIGBUS outside a load is a bug of this helper: die visibly */
	siglongjmp(fault_jump, 1);
}

static void handle(int sig, void (*fn)(int))
{
	struct sigaction sa;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = fn;
	sigemptyset(&sa.sa_mask);
	sa.sa_flags = 0; /* no SA_RESTART: a blocked read()/write() returns EINTR, as the spec says */
	sigaction(sig, &sa, NULL);
}

static unsigned char *at(int id, long off)
{
	if (id < 1 || id > nmaps || !maps[id - 1].addr)
		return NULL;
	return maps[id - 1].addr + off;
}

static void fault(int id, long off, int store, int v)
{
	volatile unsigned char *volatile p = at(id, off);
	if (!p) {
		say("err %d", EINVAL);
		return;
	}
	if (sigsetjmp(fault_jump, 1)) {
		in_fault = 0;
		say("SIGBUS");
		return;
	}
	in_fault = 1;
	if (store) {
		*p = (unsigned char)v;
		in_fault = 0;
		say("ok 0");
	} else {
		unsigned char b = *p;
		in_fault = 0;
		say("byte %u", b);
	}
}

/* A forked child makes the access; its exit status carries the byte, its death the SIGBUS. */
static void forked(int id, long off, int store, int v)
{
	volatile unsigned char *p = at(id, off);
	int status;
	pid_t pid;

	if (!p) {
		say("err %d", EINVAL);
		return;
	}
	pid = fork();
	if (pid < 0) {
		say("err %d", errno);
		return;
	}
	if (pid == 0) {
		signal(SIGBUS, SIG_DFL);
		if (store) {
			*p = (unsigned char)v;
			_exit(0);
		}
		_exit(*p);
	}
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	if (WIFSIGNALED(status) && WTERMSIG(status) == SIGBUS)
		say("SIGBUS");
	else if (!WIFEXITED(status))
		say("err %d", ECHILD);
	else if (store)
		say("ok 0");
	else
		say("byte %d", WEXITSTATUS(status));
}

static void result(long r)
{
	if (r < 0)
		say("err %d", errno);
	else
		say("ok %ld", r);
}

int main(void)
{
	char line[256];
	setvbuf(stdin, NULL, _IOLBF, 0);
	handle(SIGUSR1, on_signal);
	handle(SIGPIPE, on_signal);
	handle(SIGBUS, on_sigbus);
	while (fgets(line, sizeof line, stdin)) {
		char cmd[16];
		long a = 0, b = 0, c = 0, d = 0;
		int n = sscanf(line, "%15s %ld %ld %ld %ld", cmd, &a, &b, &c, &d);
		if (n < 1) {
			say("bad %s", line);
		} else if (!strcmp(cmd, "pipe") && n == 1) {
			int fds[2];
			if (pipe(fds) < 0)
				say("err %d", errno);
			else
				say("ok %d %d", fds[0], fds[1]);
		} else if (!strcmp(cmd, "memfd") && n == 2) {
			int fd = memfd_create("extmmap-child", 0);
			if (fd < 0 || ftruncate(fd, a) < 0)
				say("err %d", errno);
			else
				say("ok %d", fd);
		} else if (!strcmp(cmd, "write") && n == 4) {
			unsigned char *buf = malloc(b > 0 ? b : 1);
			memset(buf, (int)c, b);
			long r = write((int)a, buf, b);
			free(buf);
			result(r);
		} else if (!strcmp(cmd, "read") && n == 3) {
			unsigned char *buf = malloc(b > 0 ? b : 1);
			long r = read((int)a, buf, b);
			if (r < 0)
				say("err %d", errno);
			else if (r == 0)
				say("ok 0 -");
			else
				say("ok %ld %u", r, buf[0]);
			free(buf);
		} else if (!strcmp(cmd, "close") && n == 2) {
			result(close((int)a));
		} else if (!strcmp(cmd, "mmap") && n == 5) {
			if (nmaps == MAX_MAPS) {
				say("err %d", ENOMEM);
				continue;
			}
			void *p = mmap(NULL, a, (int)b, (int)c, (int)d, 0);
			if (p == MAP_FAILED) {
				say("err %d", errno);
			} else {
				maps[nmaps].addr = p;
				maps[nmaps].len = a;
				say("ok %d", ++nmaps);
			}
		} else if (!strcmp(cmd, "load") && n == 3) {
			fault((int)a, b, 0, 0);
		} else if (!strcmp(cmd, "store") && n == 4) {
			fault((int)a, b, 1, (int)c);
		} else if (!strcmp(cmd, "loaddie") && n == 3) {
			volatile unsigned char *p = at((int)a, b);
			if (!p) {
				say("err %d", EINVAL);
				continue;
			}
			signal(SIGBUS, SIG_DFL);
			say("byte %u", *p);
			handle(SIGBUS, on_sigbus);
		} else if (!strcmp(cmd, "msync") && n == 3) {
			unsigned char *p = at((int)a, 0);
			result(p ? msync(p, b, MS_SYNC) : (errno = EINVAL, -1));
		} else if (!strcmp(cmd, "munmap") && n == 2) {
			unsigned char *p = at((int)a, 0);
			long r = p ? munmap(p, maps[a - 1].len) : (errno = EINVAL, -1);
			if (r == 0)
				maps[a - 1].addr = NULL;
			result(r);
		} else if (!strcmp(cmd, "forkload") && n == 3) {
			forked((int)a, b, 0, 0);
		} else if (!strcmp(cmd, "forkstore") && n == 4) {
			forked((int)a, b, 1, (int)c);
		} else if (!strcmp(cmd, "exit") && n == 1) {
			return 0;
		} else {
			line[strcspn(line, "\n")] = 0;
			say("bad %s", line);
		}
	}
	return 0;
}
