// SPDX-License-Identifier: GPL-2.0
/*
 * xbench: the timing driver of bench/run.sh (runs inside the guest).
 *
 *   xbench pipe PATH CHUNK SIZE [-p PIPESIZE] [-W WINDOW] [-s SEED] [-C W,R]
 *       Move SIZE bytes from a writer process to a reader process through a
 *       pipe, CHUNK bytes per call, along PATH:
 *         a  write()                      -> read()
 *         b  write()                      -> mmap() claims of the read end
 *         c  write window + msync commit  -> mmap() claims of the read end
 *         d  vmsplice(SPLICE_F_GIFT)      -> read()
 *         e  write window + msync commit  -> read()
 *         f  write()                      -> splice() to /dev/null
 *       Every reader except f checks every byte against the pattern (one
 *       64-bit word per 8 stream positions, seeded per run, so stale or
 *       shifted bytes are caught); f only counts bytes (no-touch bound).
 *       A window is WINDOW bytes (default max(CHUNK, 1 MiB)), committed by
 *       msync() in CHUNK steps; a claim is CHUNK bytes. -C W,R runs the
 *       writer on CPU W and the reader on CPU R only (bench/costs.sh).
 *
 *   xbench cmd [--feed FILE] [-c CHUNK] [-p PIPESIZE] -o OUT -- PROG [ARG...]
 *       Run PROG with stdout to OUT. With --feed, PROG's stdin is a pipe
 *       that a feeder process fills with FILE's bytes by write() of CHUNK
 *       bytes (default 64 KiB; FILE is loaded into memory before the clock
 *       starts); else stdin is /dev/null. PROG must exit 0.
 *
 *   xbench gentext FILE SIZE PATTERN   write SIZE bytes of text lines, one in
 *       997 lines holding PATTERN; write the matching lines to FILE.grep;
 *       print "lines words bytes matches" as GNU wc counts them.
 *   xbench sum FILE                    print a 64-bit hash of FILE
 *
 * pipe and cmd print "WALL USER SYS MINFLT CSW": wall clock seconds from the
 * first fork to the last wait4(), user and system CPU seconds, minor page
 * faults and context switches of both processes (rusage from wait4()). Exit 1 with a message on any error or mismatch.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <sys/wait.h>

#define K64 0x9E3779B97F4A7C15ULL

static unsigned long long seed;

static void die(const char *fmt, ...) __attribute__((format(printf, 1, 2), noreturn));
static void die(const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "xbench: ");
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	exit(1);
}

static unsigned long long parse_size(const char *s)
{
	char *end;
	unsigned long long v = strtoull(s, &end, 0);

	switch (*end) {
	case 'k': case 'K': v <<= 10; end++; break;
	case 'm': case 'M': v <<= 20; end++; break;
	case 'g': case 'G': v <<= 30; end++; break;
	}
	if (*end || end == s)
		die("bad size '%s' (want e.g. 4096, 64K, 256M, 1G)", s);
	return v;
}

static double now(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec + t.tv_nsec / 1e9;
}

/* The stream pattern: word w (positions 8w..8w+7) is (w + seed) * K64. */
static inline uint64_t word(unsigned long long w)
{
	return (w + seed) * K64;
}

static inline unsigned char pbyte(unsigned long long pos)
{
	return (unsigned char)(word(pos >> 3) >> (8 * (pos & 7)));
}

/* Fill @n bytes at stream position @pos (multiple of 8) into @dst. */
static void fill(unsigned char *dst, unsigned long long pos, size_t n)
{
	uint64_t v = word(pos >> 3);
	size_t i;

	for (i = 0; i + 8 <= n; i += 8, v += K64)
		memcpy(dst + i, &v, 8);
	for (; i < n; i++)
		dst[i] = pbyte(pos + i);
}

/* Check @n bytes of stream position @pos; 0 or the failing byte's index + 1. */
static size_t verify(const unsigned char *p, unsigned long long pos, size_t n)
{
	size_t i = 0;
	uint64_t v, got;

	for (; i < n && ((pos + i) & 7); i++)
		if (p[i] != pbyte(pos + i))
			return i + 1;
	v = word((pos + i) >> 3);
	for (; i + 8 <= n; i += 8, v += K64) {
		memcpy(&got, p + i, 8);
		if (got != v)
			break;
	}
	for (; i < n; i++)
		if (p[i] != pbyte(pos + i))
			return i + 1;
	return 0;
}

static void mismatch(const unsigned char *p, unsigned long long pos, size_t bad)
{
	fprintf(stderr, "xbench: DATA MISMATCH at stream byte %llu: got 0x%02x, want 0x%02x\n",
		pos + bad - 1, p[bad - 1], pbyte(pos + bad - 1));
	_exit(3);
}

static void write_all(int fd, const unsigned char *p, size_t n)
{
	while (n) {
		ssize_t w = write(fd, p, n);

		if (w < 0) {
			if (errno == EINTR)
				continue;
			fprintf(stderr, "xbench: write: %s\n", strerror(errno));
			_exit(1);
		}
		p += w;
		n -= w;
	}
}

static void *xalloc(size_t n)
{
	void *p = mmap(NULL, n, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (p == MAP_FAILED) {
		fprintf(stderr, "xbench: cannot allocate %zu bytes: %s\n", n, strerror(errno));
		_exit(1);
	}
	return p;
}

/* ---- writers ------------------------------------------------------------ */

static void writer_write(int fd, size_t chunk, unsigned long long size)
{
	unsigned char *b = xalloc(chunk);
	unsigned long long pos = 0;

	while (pos < size) {
		size_t n = size - pos < chunk ? size - pos : chunk;

		fill(b, pos, n);
		write_all(fd, b, n);
		pos += n;
	}
}

static void writer_window(int fd, size_t chunk, size_t window, unsigned long long size)
{
	unsigned long long pos = 0;

	while (pos < size) {
		size_t len = size - pos < window ? size - pos : window, c = 0;
		unsigned char *w = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);

		if (w == MAP_FAILED) {
			fprintf(stderr, "xbench: mmap of the write end (%zu bytes): %s\n",
				len, strerror(errno));
			_exit(1);
		}
		while (c < len) {
			size_t n = len - c < chunk ? len - c : chunk;

			fill(w + c, pos + c, n);
			c += n;
			if (msync(w, c, MS_SYNC)) {
				fprintf(stderr, "xbench: msync commit: %s\n", strerror(errno));
				_exit(1);
			}
		}
		munmap(w, len);
		pos += len;
	}
}

/*
 * vmsplice(SPLICE_F_GIFT) from a ring of buffers: a slot is refilled only
 * after more than a pipe's capacity has been spliced behind it, so its
 * pages have left the pipe (read() releases a pipe buffer after copying).
 */
static void writer_vmsplice(int fd, size_t chunk, size_t pipesize, unsigned long long size)
{
	size_t slots = (2 * pipesize) / chunk + 2, k = 0;
	unsigned char *ring = xalloc(slots * chunk);
	unsigned long long pos = 0;

	while (pos < size) {
		size_t n = size - pos < chunk ? size - pos : chunk, done = 0;
		unsigned char *b = ring + (k++ % slots) * chunk;

		fill(b, pos, n);
		while (done < n) {
			struct iovec iov = { b + done, n - done };
			ssize_t w = vmsplice(fd, &iov, 1, SPLICE_F_GIFT);

			if (w < 0) {
				if (errno == EINTR)
					continue;
				fprintf(stderr, "xbench: vmsplice: %s\n", strerror(errno));
				_exit(1);
			}
			done += w;
		}
		pos += n;
	}
}

/* ---- readers ------------------------------------------------------------ */

static void expect_eof(int fd, unsigned long long size)
{
	char c;
	ssize_t r = read(fd, &c, 1);

	if (r != 0) {
		fprintf(stderr, "xbench: %s after %llu bytes\n",
			r > 0 ? "bytes after the end of the stream" : strerror(errno), size);
		_exit(3);
	}
}

static void reader_read(int fd, size_t chunk, unsigned long long size)
{
	unsigned char *b = xalloc(chunk);
	unsigned long long pos = 0;

	for (;;) {
		ssize_t r = read(fd, b, chunk);
		size_t bad;

		if (r < 0) {
			if (errno == EINTR)
				continue;
			fprintf(stderr, "xbench: read: %s at %llu\n", strerror(errno), pos);
			_exit(1);
		}
		if (r == 0)
			break;
		if (pos + r > size) {
			fprintf(stderr, "xbench: more than %llu bytes in the stream\n", size);
			_exit(3);
		}
		bad = verify(b, pos, r);
		if (bad)
			mismatch(b, pos, bad);
		pos += r;
	}
	if (pos != size) {
		fprintf(stderr, "xbench: early EOF: %llu of %llu bytes\n", pos, size);
		_exit(3);
	}
}

static void reader_mmap(int fd, size_t chunk, unsigned long long size)
{
	unsigned long long pos = 0;

	while (pos < size) {
		size_t n = size - pos < chunk ? size - pos : chunk, bad;
		const unsigned char *m = mmap(NULL, n, PROT_READ, MAP_SHARED, fd, 0);

		if (m == MAP_FAILED) {
			fprintf(stderr, "xbench: mmap of the read end (%zu bytes): %s\n",
				n, strerror(errno));
			_exit(1);
		}
		bad = verify(m, pos, n);
		if (bad)
			mismatch(m, pos, bad);
		munmap((void *)m, n);
		pos += n;
	}
	expect_eof(fd, size);
}

static void reader_splice(int fd, size_t chunk, unsigned long long size)
{
	int null = open("/dev/null", O_WRONLY);
	unsigned long long pos = 0;

	if (null < 0) {
		fprintf(stderr, "xbench: /dev/null: %s\n", strerror(errno));
		_exit(1);
	}
	for (;;) {
		ssize_t r = splice(fd, NULL, null, NULL, chunk, SPLICE_F_MOVE);

		if (r < 0) {
			if (errno == EINTR)
				continue;
			fprintf(stderr, "xbench: splice to /dev/null: %s\n", strerror(errno));
			_exit(1);
		}
		if (r == 0)
			break;
		pos += r;
	}
	if (pos != size) {
		fprintf(stderr, "xbench: splice moved %llu of %llu bytes\n", pos, size);
		_exit(3);
	}
}

/* ---- running two processes ------------------------------------------------ */

struct timing {
	double wall, user, sys;
	long minflt, csw;	/* minor faults, context switches (both kinds) */
};

static void add_ru(struct timing *t, const struct rusage *ru)
{
	t->user += ru->ru_utime.tv_sec + ru->ru_utime.tv_usec / 1e6;
	t->sys += ru->ru_stime.tv_sec + ru->ru_stime.tv_usec / 1e6;
	t->minflt += ru->ru_minflt;
	t->csw += ru->ru_nvcsw + ru->ru_nivcsw;
}

static void print_timing(const struct timing *t)
{
	printf("%.6f %.6f %.6f %ld %ld\n", t->wall, t->user, t->sys, t->minflt, t->csw);
}

/* Wait for both children; die unless both exited 0. */
static void wait_both(pid_t a, const char *an, pid_t b, const char *bn,
		      double t0, struct timing *t)
{
	pid_t pids[2] = { a, b };
	const char *names[2] = { an, bn };
	int i, status, bad = 0;
	struct rusage ru;

	memset(t, 0, sizeof(*t));
	for (i = 0; i < 2; i++) {
		if (wait4(pids[i], &status, 0, &ru) != pids[i])
			die("wait4: %s", strerror(errno));
		add_ru(t, &ru);
		if (WIFEXITED(status) && WEXITSTATUS(status) == 0)
			continue;
		bad = 1;
		if (WIFEXITED(status))
			fprintf(stderr, "xbench: %s exited with status %d\n", names[i],
				WEXITSTATUS(status));
		else
			fprintf(stderr, "xbench: %s killed by signal %d (%s)\n", names[i],
				WTERMSIG(status), strsignal(WTERMSIG(status)));
	}
	t->wall = now() - t0;
	if (bad)
		die("run FAILED (see above)");
}

static void set_pipe_size(int fd, size_t pipesize)
{
	if (pipesize && fcntl(fd, F_SETPIPE_SZ, (int)pipesize) < 0)
		die("F_SETPIPE_SZ %zu: %s (raise /proc/sys/fs/pipe-max-size?)",
		    pipesize, strerror(errno));
}

/* Fail early, with the reason, on a kernel without extended mmap(). */
static void probe_mmap(int read_end, int write_end)
{
	int p[2];
	void *m;

	if (pipe(p))
		die("pipe: %s", strerror(errno));
	if (read_end) {
		m = mmap(NULL, 1, PROT_READ, MAP_SHARED, p[0], 0);
		if (m == MAP_FAILED)
			die("this kernel cannot mmap() the read end of a pipe (%s): boot the patched kernel (kernel-patch/run-guest.sh --bench)",
			    strerror(errno));
		munmap(m, 1);
	}
	if (write_end) {
		m = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, p[1], 0);
		if (m == MAP_FAILED)
			die("this kernel cannot mmap() the write end of a pipe (%s): boot the patched kernel (kernel-patch/run-guest.sh --bench)",
			    strerror(errno));
		munmap(m, 4096);
	}
	close(p[0]);
	close(p[1]);
}

/* -C W,R: the writer runs on CPU W only, the reader on CPU R only (-1: anywhere) */
static int cpu_w = -1, cpu_r = -1;

static void pin_to(int cpu, const char *who)
{
	cpu_set_t s;

	if (cpu < 0)
		return;
	CPU_ZERO(&s);
	CPU_SET(cpu, &s);
	if (sched_setaffinity(0, sizeof(s), &s)) {
		fprintf(stderr, "xbench: cannot pin the %s to CPU %d: %s\n", who, cpu, strerror(errno));
		_exit(1);
	}
}

static int cmd_pipe(int argc, char **argv)
{
	size_t chunk, window = 0, pipesize = 1 << 20;
	unsigned long long size;
	struct timing t;
	int p[2], opt;
	char path;
	pid_t w, r;
	double t0;

	seed = (unsigned long long)time(NULL) ^ ((unsigned long long)getpid() << 32);
	while ((opt = getopt(argc, argv, "p:W:s:C:")) != -1) {
		switch (opt) {
		case 'C':
			if (sscanf(optarg, "%d,%d", &cpu_w, &cpu_r) != 2)
				die("-C wants WRITER_CPU,READER_CPU (e.g. -C 0,1)");
			break;
		case 'p': pipesize = parse_size(optarg); break;
		case 'W': window = parse_size(optarg); break;
		case 's': seed = strtoull(optarg, NULL, 0); break;
		default: die("usage: xbench pipe a|b|c|d|e|f CHUNK SIZE [-p PIPESIZE] [-W WINDOW] [-s SEED] [-C WCPU,RCPU]");
		}
	}
	if (argc - optind != 3 || strlen(argv[optind]) != 1 ||
	    !strchr("abcdef", argv[optind][0]))
		die("usage: xbench pipe a|b|c|d|e|f CHUNK SIZE [-p PIPESIZE] [-W WINDOW] [-s SEED] [-C WCPU,RCPU]");
	path = argv[optind][0];
	chunk = parse_size(argv[optind + 1]);
	size = parse_size(argv[optind + 2]);
	if (!chunk || chunk % 8)
		die("CHUNK must be a positive multiple of 8");
	if (!window)
		window = chunk > (1 << 20) ? chunk : (1 << 20);
	window -= window % chunk;
	if (!window)
		die("WINDOW smaller than CHUNK");
	probe_mmap(path == 'b' || path == 'c', path == 'c' || path == 'e');
	if (pipe(p))
		die("pipe: %s", strerror(errno));
	set_pipe_size(p[1], pipesize);
	pipesize = fcntl(p[1], F_GETPIPE_SZ);

	t0 = now();
	w = fork();
	if (w < 0)
		die("fork: %s", strerror(errno));
	if (w == 0) {
		close(p[0]);
		pin_to(cpu_w, "writer");
		if (path == 'c' || path == 'e')
			writer_window(p[1], chunk, window, size);
		else if (path == 'd')
			writer_vmsplice(p[1], chunk, pipesize, size);
		else
			writer_write(p[1], chunk, size);
		_exit(0);
	}
	r = fork();
	if (r < 0)
		die("fork: %s", strerror(errno));
	if (r == 0) {
		close(p[1]);
		pin_to(cpu_r, "reader");
		if (path == 'b' || path == 'c')
			reader_mmap(p[0], chunk, size);
		else if (path == 'f')
			reader_splice(p[0], chunk, size);
		else
			reader_read(p[0], chunk, size);
		_exit(0);
	}
	close(p[0]);
	close(p[1]);
	wait_both(w, "writer", r, "reader", t0, &t);
	print_timing(&t);
	return 0;
}

static int cmd_cmd(int argc, char **argv)
{
	const char *feed = NULL, *out = NULL;
	size_t chunk = 64 << 10, pipesize = 1 << 20;
	unsigned char *data = NULL;
	size_t len = 0;
	struct timing t;
	int i, p[2] = { -1, -1 }, ofd;
	pid_t f = -1, c;
	double t0;

	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--"))
			break;
		if (i + 1 >= argc)
			die("option %s needs a value", argv[i]);
		if (!strcmp(argv[i], "--feed"))
			feed = argv[++i];
		else if (!strcmp(argv[i], "-c"))
			chunk = parse_size(argv[++i]);
		else if (!strcmp(argv[i], "-p"))
			pipesize = parse_size(argv[++i]);
		else if (!strcmp(argv[i], "-o"))
			out = argv[++i];
		else
			die("usage: xbench cmd [--feed FILE] [-c CHUNK] [-p PIPESIZE] -o OUT -- PROG [ARG...]");
	}
	if (i >= argc - 1 || !out || !chunk)
		die("usage: xbench cmd [--feed FILE] [-c CHUNK] [-p PIPESIZE] -o OUT -- PROG [ARG...]");
	if (feed) {
		struct stat st;
		int fd = open(feed, O_RDONLY);

		if (fd < 0 || fstat(fd, &st))
			die("%s: %s", feed, strerror(errno));
		len = st.st_size;
		data = xalloc(len ? len : 1);
		for (size_t got = 0; got < len;) {
			ssize_t r = read(fd, data + got, len - got);

			if (r <= 0)
				die("%s: read: %s", feed, r ? strerror(errno) : "short file");
			got += r;
		}
		close(fd);
		if (pipe(p))
			die("pipe: %s", strerror(errno));
		set_pipe_size(p[1], pipesize);
	}
	ofd = open(out, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	if (ofd < 0)
		die("%s: %s", out, strerror(errno));

	t0 = now();
	if (feed) {
		f = fork();
		if (f < 0)
			die("fork: %s", strerror(errno));
		if (f == 0) {
			signal(SIGPIPE, SIG_DFL);
			close(p[0]);
			close(ofd);
			for (size_t pos = 0; pos < len; pos += chunk)
				write_all(p[1], data + pos, len - pos < chunk ? len - pos : chunk);
			_exit(0);
		}
	}
	c = fork();
	if (c < 0)
		die("fork: %s", strerror(errno));
	if (c == 0) {
		int in = feed ? p[0] : open("/dev/null", O_RDONLY);

		signal(SIGPIPE, SIG_DFL);
		if (in < 0 || dup2(in, 0) < 0 || dup2(ofd, 1) < 0) {
			fprintf(stderr, "xbench: redirect: %s\n", strerror(errno));
			_exit(1);
		}
		if (feed) {
			close(p[0]);
			close(p[1]);
		}
		close(ofd);
		execvp(argv[i + 1], argv + i + 1);
		fprintf(stderr, "xbench: %s: %s\n", argv[i + 1], strerror(errno));
		_exit(127);
	}
	if (feed) {
		close(p[0]);
		close(p[1]);
		wait_both(f, "feeder", c, argv[i + 1], t0, &t);
	} else {
		struct rusage ru;
		int status;

		if (wait4(c, &status, 0, &ru) != c)
			die("wait4: %s", strerror(errno));
		memset(&t, 0, sizeof(t));
		t.wall = now() - t0;
		add_ru(&t, &ru);
		if (!WIFEXITED(status) || WEXITSTATUS(status))
			die("%s failed (status 0x%x)", argv[i + 1], status);
	}
	close(ofd);
	print_timing(&t);
	return 0;
}

/* Text: numbered lines of words; every 997th line holds the pattern. */
static int cmd_gentext(int argc, char **argv)
{
	static const char *words[] = { "the", "quick", "brown", "fox", "jumps",
		"over", "lazy", "dog", "pipe", "mmap", "stream", "claim",
		"window", "commit", "kernel", "page" };
	unsigned long long size, lines = 0, nwords = 0, matches = 0, pos = 0;
	FILE *f, *g;
	char line[256], gname[4096];
	unsigned long long x = 12345;

	if (argc != 4)
		die("usage: xbench gentext FILE SIZE PATTERN");
	size = parse_size(argv[2]);
	snprintf(gname, sizeof(gname), "%s.grep", argv[1]);
	f = fopen(argv[1], "w");
	g = fopen(gname, "w");
	if (!f || !g)
		die("%s: %s", f ? gname : argv[1], strerror(errno));
	while (pos < size) {
		int n = snprintf(line, sizeof(line), "%09llu", lines), k, nw = 1 + (int)(x % 9);
		int has = lines % 997 == 500;
		size_t take;

		for (k = 0; k < nw; k++) {
			x = x * 6364136223846793005ULL + 1442695040888963407ULL;
			n += snprintf(line + n, sizeof(line) - n, " %s", words[(x >> 33) % 16]);
		}
		if (has)
			n += snprintf(line + n, sizeof(line) - n, " %s", argv[3]);
		line[n++] = '\n';
		take = size - pos < (unsigned long long)n ? size - pos : (size_t)n;
		if (fwrite(line, 1, take, f) != take)
			die("%s: %s", argv[1], strerror(errno));
		pos += take;
		/* counts of what was written (the last line may be cut) */
		if (take == (size_t)n) {
			lines++;
			nwords += 1 + nw + has;
			if (has) {
				matches++;
				fwrite(line, 1, n, g);
			}
		} else {
			/* cut line: count words in the written prefix */
			int inw = 0;

			for (size_t i = 0; i < take; i++) {
				int sp = line[i] == ' ' || line[i] == '\n';

				if (!sp && !inw)
					nwords++;
				inw = !sp;
			}
			line[take] = 0;
			if (strstr(line, argv[3])) {
				matches++;
				fwrite(line, 1, take, g);
				fputc('\n', g);
			}
		}
	}
	if (fclose(f) || fclose(g))
		die("write: %s", strerror(errno));
	printf("%llu %llu %llu %llu\n", lines, nwords, pos, matches);
	return 0;
}

static int cmd_sum(int argc, char **argv)
{
	unsigned long long h = 1469598103934665603ULL;
	unsigned char *m;
	struct stat st;
	size_t i;
	int fd;

	if (argc != 2)
		die("usage: xbench sum FILE");
	fd = open(argv[1], O_RDONLY);
	if (fd < 0 || fstat(fd, &st))
		die("%s: %s", argv[1], strerror(errno));
	if (st.st_size) {
		m = mmap(NULL, st.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
		if (m == MAP_FAILED)
			die("%s: mmap: %s", argv[1], strerror(errno));
		for (i = 0; i + 8 <= (size_t)st.st_size; i += 8) {
			uint64_t v;

			memcpy(&v, m + i, 8);
			h = (h ^ v) * 1099511628211ULL;
		}
		for (; i < (size_t)st.st_size; i++)
			h = (h ^ m[i]) * 1099511628211ULL;
	}
	printf("%016llx %llu\n", h, (unsigned long long)st.st_size);
	return 0;
}

int main(int argc, char **argv)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
	signal(SIGPIPE, SIG_IGN);
	if (argc >= 2 && !strcmp(argv[1], "pipe"))
		return cmd_pipe(argc - 1, argv + 1);
	if (argc >= 2 && !strcmp(argv[1], "cmd"))
		return cmd_cmd(argc - 1, argv + 1);
	if (argc >= 2 && !strcmp(argv[1], "gentext"))
		return cmd_gentext(argc - 1, argv + 1);
	if (argc >= 2 && !strcmp(argv[1], "sum"))
		return cmd_sum(argc - 1, argv + 1);
	fprintf(stderr, "usage: xbench pipe|cmd|gentext|sum ... (see the comment at the top of bench/xbench.c)\n");
	return 2;
}
