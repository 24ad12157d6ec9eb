// SPDX-License-Identifier: GPL-2.0
/*
 * Bad input (group "badinput"): every mmap argument combination on both
 * ends of pipes of several kinds, then msync, mremap and mprotect on
 * windows and claims.  Each call's outcome is checked against a rule
 * written from semantics.md, kernel-patch/README.md ("The interface") and,
 * for checks the generic code makes before a pipe sees the call, mmap(2),
 * msync(2), mremap(2) and mprotect(2).  After every call the pipe must
 * still carry bytes: the stream position moved exactly by what a successful
 * claim took, and a window commits.  Memory counters must not grow.
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
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include "stress.h"

#ifndef MAP_FIXED_NOREPLACE
#define MAP_FIXED_NOREPLACE 0x100000
#endif
#ifndef MAP_SYNC
#define MAP_SYNC 0x80000
#endif
#ifndef MREMAP_DONTUNMAP
#define MREMAP_DONTUNMAP 4
#endif

#define HUGE_LEN (1UL << 50)	/* more than any user address space here */

/* Outcomes as a bit set: success and the errnos the rules can give. */
enum { O_OK, O_EINVAL, O_ENOMEM, O_EACCES, O_EPERM, O_ENODEV, O_EOPNOTSUPP,
       O_EEXIST, O_EFAULT, O_OTHER, O_N };
static const char *const oname[O_N] = { "ok", "EINVAL", "ENOMEM", "EACCES",
	"EPERM", "ENODEV", "EOPNOTSUPP", "EEXIST", "EFAULT", "other" };

static int oidx(int err)
{
	switch (err) {
	case 0: return O_OK;
	case EINVAL: return O_EINVAL;
	case ENOMEM: return O_ENOMEM;
	case EACCES: return O_EACCES;
	case EPERM: return O_EPERM;
	case ENODEV: return O_ENODEV;
	case EOPNOTSUPP: return O_EOPNOTSUPP;
	case EEXIST: return O_EEXIST;
	case EFAULT: return O_EFAULT;
	}
	return O_OTHER;
}

#define B(o) (1U << (o))

/* What an fd is, as far as the rules care. */
struct bfd {
	int anon;	/* an end of an anonymous pipe (pipefs), not a FIFO */
	int rd, wr;	/* opened with read / write access */
	int packet;	/* the file has O_DIRECT */
};

/*
 * The specified outcome(s) of mmap(NULL or the FIXED address, len, prot,
 * flags, fd, off).  Checks that stop a call before anything else looks at
 * it give one errno; otherwise every rule the call violates adds its errno
 * (the documents do not order them) and no violation means success.
 */
static unsigned int mmap_rule(const struct bfd *f, int prot, int flags,
			      unsigned long off, size_t len)
{
	int type = flags & MAP_TYPE;
	unsigned int e = 0;

	/* x86 mmap(): an offset that is not a multiple of the page size */
	if (off % PG)
		return B(O_EINVAL);
	/* mmap(2): MAP_HUGETLB needs hugetlbfs or MAP_ANONYMOUS */
	if (flags & MAP_HUGETLB)
		return B(O_EINVAL);
	/* mmap(2): "EINVAL (since Linux 2.6.12) length was 0" */
	if (!len)
		return B(O_EINVAL);
	/* mmap(2): ENOMEM, no room for the mapping */
	if (len >= HUGE_LEN)
		e |= B(O_ENOMEM);
	/* mmap(2): flags contain none of the mapping types */
	if (type != MAP_SHARED && type != MAP_PRIVATE &&
	    type != MAP_SHARED_VALIDATE)
		e |= B(O_EINVAL);
	/*
	 * mmap(2): MAP_SHARED_VALIDATE fails with EOPNOTSUPP on flags the
	 * file does not know; pipes add none to the legacy ones, which do
	 * not include MAP_SYNC nor MAP_FIXED_NOREPLACE.
	 */
	if (type == MAP_SHARED_VALIDATE &&
	    (flags & (MAP_SYNC | MAP_FIXED_NOREPLACE)))
		e |= B(O_EOPNOTSUPP);
	/* mmap(2): EACCES, MAP_SHARED + PROT_WRITE without write access */
	if ((type == MAP_SHARED || type == MAP_SHARED_VALIDATE) &&
	    (prot & PROT_WRITE) && !f->wr)
		e |= B(O_EACCES);
	/*
	 * mmap(2): EACCES, fd not open for reading; semantics.md ("Write
	 * end"): refined for pipe write ends, which map without read access.
	 */
	if (!f->rd && !(f->anon && f->wr))
		e |= B(O_EACCES);
	/*
	 * README: PROT_EXEC EPERM (a FIFO's mount may be noexec: EPERM from
	 * mmap(2) as well).
	 */
	if (prot & PROT_EXEC)
		e |= B(O_EPERM);
	/* The generic file mapping code: no MAP_GROWSDOWN on files. */
	if (flags & MAP_GROWSDOWN)
		e |= B(O_EINVAL);
	/* README: FIFOs ENODEV (extended mmap is for anonymous pipes). */
	if (!f->anon)
		e |= B(O_ENODEV);
	/*
	 * README: a pipe file with O_DIRECT (packet mode) EINVAL; the read
	 * end of pipe2(O_DIRECT) has no O_DIRECT and is an ordinary read end.
	 */
	if (f->packet)
		e |= B(O_EINVAL);
	/* semantics.md: offset != 0 -> EINVAL (both ends: README). */
	if (off)
		e |= B(O_EINVAL);
	if (f->rd) {
		/* Read end, semantics.md: PROT_WRITE with MAP_SHARED EACCES. */
		if ((type == MAP_SHARED || type == MAP_SHARED_VALIDATE) &&
		    (prot & PROT_WRITE))
			e |= B(O_EACCES);
	} else {
		/* Write end, semantics.md: MAP_PRIVATE EINVAL; README: a
		 * window without PROT_WRITE EACCES.
		 */
		if (type == MAP_PRIVATE)
			e |= B(O_EINVAL);
		if (!(prot & PROT_WRITE))
			e |= B(O_EACCES);
	}
	return e ? e : B(O_OK);
}

static void mask_str(unsigned int m, char *buf, size_t n)
{
	size_t o = 0;

	buf[0] = 0;
	for (int i = 0; i < O_N; i++)
		if (m & B(i))
			o += snprintf(buf + o, o < n ? n - o : 0, "%s%s",
				      o ? "|" : "", oname[i]);
}

/* Kinds of fds to map. */
enum { K_PIPE, K_NONBLOCK, K_DIRECT, K_SETFL_DIRECT, K_FIFO, K_PROC, K_SCM,
       K_N };
static const char *const kname[K_N] = { "pipe()", "pipe2(O_NONBLOCK)",
	"pipe2(O_DIRECT)", "F_SETFL O_DIRECT", "FIFO by path", "/proc/PID/fd",
	"SCM_RIGHTS" };

struct bkind {
	int kind, end;		/* end: 0 read end, 1 write end */
	struct bfd f;
	int fd;			/* the fd mapped */
	int fdr, fdw;		/* read and write ends to feed and drain */
	pid_t child;
	int wpacket;		/* the writer makes packets: drain them whole */
	uint64_t seed, pos;	/* stream seed; next position written */
};

static const char *bad_fifo = "/tmp/pipe_mmap_badinput.fifo";

static int recv_fds(int sock, int *fds, int n)
{
	char cbuf[CMSG_SPACE(sizeof(int) * 2)], c;
	struct iovec iov = { &c, 1 };
	struct msghdr mh = { .msg_iov = &iov, .msg_iovlen = 1,
			     .msg_control = cbuf, .msg_controllen = sizeof(cbuf) };
	struct cmsghdr *cm;

	if (recvmsg(sock, &mh, 0) != 1)
		return -1;
	cm = CMSG_FIRSTHDR(&mh);
	if (!cm || cm->cmsg_type != SCM_RIGHTS ||
	    cm->cmsg_len != CMSG_LEN(sizeof(int) * n))
		return -1;
	memcpy(fds, CMSG_DATA(cm), sizeof(int) * n);
	return 0;
}

static void send_fds(int sock, const int *fds, int n)
{
	char cbuf[CMSG_SPACE(sizeof(int) * 2)], c = 'f';
	struct iovec iov = { &c, 1 };
	struct msghdr mh = { .msg_iov = &iov, .msg_iovlen = 1,
			     .msg_control = cbuf,
			     .msg_controllen = CMSG_SPACE(sizeof(int) * n) };
	struct cmsghdr *cm = CMSG_FIRSTHDR(&mh);

	cm->cmsg_level = SOL_SOCKET;
	cm->cmsg_type = SCM_RIGHTS;
	cm->cmsg_len = CMSG_LEN(sizeof(int) * n);
	memcpy(CMSG_DATA(cm), fds, sizeof(int) * n);
	if (sendmsg(sock, &mh, 0) != 1)
		_exit(1);
}

static void kind_open(struct bkind *k)
{
	char path[64];
	int fds[2], sv[2];

	k->child = 0;
	k->wpacket = 0;
	k->f = (struct bfd){ .anon = 1, .rd = !k->end, .wr = k->end };
	switch (k->kind) {
	case K_PIPE:
	case K_NONBLOCK:
	case K_DIRECT:
	case K_SETFL_DIRECT:
		st_pipe(fds, k->kind == K_NONBLOCK ? O_NONBLOCK :
			     k->kind == K_DIRECT ? O_DIRECT : 0, 0);
		if (k->kind == K_SETFL_DIRECT &&
		    (fcntl(fds[0], F_SETFL, O_DIRECT) ||
		     fcntl(fds[1], F_SETFL, O_DIRECT)))
			st_fail("F_SETFL O_DIRECT: %s", strerror(errno));
		/* pipe2() sets O_DIRECT on the write end only. */
		k->f.packet = k->kind == K_SETFL_DIRECT ||
			      (k->kind == K_DIRECT && k->end == 1);
		k->wpacket = k->kind == K_DIRECT || k->kind == K_SETFL_DIRECT;
		k->fdr = fds[0];
		k->fdw = fds[1];
		k->fd = k->end ? dup(k->fdw) : dup(k->fdr);
		break;
	case K_FIFO:
		/* One O_RDWR fd feeds and drains; the mapped one is opened by
		 * path too, without blocking (a reader/writer exists). */
		unlink(bad_fifo);
		if (mkfifo(bad_fifo, 0600))
			st_fail("mkfifo: %s", strerror(errno));
		k->fdr = open(bad_fifo, O_RDWR);
		k->fdw = dup(k->fdr);
		k->fd = open(bad_fifo, k->end == 0 ? O_RDONLY | O_NONBLOCK :
				       k->end == 1 ? O_WRONLY : O_RDWR);
		if (k->fdr < 0 || k->fd < 0)
			st_fail("open FIFO: %s", strerror(errno));
		k->f = (struct bfd){ .rd = k->end != 1, .wr = k->end != 0 };
		break;
	case K_PROC:
		/*
		 * The pipe belongs to another process; we reach it only by
		 * opening /proc/PID/fd/N, which makes new open files of the
		 * same anonymous pipe (pipefs, not a FIFO) with the access
		 * we ask for: they are pipe ends like any other.
		 */
		st_pipe(fds, 0, 0);
		k->child = fork();
		if (k->child < 0)
			st_fail("fork: %s", strerror(errno));
		if (!k->child) {
			for (;;)
				pause();
		}
		snprintf(path, sizeof(path), "/proc/%d/fd/%d", k->child, fds[0]);
		k->fdr = open(path, O_RDONLY);
		snprintf(path, sizeof(path), "/proc/%d/fd/%d", k->child, fds[1]);
		k->fdw = open(path, O_WRONLY);
		if (k->fdr < 0 || k->fdw < 0)
			st_fail("open %s: %s", path, strerror(errno));
		close(fds[0]);
		close(fds[1]);
		k->fd = k->end ? dup(k->fdw) : dup(k->fdr);
		break;
	case K_SCM:
		/* A pipe made by another process, passed by SCM_RIGHTS: the
		 * same open files, so the same rules as pipe(). */
		if (socketpair(AF_UNIX, SOCK_STREAM, 0, sv))
			st_fail("socketpair: %s", strerror(errno));
		k->child = fork();
		if (k->child < 0)
			st_fail("fork: %s", strerror(errno));
		if (!k->child) {
			if (pipe(fds))
				_exit(1);
			send_fds(sv[1], fds, 2);
			_exit(0);
		}
		if (recv_fds(sv[0], fds, 2))
			st_fail("SCM_RIGHTS: no fds");
		waitpid(k->child, NULL, 0);
		k->child = 0;
		close(sv[0]);
		close(sv[1]);
		k->fdr = fds[0];
		k->fdw = fds[1];
		k->fd = k->end ? dup(k->fdw) : dup(k->fdr);
		break;
	}
	k->pos = 0;
	k->seed = st_rand(&(uint64_t){ k->kind * 131 + k->end + 17 }) ^ k->seed;
}

static void kind_close(struct bkind *k)
{
	close(k->fd);
	close(k->fdr);
	close(k->fdw);
	if (k->child > 0) {
		kill(k->child, SIGKILL);
		waitpid(k->child, NULL, 0);
	}
	if (k->kind == K_FIFO)
		unlink(bad_fifo);
}

static void feed(struct bkind *k, size_t n)
{
	unsigned char b[4 * PG];

	if (n > sizeof(b))
		st_fail("feed %zu: too long", n);

	st_fill(b, k->seed, k->pos, n);
	if (st_write_all(k->fdw, b, n) != (ssize_t)n)
		st_fail("%s: feeding %zu bytes: %s", kname[k->kind], n,
			strerror(errno));
	k->pos += n;
}

/* Read @n bytes that must be stream positions [@from, @from + n). */
static void drain(struct bkind *k, uint64_t from, size_t n, const char *what)
{
	unsigned char b[4 * PG];

	if (n > sizeof(b))
		st_fail("drain %zu: too long", n);

	if (st_read_all(k->fdr, b, n) != (ssize_t)n)
		st_fail("%s: %s: reading %zu bytes: %s", kname[k->kind], what, n,
			strerror(errno));
	st_expect(b, k->seed, from, n, what);
}

static char bad_desc[256];

static void describe(const struct bkind *k, int prot, int flags,
		     unsigned long off, size_t len)
{
	snprintf(bad_desc, sizeof(bad_desc),
		 "%s %s end: prot %#x flags %#x off %lu len %#zx",
		 kname[k->kind], k->end == 0 ? "read" : k->end == 1 ? "write" : "O_RDWR",
		 prot, flags, off, len);
}

/*
 * After a call: a claim shows its bytes (when readable) and took exactly
 * its length; a window commits; the pipe carries bytes afterwards and holds
 * nothing stray.
 */
static void verify(struct bkind *k, unsigned char *p, size_t len, int prot,
		   uint64_t start)
{
	uint64_t rpos = start;
	int avail;

	if (p != MAP_FAILED && !k->end) {
		if (prot & (PROT_READ | PROT_WRITE)) {
			st_expect(p, k->seed, start, len, bad_desc);
			for (size_t i = len; i < ((len + PG - 1) & ~(PG - 1)); i++)
				if (p[i])
					st_fail("%s: byte %zu past the claim is 0x%02x",
						bad_desc, i, p[i]);
		}
		rpos += len;
	} else if (p != MAP_FAILED) {
		st_fill(p, k->seed, k->pos, len);
		if (msync(p, len, MS_SYNC))
			st_fail("%s: commit: %s", bad_desc, strerror(errno));
		k->pos += len;
	}
	if (p != MAP_FAILED && munmap(p, len))
		st_fail("%s: munmap: %s", bad_desc, strerror(errno));
	drain(k, rpos, k->pos - rpos, bad_desc);
	feed(k, 8);
	drain(k, k->pos - 8, 8, bad_desc);
	if (ioctl(k->fdr, FIONREAD, &avail) || avail)
		st_fail("%s: %d stray bytes in the pipe", bad_desc, avail);
}

/*
 * Packet pipes: the PG + 16 bytes fed before the call come back as the
 * packets they were written in (PG, then 16), then a new packet.
 */
static void verify_packet(struct bkind *k, uint64_t start)
{
	unsigned char b[4 * PG];
	ssize_t r1, r2;

	r1 = read(k->fdr, b, sizeof(b));
	r2 = r1 == PG ? read(k->fdr, b + PG, sizeof(b) - PG) : -1;
	if (r1 != PG || r2 != 16)
		st_fail("%s: packets of %zd and %zd bytes, expected %lu and 16",
			bad_desc, r1, r2, PG);
	st_expect(b, k->seed, start, PG + 16, bad_desc);
	feed(k, 16);
	if (read(k->fdr, b, sizeof(b)) != 16)
		st_fail("%s: packet read: %s", bad_desc, strerror(errno));
	st_expect(b, k->seed, k->pos - 16, 16, bad_desc);
}

static const int prots[] = { PROT_NONE, PROT_READ, PROT_WRITE,
	PROT_READ | PROT_WRITE, PROT_EXEC, PROT_READ | PROT_EXEC,
	PROT_READ | PROT_WRITE | PROT_EXEC };
static const int types[] = { MAP_SHARED, MAP_PRIVATE, MAP_SHARED_VALIDATE, 0 };
static const int mods[] = { 0, MAP_FIXED, MAP_FIXED_NOREPLACE, MAP_POPULATE,
	MAP_LOCKED, MAP_NORESERVE, MAP_HUGETLB, MAP_GROWSDOWN, MAP_SYNC,
	MAP_NONBLOCK };
static const unsigned long offs[] = { 0, 1, PG };
static const size_t lens[] = { 0, 1, PG, HUGE_LEN };

#define NP (sizeof(prots) / sizeof(prots[0]))
#define NT (sizeof(types) / sizeof(types[0]))
#define NM (sizeof(mods) / sizeof(mods[0]))
#define NO (sizeof(offs) / sizeof(offs[0]))
#define NL (sizeof(lens) / sizeof(lens[0]))

static unsigned long bad_count[O_N], bad_total, bad_mismatch;
static unsigned long bad_mism_kind[K_N][3];
static char *bad_region;	/* 4 reserved pages for MAP_FIXED */

static void reserve(void)
{
	void *r = mmap(bad_region, 4 * PG, PROT_NONE,
		       MAP_PRIVATE | MAP_ANONYMOUS | (bad_region ? MAP_FIXED : 0),
		       -1, 0);

	if (r == MAP_FAILED)
		st_fail("reserve: %s", strerror(errno));
	bad_region = r;
}

/* One mmap call and its checks; returns 1 when the pipe was replaced. */
static int one(struct bkind *k, int prot, int flags, unsigned long off,
	       size_t len)
{
	unsigned int want = mmap_rule(&k->f, prot, flags, off, len);
	char ws[80];
	unsigned char *p;
	void *addr = NULL;
	uint64_t start;
	int got, err;

	describe(k, prot, flags, off, len);
	/* Enough stream bytes that a claim (and MAP_POPULATE) never waits. */
	start = k->pos;
	feed(k, PG + 16);
	if (flags & (MAP_FIXED | MAP_FIXED_NOREPLACE))
		addr = bad_region;
	if (flags & MAP_FIXED_NOREPLACE)
		munmap(bad_region, 4 * PG);
	p = mmap(addr, len, prot, flags, k->fd, off);
	err = p == MAP_FAILED ? errno : 0;
	got = oidx(err);
	if (flags & (MAP_FIXED | MAP_FIXED_NOREPLACE)) {
		if (p != MAP_FAILED && (char *)p != bad_region)
			st_fail("%s: mapped at %p, not at %p", bad_desc, p, bad_region);
	}
	bad_total++;
	bad_count[got]++;
	if (!(want & B(got))) {
		mask_str(want, ws, sizeof(ws));
		bad_mism_kind[k->kind][k->end]++;
		/* The first ones say enough; the count comes at the end. */
		if (bad_mismatch++ < 40)
			printf("  MISMATCH %s: got %s (errno %d), expected %s\n",
			       bad_desc, oname[got], err, ws);
		if (p != MAP_FAILED)
			munmap(p, len);
		/* What the pipe does after a wrong result is not specified. */
		kind_close(k);
		kind_open(k);
		if (flags & (MAP_FIXED | MAP_FIXED_NOREPLACE))
			reserve();
		return 1;
	}
	if (k->wpacket && p == MAP_FAILED)
		verify_packet(k, start);
	else if (k->f.anon || p == MAP_FAILED)
		verify(k, p, len, prot, start);
	if (flags & (MAP_FIXED | MAP_FIXED_NOREPLACE))
		reserve();
	return 0;
}

static void bad_sample(long *kb)
{
	st_settle();
	kb[0] = st_meminfo("MemFree") + st_pcp_pages() * (PG / 1024);
	kb[1] = st_meminfo("SUnreclaim");
	kb[2] = st_meminfo("Slab");
}

ST_TEST(bad_mmap_matrix, "badinput",
	"mmap end x prot x flags x offset x len on pipe(), pipe2 O_NONBLOCK/O_DIRECT, FIFO, /proc/PID/fd, SCM_RIGHTS fds: specified result, pipe intact, no leak")
{
	long kb0[3], kb1[3];
	unsigned long full_calls = 0;
	char outs[256];
	size_t o = 0;

	bad_sample(kb0);
	reserve();
	for (int kind = 0; kind < K_N; kind++) {
		int nend = kind == K_FIFO ? 3 : 2;	/* FIFO: O_RDWR too */

		for (int end = 0; end < nend; end++) {
			struct bkind k = { .kind = kind, .end = end, .seed = 5 };
			/* The full matrix on pipe(); the main rows on the others. */
			int full = kind == K_PIPE;

			kind_open(&k);
			for (unsigned int pi = 0; pi < NP; pi++)
			for (unsigned int ti = 0; ti < NT; ti++)
			for (unsigned int mi = 0; mi < NM; mi++)
			for (unsigned int oi = 0; oi < NO; oi++)
			for (unsigned int li = 0; li < NL; li++) {
				if (!full && (ti == 3 || (mods[mi] && mods[mi] != MAP_POPULATE) ||
					      offs[oi] == 1 || !lens[li]))
					continue;
				/*
				 * A huge MAP_FIXED range from the reserved
				 * pages could reach past the 47-bit window on
				 * a 5-level kernel and replace this process's
				 * stack: not a pipe question.
				 */
				if ((mods[mi] & (MAP_FIXED | MAP_FIXED_NOREPLACE)) &&
				    lens[li] == HUGE_LEN)
					continue;
				if (full)
					full_calls++;
				one(&k, prots[pi], types[ti] | mods[mi], offs[oi],
				    lens[li]);
				st_count(1, 0);
			}
			kind_close(&k);
		}
	}
	munmap(bad_region, 4 * PG);
	bad_sample(kb1);
	for (int i = 0; i < O_N; i++)
		if (bad_count[i])
			o += snprintf(outs + o, sizeof(outs) - o, "%s%s %lu",
				      o ? ", " : "", oname[i], bad_count[i]);
	if (bad_mismatch) {
		printf("  %lu calls; outcomes: %s; mismatches by fd:", bad_total, outs);
		for (int kind = 0; kind < K_N; kind++)
			for (int end = 0; end < 3; end++)
				if (bad_mism_kind[kind][end])
					printf(" %s %s end %lu;", kname[kind],
					       end == 0 ? "read" : end == 1 ? "write" : "O_RDWR",
					       bad_mism_kind[kind][end]);
		printf("\n");
		st_fail("%lu of %lu calls gave an unspecified result (first ones listed above)",
			bad_mismatch, bad_total);
	}
	/* 8 MiB / 256 KiB, MemFree with the per-CPU lists: see resources.c. */
	if (kb0[0] - kb1[0] > 8192 || kb1[1] - kb0[1] > 256)
		st_fail("memory grew over the run: MemFree %+ld kB, SUnreclaim %+ld kB",
			kb1[0] - kb0[0], kb1[1] - kb0[1]);
	st_summary("matrix %lu calls (pipe(): 2 ends x %zu prots x %zu types x %zu flag mods x %zu offsets x %zu lens, less FIXED x huge = %lu; 13 other fd ends x 252); outcomes: %s; MemFree(+pcp) %+ld kB, SUnreclaim %+ld kB, Slab %+ld kB",
		   bad_total, NP, NT, NM, NO, NL, full_calls, outs,
		   kb1[0] - kb0[0], kb1[1] - kb0[1], kb1[2] - kb0[2]);
	return 0;
}

/* Expect @ret (0 or -1 with errno) to be @want (0 or an errno). */
static int bad_calls, bad_wrong;
static void expect_ret(long ret, int want, const char *what)
{
	int got = ret < 0 ? errno : 0;

	bad_calls++;
	if (got != want) {
		bad_wrong++;
		printf("  MISMATCH %s: got %s, expected %s\n", what,
		       got ? strerror(got) : "success",
		       want ? strerror(want) : "success");
	}
}

/* Nothing but @n new bytes (at @k->pos - @n .. ) may be in the pipe. */
static void pipe_ok(struct bkind *k, uint64_t from, size_t n, const char *what)
{
	int avail = -1;

	snprintf(bad_desc, sizeof(bad_desc), "%s", what);
	if (ioctl(k->fdr, FIONREAD, &avail) || avail != (int)n)
		st_fail("%s: %d bytes in the pipe, expected %zu", what, avail, n);
	if (n)
		drain(k, from, n, what);
	feed(k, 5);
	drain(k, k->pos - 5, 5, what);
}

/* Is the mapping at @addr locked (VmFlags "lo" in /proc/self/smaps)? */
static int vma_locked(void *addr)
{
	unsigned long a = (unsigned long)addr, lo, hi;
	char line[512];
	int in = 0, r = 0;
	FILE *f = fopen("/proc/self/smaps", "r");

	if (!f)
		st_fail("smaps: %s", strerror(errno));
	while (fgets(line, sizeof(line), f)) {
		if (sscanf(line, "%lx-%lx ", &lo, &hi) == 2 && strchr(line, ' ') ==
		    line + strcspn(line, " ") && strchr(line, '-'))
			in = a >= lo && a < hi;
		else if (in && !strncmp(line, "VmFlags:", 8))
			r = strstr(line, " lo") != NULL;
	}
	fclose(f);
	return r;
}

ST_TEST(bad_msync, "badinput",
	"msync flags/addresses/lengths on windows and claims: specified errno, commits byte exact, claims unchanged")
{
	struct bkind k = { .kind = K_PIPE, .end = 1, .seed = 9 };
	size_t len = PG + 100;
	unsigned char *w, *c;
	uint64_t base;
	int locked;

	kind_open(&k);
	w = st_window(k.fdw, len);
	if (w == MAP_FAILED)
		st_fail("window: %s", strerror(errno));
	base = k.pos;
	st_fill(w, k.seed, base, len);
	/* README: only MS_SYNC commits; MS_ASYNC commits nothing. */
	expect_ret(msync(w, len, MS_ASYNC), 0, "window MS_ASYNC");
	expect_ret(msync(w, len, MS_INVALIDATE), 0, "window MS_INVALIDATE");
	pipe_ok(&k, 0, 0, "after MS_ASYNC/MS_INVALIDATE: nothing committed");
	base = k.pos;
	st_fill(w, k.seed, base, len);
	/* msync(2): EINVAL for unknown flags, MS_SYNC|MS_ASYNC, unaligned. */
	expect_ret(msync(w, 10, MS_SYNC | MS_ASYNC), EINVAL, "MS_SYNC|MS_ASYNC");
	expect_ret(msync(w, 10, 0x8), EINVAL, "flag 0x8");
	expect_ret(msync(w, 10, MS_SYNC | 0x100), EINVAL, "MS_SYNC|0x100");
	expect_ret(msync(w + 1, 10, MS_SYNC), EINVAL, "unaligned address");
	/* README: an end past the window's length is ENOMEM. */
	expect_ret(msync(w, len + 1, MS_SYNC), ENOMEM, "end len+1");
	expect_ret(msync(w, 2 * PG, MS_SYNC), ENOMEM, "end at the page end");
	expect_ret(msync(w + PG, 101, MS_SYNC), ENOMEM, "second page, end len+1");
	expect_ret(msync(w, ~0UL - (unsigned long)w, MS_SYNC), ENOMEM, "huge length");
	pipe_ok(&k, 0, 0, "after failed msyncs: nothing committed");
	base = k.pos;
	st_fill(w, k.seed, base, len);
	/* msync(2): length 0 succeeds; semantics: n <= c is a no-op. */
	expect_ret(msync(w, 0, MS_SYNC), 0, "length 0");
	pipe_ok(&k, 0, 0, "after length 0");
	base = k.pos;
	st_fill(w, k.seed, base, len);
	expect_ret(msync(w, 10, MS_SYNC), 0, "commit 10");
	expect_ret(msync(w, 5, MS_SYNC), 0, "commit 5 (no-op)");
	expect_ret(msync(w, 10, MS_SYNC | MS_INVALIDATE), 0, "commit 10 again (no-op)");
	k.pos += 10;
	pipe_ok(&k, base, 10, "commit 10, then no-ops");
	base = k.pos;
	st_fill(w + 10, k.seed, base, len - 10);
	expect_ret(msync(w + PG, 50, MS_SYNC | MS_INVALIDATE), 0,
		   "commit from the second page (end PG+50)");
	k.pos += PG + 40;
	pipe_ok(&k, base, PG + 40, "commit to PG+50");
	st_fill(w + PG + 50, k.seed, k.pos, 50);
	base = k.pos;
	expect_ret(msync(w, len, MS_SYNC), 0, "commit to the end");
	k.pos += 50;
	pipe_ok(&k, base, 50, "commit to the end");
	expect_ret(msync(w, len, MS_SYNC), 0, "commit again (no-op)");
	pipe_ok(&k, 0, 0, "after a repeated full commit");
	munmap(w, len);

	/* Claims: msync(2) on a read-only shared mapping does nothing. */
	feed(&k, PG + 10);
	base = k.pos - PG - 10;
	c = st_claim(k.fdr, PG + 10);
	if (c == MAP_FAILED)
		st_fail("claim: %s", strerror(errno));
	st_expect(c, k.seed, base, PG + 10, "claim before msync");
	expect_ret(msync(c, PG + 10, MS_SYNC), 0, "claim MS_SYNC");
	expect_ret(msync(c, PG + 10, MS_ASYNC), 0, "claim MS_ASYNC");
	expect_ret(msync(c, PG + 10, MS_INVALIDATE), 0, "claim MS_INVALIDATE");
	expect_ret(msync(c, 2 * PG, MS_SYNC | MS_INVALIDATE), 0, "claim whole pages");
	expect_ret(msync(c + 1, 1, MS_SYNC), EINVAL, "claim unaligned");
	expect_ret(msync(c, 1, MS_SYNC | MS_ASYNC), EINVAL, "claim MS_SYNC|MS_ASYNC");
	st_expect(c, k.seed, base, PG + 10, "claim after msync");
	munmap(c, PG + 10);
	pipe_ok(&k, 0, 0, "after msyncs of a claim");
	/*
	 * MAP_LOCKED window: msync(2) MS_INVALIDATE on locked pages is EBUSY.
	 * The kernel does not lock VM_DONTEXPAND (VM_SPECIAL) mappings, and
	 * README says pipe mappings are VM_DONTEXPAND: whether the lock took
	 * is read from smaps; unlocked, it is a plain commit.
	 */
	w = mmap(NULL, 100, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_LOCKED,
		 k.fdw, 0);
	if (w == MAP_FAILED)
		st_fail("locked window: %s", strerror(errno));
	locked = vma_locked(w);
	st_fill(w, k.seed, k.pos, 100);
	base = k.pos;
	expect_ret(msync(w, 100, MS_SYNC | MS_INVALIDATE), locked ? EBUSY : 0,
		   "MAP_LOCKED window MS_SYNC|MS_INVALIDATE");
	if (!locked)
		k.pos += 100;
	pipe_ok(&k, base, locked ? 0 : 100, "after MS_INVALIDATE on a MAP_LOCKED window");
	munmap(w, 100);
	kind_close(&k);
	if (bad_wrong)
		st_fail("%d of %d msync calls gave an unspecified result", bad_wrong,
			bad_calls);
	st_summary("%d msync calls as specified; a MAP_LOCKED window is %s",
		   bad_calls, locked ? "locked" : "not locked (VM_SPECIAL), MS_INVALIDATE commits");
	st_count(bad_calls, 0);
	return 0;
}

/* Three reserved pages to move a mapping onto (MREMAP_FIXED replaces them). */
static void *bad_target(void)
{
	void *t = mmap(NULL, 3 * PG, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (t == MAP_FAILED)
		st_fail("reserve a target: %s", strerror(errno));
	return t;
}

ST_TEST(bad_mremap_mprotect, "badinput",
	"mremap grow/shrink/move and mprotect to each prot on claims (shared, private) and windows: specified result, bytes intact")
{
	struct bkind k = { .kind = K_PIPE, .end = 0, .seed = 11 };
	unsigned char *c, *w, *q;
	char what[128];
	uint64_t base;

	kind_open(&k);
	for (int priv = 0; priv < 2; priv++) {
		/* Claim of 2 pages + 5, all bytes there. */
		size_t len = 2 * PG + 5;

		feed(&k, len);
		base = k.pos - len;
		c = mmap(NULL, len, PROT_READ, priv ? MAP_PRIVATE : MAP_SHARED,
			 k.fdr, 0);
		if (c == MAP_FAILED)
			st_fail("claim: %s", strerror(errno));
		st_expect(c, k.seed, base, len, "claim");
		/* README: VM_DONTEXPAND, growth EFAULT. */
		q = mremap(c, 3 * PG, 4 * PG, 0);
		expect_ret(q == MAP_FAILED ? -1 : 0, EFAULT, "claim grow in place");
		q = mremap(c, 3 * PG, 4 * PG, MREMAP_MAYMOVE);
		expect_ret(q == MAP_FAILED ? -1 : 0, EFAULT, "claim grow, may move");
		/* mremap(2): MREMAP_DONTUNMAP refuses VM_DONTEXPAND mappings. */
		q = mremap(c, 3 * PG, 3 * PG, MREMAP_MAYMOVE | MREMAP_DONTUNMAP);
		expect_ret(q == MAP_FAILED ? -1 : 0, EINVAL, "claim DONTUNMAP");
		/* Move: the same claim elsewhere. */
		q = mremap(c, 3 * PG, 3 * PG, MREMAP_MAYMOVE | MREMAP_FIXED,
			   bad_target());
		expect_ret(q == MAP_FAILED ? -1 : 0, 0, "claim move");
		if (q != MAP_FAILED)
			c = q;
		st_expect(c, k.seed, base, len, "claim after move");
		/* semantics.md: shrinking is munmap of the tail. */
		q = mremap(c, 3 * PG, PG, 0);
		expect_ret(q == MAP_FAILED ? -1 : 0, 0, "claim shrink");
		st_expect(c, k.seed, base, PG, "claim after shrink");
		/*
		 * mprotect: semantics.md: a MAP_SHARED claim cannot become
		 * writable (EACCES); README: PROT_EXEC EACCES (VM_MAYEXEC
		 * cleared); a MAP_PRIVATE claim may be written (private).
		 */
		for (unsigned int pi = 0; pi < NP; pi++) {
			int want = 0;

			if (prots[pi] & PROT_EXEC)
				want = EACCES;
			else if ((prots[pi] & PROT_WRITE) && !priv)
				want = EACCES;
			snprintf(what, sizeof(what), "mprotect %s claim to %#x",
				 priv ? "private" : "shared", prots[pi]);
			expect_ret(mprotect(c, PG, prots[pi]), want, what);
		}
		if (mprotect(c, PG, PROT_READ))
			st_fail("mprotect back to PROT_READ: %s", strerror(errno));
		st_expect(c, k.seed, base, PG, "claim after mprotects");
		munmap(c, PG);
		pipe_ok(&k, 0, 0, "after the claim's mremaps and mprotects");
		st_count(1, len);
	}

	/* A window of 2 pages + 7: bytes stored, then moved and committed. */
	{
		size_t len = 2 * PG + 7;

		w = st_window(k.fdw, len);
		if (w == MAP_FAILED)
			st_fail("window: %s", strerror(errno));
		base = k.pos;
		st_fill(w, k.seed, base, len);
		q = mremap(w, 3 * PG, 4 * PG, 0);
		expect_ret(q == MAP_FAILED ? -1 : 0, EFAULT, "window grow in place");
		q = mremap(w, 3 * PG, 4 * PG, MREMAP_MAYMOVE);
		expect_ret(q == MAP_FAILED ? -1 : 0, EFAULT, "window grow, may move");
		/* README: partial munmap/mprotect/mremap-shrink EINVAL. */
		q = mremap(w, 3 * PG, PG, 0);
		expect_ret(q == MAP_FAILED ? -1 : 0, EINVAL, "window shrink");
		expect_ret(munmap(w + PG, PG), EINVAL, "window partial munmap");
		expect_ret(mprotect(w, PG, PROT_READ), EINVAL, "window partial mprotect");
		q = mremap(w, 3 * PG, 3 * PG, MREMAP_MAYMOVE | MREMAP_DONTUNMAP);
		expect_ret(q == MAP_FAILED ? -1 : 0, EINVAL, "window DONTUNMAP");
		q = mremap(w, 3 * PG, 3 * PG, MREMAP_MAYMOVE | MREMAP_FIXED,
			   bad_target());
		expect_ret(q == MAP_FAILED ? -1 : 0, 0, "window move");
		if (q != MAP_FAILED)
			w = q;
		pipe_ok(&k, 0, 0, "window moved, nothing committed");
		st_fill(w, k.seed, k.pos, len);
		base = k.pos;
		/* Whole window: README EXEC EACCES; others allowed. */
		for (unsigned int pi = 0; pi < NP; pi++) {
			int want = prots[pi] & PROT_EXEC ? EACCES : 0;

			snprintf(what, sizeof(what), "mprotect window to %#x", prots[pi]);
			expect_ret(mprotect(w, len, prots[pi]), want, what);
		}
		/* The last one that worked left it read/write or read only: a
		 * commit copies in the kernel and needs no user access. */
		if (mprotect(w, len, PROT_NONE))
			st_fail("mprotect window PROT_NONE: %s", strerror(errno));
		expect_ret(msync(w, len, MS_SYNC), 0, "commit a PROT_NONE window");
		k.pos += len;
		pipe_ok(&k, base, len, "commit after move and mprotect");
		munmap(w, len);
		st_count(1, len);
	}
	kind_close(&k);
	if (bad_wrong)
		st_fail("%d of %d calls gave an unspecified result", bad_wrong,
			bad_calls);
	st_summary("%d mremap/mprotect/munmap calls as specified", bad_calls);
	st_count(bad_calls, 0);
	return 0;
}
