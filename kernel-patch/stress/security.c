// SPDX-License-Identifier: GPL-2.0
/*
 * Security (group "security"): a reader never sees bytes it was not handed
 * (stale page contents, another claim's bytes, uncommitted window bytes); a
 * read mapping can never be made writable; a page with two owners (gifted
 * user page, tee()'d buffer, spliced file page, committed window page) never
 * lets one owner change what the other sees.
 *
 * Stale memory is made visible by filling freed pages with MARK first: a
 * byte specified as zero must be exactly zero, so a stale byte fails.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/uio.h>
#include <sys/wait.h>

#include "stress.h"

#define MARK 0xa5

/* Dirty @mb MiB of memory with MARK and free it again. */
static void sec_churn(size_t mb)
{
	size_t n = mb << 20;
	char *p = mmap(NULL, n, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (p == MAP_FAILED)
		st_fail("churn mmap: %s", strerror(errno));
	memset(p, MARK, n);
	munmap(p, n);
}

/* Bytes [@from, @to) of @p must be zero (the zero fill of semantics.md). */
static void sec_zero(const unsigned char *p, size_t from, size_t to,
		     const char *what)
{
	for (size_t i = from; i < to; i++)
		if (p[i])
			st_fail("%s: byte %zu is 0x%02x, expected 0%s", what, i, p[i],
				p[i] == MARK ? " (the stale-memory marker)" : "");
}

static size_t pgup(size_t n)
{
	return (n + PG - 1) & ~(PG - 1);
}

ST_TEST(sec_stale, "security",
	"after dirtying freed memory: EOF zero fill, fresh windows, partial pages, adjacent claims show only their stream bytes or zeros; uncommitted window bytes never reach a reader")
{
	unsigned char *buf = malloc(8 * PG);
	uint64_t rs = 0xabcdef12345ULL;
	unsigned long rounds = 0;

	if (!buf)
		st_fail("malloc");
	while (st_running()) {
		uint64_t seed = st_rand(&rs), pos = 0;
		size_t k = 1 + st_rand(&rs) % (3 * PG);
		size_t a = 1 + st_rand(&rs) % (2 * PG);
		size_t b = 1 + st_rand(&rs) % (2 * PG);
		size_t wl = 1 + st_rand(&rs) % (4 * PG);
		size_t n = st_rand(&rs) % (wl + 1), cl;
		unsigned char *c, *c2, *w;
		int fds[2];

		sec_churn(16);
		st_pipe(fds, 0, 0);

		/* A fresh window reads as zeros. */
		w = st_window(fds[1], wl);
		if (w == MAP_FAILED)
			st_fail("window: %s", strerror(errno));
		sec_zero(w, 0, pgup(wl), "fresh window");
		/* Commit a prefix; the rest holds the marker, uncommitted. */
		st_fill(w, seed, pos, n);
		memset(w + n, MARK, wl - n);
		if (msync(w, n, MS_SYNC))
			st_fail("msync %zu: %s", n, strerror(errno));
		/* Adjacent claims: the committed prefix, then write() bytes. */
		c = n ? st_claim(fds[0], n) : NULL;
		if (c == MAP_FAILED)
			st_fail("claim: %s", strerror(errno));
		c2 = st_claim(fds[0], a);
		if (c2 == MAP_FAILED)
			st_fail("claim: %s", strerror(errno));
		st_fill(buf, seed, n, a + b);
		if (st_write_all(fds[1], buf, a + b) != (ssize_t)(a + b))
			st_fail("write: %s", strerror(errno));
		if (c) {
			st_expect(c, seed, 0, n, "claim of a committed prefix");
			sec_zero(c, n, pgup(n), "claim tail after a commit");
		}
		st_expect(c2, seed, n, a, "adjacent claim");
		sec_zero(c2, a, pgup(a), "adjacent claim's tail (not the next claim's bytes)");
		/* read() after the claims: the write()n bytes, no marker. */
		memset(buf, 0, b);
		if (st_read_all(fds[0], buf, b) != (ssize_t)b)
			st_fail("read: %s", strerror(errno));
		st_expect(buf, seed, n + a, b, "read() after claims and a partial commit");
		/* Unmapping the window drops its uncommitted (marker) bytes. */
		munmap(w, wl);
		if (c)
			munmap(c, n);
		munmap(c2, a);
		pos = n + a + b;

		/* EOF: a claim past the end shows the bytes, then zeros. */
		cl = k + st_rand(&rs) % (2 * PG);
		c = st_claim(fds[0], cl);
		if (c == MAP_FAILED)
			st_fail("claim: %s", strerror(errno));
		st_fill(buf, seed, pos, k);
		if (st_write_all(fds[1], buf, k) != (ssize_t)k)
			st_fail("write: %s", strerror(errno));
		close(fds[1]);
		st_expect(c, seed, pos, k, "claim at EOF");
		sec_zero(c, k, pgup(k), "zero fill after EOF");
		{
			int avail = -1;

			if (ioctl(fds[0], FIONREAD, &avail) || avail)
				st_fail("%d stray bytes after EOF (uncommitted window bytes?)",
					avail);
			if (read(fds[0], buf, 1) != 0)
				st_fail("read at EOF returned data");
		}
		close(fds[0]);
		/* The claim outlives its pipe: still the same bytes. */
		st_expect(c, seed, pos, k, "claim at EOF after close");
		munmap(c, 1);	/* partial unmap is allowed for claims */
		munmap(c, cl);
		rounds++;
		st_count(1, n + a + b + k);
	}
	st_summary("%lu rounds, each after 16 MiB of freed marker memory", rounds);
	free(buf);
	return 0;
}

/* Expect (for a report, not at once) the call to fail with @want. */
static int sec_bad;
static void sec_expect(int ok, int want, const char *what)
{
	int got = ok ? 0 : errno;

	if (got != want) {
		sec_bad++;
		printf("  WRONG %s: got %s, expected %s\n", what,
		       got ? strerror(got) : "success",
		       want ? strerror(want) : "success");
	}
}

/* Child: wait for a byte on @go, then report p[0] on @back. */
static pid_t sec_watcher(const unsigned char *p, int go[2], int back[2])
{
	pid_t pid;

	if (pipe(go) || pipe(back))
		st_fail("pipe: %s", strerror(errno));
	pid = fork();
	if (pid < 0)
		st_fail("fork: %s", strerror(errno));
	if (!pid) {
		char x;

		close(go[1]);
		close(back[0]);
		if (read(go[0], &x, 1) != 1)
			_exit(1);
		x = p[0];
		if (write(back[1], &x, 1) != 1)
			_exit(1);
		_exit(0);
	}
	close(go[0]);
	close(back[1]);
	return pid;
}

static unsigned char sec_watch_result(pid_t pid, int go[2], int back[2])
{
	unsigned char x = 0;

	if (write(go[1], "g", 1) != 1 || read(back[0], &x, 1) != 1)
		st_fail("watcher: %s", strerror(errno));
	waitpid(pid, NULL, 0);
	close(go[1]);
	close(back[0]);
	return x;
}

ST_TEST(sec_readonly, "security",
	"a MAP_SHARED claim cannot become writable (mprotect, mremap, second mmap, /proc/self/mem, process_vm_writev); MAP_PRIVATE stores stay private")
{
	uint64_t seed = 4242;
	unsigned char *c, *q, *t, x;
	int fds[2], go[2], back[2], fd;
	char path[64];
	pid_t pid;

	st_pipe(fds, 0, 0);
	{
		unsigned char b[4 * PG];

		st_fill(b, seed, 0, sizeof(b));
		if (st_write_all(fds[1], b, sizeof(b)) != (ssize_t)sizeof(b))
			st_fail("write: %s", strerror(errno));
	}
	c = st_claim(fds[0], PG + 1);
	if (c == MAP_FAILED)
		st_fail("claim: %s", strerror(errno));
	st_expect(c, seed, 0, PG + 1, "claim");
	/* semantics.md: mprotect cannot make a MAP_SHARED claim writable. */
	sec_expect(!mprotect(c, PG, PROT_READ | PROT_WRITE), EACCES,
		   "mprotect RW of a shared claim");
	sec_expect(!mprotect(c, 2 * PG, PROT_WRITE), EACCES,
		   "mprotect W of a shared claim");
	/* Moved, it is the same mapping: still not writable. */
	t = mmap(NULL, 2 * PG, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	q = mremap(c, 2 * PG, 2 * PG, MREMAP_MAYMOVE | MREMAP_FIXED, t);
	if (q == MAP_FAILED)
		st_fail("mremap move: %s", strerror(errno));
	c = q;
	sec_expect(!mprotect(c, PG, PROT_READ | PROT_WRITE), EACCES,
		   "mprotect RW of a moved shared claim");
	/* Shrunk (split), each piece keeps the restriction. */
	q = mremap(c + PG, PG, PG, MREMAP_MAYMOVE | MREMAP_FIXED,
		   mmap(NULL, PG, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0));
	if (q == MAP_FAILED)
		st_fail("mremap move of the second page: %s", strerror(errno));
	sec_expect(!mprotect(q, PG, PROT_READ | PROT_WRITE), EACCES,
		   "mprotect RW of a split-off piece");
	st_expect(q, seed, PG, 1, "split-off piece");
	munmap(q, PG);
	/* A second mapping of the read end cannot be writable either. */
	fd = dup(fds[0]);
	q = mmap(NULL, PG, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	sec_expect(q != MAP_FAILED, EACCES, "RW shared mmap of a dup()ed read end");
	close(fd);
	snprintf(path, sizeof(path), "/proc/self/fd/%d", fds[0]);
	fd = open(path, O_RDONLY);
	if (fd < 0)
		st_fail("open %s: %s", path, strerror(errno));
	q = mmap(NULL, PG, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	sec_expect(q != MAP_FAILED, EACCES,
		   "RW shared mmap of the read end reopened O_RDONLY via /proc");
	close(fd);
	/* Resident pages never change: MADV_DONTNEED refaults the same bytes. */
	madvise(c, PG, MADV_DONTNEED);
	st_expect(c, seed, 0, PG, "claim after MADV_DONTNEED");

	/*
	 * /proc/self/mem writes with FOLL_FORCE: a MAP_SHARED claim page is
	 * shared with every process mapping the claim (fork), whose loads
	 * must see the same never-changing bytes (semantics.md "fork",
	 * "once a page is resident its contents never change"), so a forced
	 * write must fail rather than change it or break sharing.
	 */
	pid = sec_watcher(c, go, back);
	fd = open("/proc/self/mem", O_RDWR);
	if (fd < 0)
		st_fail("open /proc/self/mem: %s", strerror(errno));
	x = MARK;
	sec_expect(pwrite(fd, &x, 1, (off_t)(uintptr_t)c) == 1, EIO,
		   "/proc/self/mem write to a shared claim");
	st_expect(c, seed, 0, 1, "shared claim after a /proc/self/mem write");
	x = sec_watch_result(pid, go, back);
	if (x != st_pat(seed, 0))
		st_fail("a forked sharer of the claim sees 0x%02x after a /proc/self/mem write, expected 0x%02x",
			x, st_pat(seed, 0));
	/* process_vm_writev (no FOLL_FORCE) from a child: EFAULT. */
	pid = fork();
	if (!pid) {
		struct iovec l = { &x, 1 }, r = { c, 1 };

		x = MARK;
		_exit(process_vm_writev(getppid(), &l, 1, &r, 1, 0) == -1 &&
		      errno == EFAULT ? 0 : 1);
	}
	{
		int st;

		waitpid(pid, &st, 0);
		if (!WIFEXITED(st) || WEXITSTATUS(st))
			st_fail("process_vm_writev into a shared claim did not fail with EFAULT");
	}
	st_expect(c, seed, 0, PG, "shared claim after process_vm_writev");
	munmap(c, PG);

	/*
	 * MAP_PRIVATE claim: stores (and forced writes) go to a private copy
	 * (semantics.md): a child forked before sees the stream byte.
	 */
	c = mmap(NULL, PG, PROT_READ | PROT_WRITE, MAP_PRIVATE, fds[0], 0);
	if (c == MAP_FAILED)
		st_fail("private claim: %s", strerror(errno));
	st_expect(c, seed, PG + 1, PG, "private claim");
	pid = sec_watcher(c, go, back);
	c[0] = MARK;
	c[1] = MARK;
	x = sec_watch_result(pid, go, back);
	if (x != st_pat(seed, PG + 1))
		st_fail("a forked child sees 0x%02x in a private claim after the parent's store, expected 0x%02x",
			x, st_pat(seed, PG + 1));
	if (c[0] != MARK)
		st_fail("a store to a private claim did not stick");
	st_expect(c + 2, seed, PG + 3, PG - 2, "private claim after stores");
	munmap(c, PG);
	/* Read-only private claim written through /proc/self/mem. */
	c = mmap(NULL, PG, PROT_READ, MAP_PRIVATE, fds[0], 0);
	if (c == MAP_FAILED)
		st_fail("private claim: %s", strerror(errno));
	st_expect(c, seed, 2 * PG + 1, PG - 1, "private read-only claim");
	pid = sec_watcher(c, go, back);
	x = MARK;
	if (pwrite(fd, &x, 1, (off_t)(uintptr_t)c) == 1) {
		if (c[0] != MARK)
			st_fail("/proc/self/mem write to a private claim succeeded but is not visible");
	} else {
		st_expect(c, seed, 2 * PG + 1, 1, "private claim after a failed forced write");
	}
	x = sec_watch_result(pid, go, back);
	if (x != st_pat(seed, 2 * PG + 1))
		st_fail("a forked child sees 0x%02x after a forced write to the parent's private claim, expected 0x%02x",
			x, st_pat(seed, 2 * PG + 1));
	munmap(c, PG);
	close(fd);
	close(fds[0]);
	close(fds[1]);
	if (sec_bad)
		st_fail("%d calls made (or tried to make) a shared claim writable",
			sec_bad);
	st_count(1, 3 * PG);
	return 0;
}

/*
 * A pipe end opened O_RDWR through /proc/PID/fd/N (it has read access, so
 * mmap() makes a claim): semantics.md: "PROT_WRITE with MAP_SHARED ->
 * EACCES" and "mprotect cannot make a MAP_SHARED read mapping writable
 * (EACCES)" hold for every claim, whatever else the open file allows.
 */
ST_TEST(sec_rdwr_claim, "security",
	"claims through a pipe end reopened O_RDWR via /proc/PID/fd: no shared writable mapping (mmap, mprotect: EACCES); a fork sharing the claim never sees a store")
{
	uint64_t seed = 777;
	unsigned char b[2 * PG], *c;
	int fds[2], fd, go[2], back[2];
	char path[64];
	pid_t pid;

	st_pipe(fds, 0, 0);
	st_fill(b, seed, 0, sizeof(b));
	if (st_write_all(fds[1], b, sizeof(b)) != (ssize_t)sizeof(b))
		st_fail("write: %s", strerror(errno));
	snprintf(path, sizeof(path), "/proc/self/fd/%d", fds[0]);
	fd = open(path, O_RDWR);
	if (fd < 0)
		st_fail("open %s O_RDWR: %s", path, strerror(errno));
	c = mmap(NULL, PG, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	sec_expect(c != MAP_FAILED, EACCES, "RW shared claim via an O_RDWR reopen");
	if (c != MAP_FAILED) {
		/* Show what it allows: a store reaches a forked sharer. */
		st_expect(c, seed, 0, 1, "RW claim");
		pid = sec_watcher(c, go, back);
		c[0] = MARK;
		b[0] = sec_watch_result(pid, go, back);
		printf("  the claim page is writable: a forked sharer of it now sees 0x%02x (stream byte 0x%02x)\n",
		       b[0], st_pat(seed, 0));
		munmap(c, PG);
		/* It took stream positions [0, PG). */
		if (st_read_all(fds[0], b, PG) != PG)
			st_fail("read: %s", strerror(errno));
		st_expect(b, seed, PG, PG, "read after the RW claim");
	} else {
		c = mmap(NULL, PG, PROT_READ, MAP_SHARED, fd, 0);
		if (c == MAP_FAILED)
			st_fail("read claim via O_RDWR reopen: %s", strerror(errno));
		st_expect(c, seed, 0, PG, "claim via O_RDWR reopen");
		sec_expect(!mprotect(c, PG, PROT_READ | PROT_WRITE), EACCES,
			   "mprotect RW of a shared claim via an O_RDWR reopen");
		munmap(c, PG);
	}
	close(fd);
	close(fds[0]);
	close(fds[1]);
	if (sec_bad)
		st_fail("%d calls gave a writable MAP_SHARED claim", sec_bad);
	st_count(1, PG);
	return 0;
}

/* A page-aligned page of stream bytes [@from, @from + PG). */
static unsigned char *sec_page(uint64_t seed, uint64_t from)
{
	unsigned char *p = mmap(NULL, PG, PROT_READ | PROT_WRITE,
				MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (p == MAP_FAILED)
		st_fail("mmap: %s", strerror(errno));
	st_fill(p, seed, from, PG);
	return p;
}

ST_TEST(sec_shared_page, "security",
	"gifted/vmspliced user pages, tee()d buffers, spliced file pages, committed window pages: after the claim the other owner's changes never show, private stores never reach the other pipe")
{
	uint64_t rs = 99, seed;
	unsigned long rounds = 0;
	unsigned char b[2 * PG];
	char tmpl[] = "/tmp/pipe_mmap_sec.XXXXXX";
	int tfd = mkstemp(tmpl);

	if (tfd < 0)
		st_fail("mkstemp: %s", strerror(errno));
	unlink(tmpl);
	while (st_running()) {
		unsigned char *u, *c, *c2, *w;
		int a[2], bb[2];
		struct iovec iov;

		seed = st_rand(&rs);
		/* vmsplice, gifted or not: the claim must be a copy. */
		for (int gift = 0; gift < 2; gift++) {
			st_pipe(a, 0, 0);
			u = sec_page(seed, 0);
			iov = (struct iovec){ u, PG };
			c = st_claim(a[0], PG);
			if (c == MAP_FAILED)
				st_fail("claim: %s", strerror(errno));
			if (vmsplice(a[1], &iov, 1, gift ? SPLICE_F_GIFT : 0) != PG)
				st_fail("vmsplice: %s", strerror(errno));
			st_expect(c, seed, 0, PG, "claim of a vmspliced page");
			memset(u, MARK, PG);
			st_expect(c, seed, 0, PG, gift ?
				  "claim after the gifter changed its page" :
				  "claim after the vmsplicer changed its page");
			munmap(u, PG);
			munmap(c, PG);
			close(a[0]);
			close(a[1]);
		}

		/*
		 * tee(): pipes A and B share full pages.  A MAP_PRIVATE RW
		 * claim on A is stored to; B's claim and B's read() see the
		 * stream.  Then the other way round.
		 */
		st_pipe(a, 0, 0);
		st_pipe(bb, 0, 0);
		st_fill(b, seed, 0, 2 * PG);
		if (st_write_all(a[1], b, 2 * PG) != 2 * PG)
			st_fail("write: %s", strerror(errno));
		if (tee(a[0], bb[1], 2 * PG, 0) != 2 * PG)
			st_fail("tee: %s", strerror(errno));
		c = mmap(NULL, PG, PROT_READ | PROT_WRITE, MAP_PRIVATE, a[0], 0);
		if (c == MAP_FAILED)
			st_fail("private claim: %s", strerror(errno));
		c2 = st_claim(bb[0], PG);
		if (c2 == MAP_FAILED)
			st_fail("claim: %s", strerror(errno));
		st_expect(c, seed, 0, PG, "private claim of a tee()d page");
		memset(c, MARK, PG);
		st_expect(c2, seed, 0, PG, "other pipe's claim after a private store");
		munmap(c, PG);
		munmap(c2, PG);
		/* Second page: B's private claim first, then A's shared one. */
		c2 = mmap(NULL, PG, PROT_READ | PROT_WRITE, MAP_PRIVATE, bb[0], 0);
		if (c2 == MAP_FAILED)
			st_fail("private claim: %s", strerror(errno));
		st_expect(c2, seed, PG, PG, "private claim of a tee()d page (B)");
		memset(c2, MARK, PG);
		memset(b, 0, PG);
		if (st_read_all(a[0], b, PG) != PG)
			st_fail("read A: %s", strerror(errno));
		st_expect(b, seed, PG, PG, "read() of A after B's private store");
		munmap(c2, PG);
		close(a[0]);
		close(a[1]);
		close(bb[0]);
		close(bb[1]);

		/* A partial page shared by tee(), then appended to in A. */
		st_pipe(a, 0, 0);
		st_pipe(bb, 0, 0);
		st_fill(b, seed, 0, PG);
		if (st_write_all(a[1], b, PG - 100) != PG - 100 ||
		    tee(a[0], bb[1], PG - 100, 0) != PG - 100 ||
		    st_write_all(a[1], b + PG - 100, 100) != 100)
			st_fail("write/tee: %s", strerror(errno));
		c = mmap(NULL, PG, PROT_READ | PROT_WRITE, MAP_PRIVATE, a[0], 0);
		if (c == MAP_FAILED)
			st_fail("private claim: %s", strerror(errno));
		st_expect(c, seed, 0, PG, "claim of a merged tee()d page");
		memset(c, MARK, PG);
		memset(b, 0, PG);
		if (st_read_all(bb[0], b, PG - 100) != PG - 100)
			st_fail("read B: %s", strerror(errno));
		st_expect(b, seed, 0, PG - 100, "B after A's private store");
		munmap(c, PG);
		close(a[0]);
		close(a[1]);
		close(bb[0]);
		close(bb[1]);

		/* splice() of a file page: later file writes do not show. */
		st_fill(b, seed, 0, PG);
		if (pwrite(tfd, b, PG, 0) != PG)
			st_fail("pwrite: %s", strerror(errno));
		st_pipe(a, 0, 0);
		{
			loff_t off = 0;

			if (splice(tfd, &off, a[1], NULL, PG, 0) != PG)
				st_fail("splice: %s", strerror(errno));
		}
		c = st_claim(a[0], PG);
		if (c == MAP_FAILED)
			st_fail("claim: %s", strerror(errno));
		st_expect(c, seed, 0, PG, "claim of a spliced file page");
		memset(b, MARK, PG);
		if (pwrite(tfd, b, PG, 0) != PG)
			st_fail("pwrite: %s", strerror(errno));
		st_expect(c, seed, 0, PG, "claim after the file changed");
		munmap(c, PG);
		close(a[0]);
		close(a[1]);

		/* Committed window page: a snapshot, before and after a load. */
		st_pipe(a, 0, 0);
		w = st_window(a[1], 2 * PG);
		c = st_claim(a[0], 2 * PG);
		if (w == MAP_FAILED || c == MAP_FAILED)
			st_fail("window/claim: %s", strerror(errno));
		st_fill(w, seed, 0, 2 * PG);
		if (msync(w, 2 * PG, MS_SYNC))
			st_fail("msync: %s", strerror(errno));
		memset(w, MARK, PG);		/* before the reader's load */
		st_expect(c, seed, 0, 2 * PG, "claim of committed window pages");
		memset(w + PG, MARK, PG);	/* after it */
		st_expect(c, seed, 0, 2 * PG, "claim after the window changed");
		munmap(w, 2 * PG);
		munmap(c, 2 * PG);
		close(a[0]);
		close(a[1]);
		rounds++;
		st_count(1, 9 * PG);
	}
	close(tfd);
	st_summary("%lu rounds (vmsplice gift/copy, tee full/merged pages, spliced file page, window snapshot)",
		   rounds);
	return 0;
}
