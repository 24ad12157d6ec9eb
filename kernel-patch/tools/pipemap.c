// SPDX-License-Identifier: GPL-2.0
/*
 * pipemap [--read] [-w WINDOW] [-c COMMIT] [-r CLAIM] SIZE
 *
 * The test program of the extended mmap() thesis, for Linux pipes: a writer
 * and a reader process joined by a pipe move SIZE bytes (e.g. 256M).
 * The writer maps write windows of WINDOW bytes on the write end, fills
 * them with a position dependent pattern and commits them with
 * msync(MS_SYNC) in steps of COMMIT bytes; the reader maps claims of CLAIM
 * bytes on the read end and checks every byte by loading it.  Sizes are
 * deliberately not page multiples by default, so claims and commits start
 * at byte granular stream positions.  With --read (or on a kernel without
 * mmap() of pipes) the same transfer uses write() and read().
 * Prints the throughput; exits 0 only if every byte was verified.
 */
#define _GNU_SOURCE
#include "xin.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/mman.h>
#include <sys/wait.h>

/* Byte @pos of the stream: bytes of 64-bit words, one per 8 positions. */
static void gen(unsigned char *dst, unsigned long long pos, size_t n)
{
	while (n) {
		unsigned long long w = pos >> 3;
		uint64_t v = (w + 1) * 0x9E3779B97F4A7C15ULL;
		unsigned int b = pos & 7;

		v ^= v >> 29;
		if (b == 0 && n >= 8) {
			memcpy(dst, &v, 8);
			dst += 8;
			pos += 8;
			n -= 8;
			continue;
		}
		*dst++ = (unsigned char)(v >> (8 * b));
		pos++;
		n--;
	}
}

static double now(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec + t.tv_nsec / 1e9;
}

static int use_read;
static size_t window = (1 << 20) + 3, commit = 65537, claim = (1 << 20) - 5;

static int writer(int fd, unsigned long long size)
{
	unsigned long long pos = 0;

	if (use_read) {
		unsigned char *b = malloc(window);

		while (pos < size) {
			size_t n = size - pos < window ? size - pos : window, done = 0;

			gen(b, pos, n);
			while (done < n) {
				ssize_t w = write(fd, b + done, n - done);

				if (w < 0) {
					perror("pipemap: write");
					return 1;
				}
				done += w;
			}
			pos += n;
		}
		return 0;
	}
	while (pos < size) {
		size_t n = size - pos < window ? size - pos : window, c = 0;
		unsigned char *w = mmap(NULL, n, PROT_READ | PROT_WRITE,
					MAP_SHARED, fd, 0);

		if (w == MAP_FAILED) {
			perror("pipemap: mmap of the write end");
			return 1;
		}
		gen(w, pos, n);
		while (c < n) {
			c = c + commit < n ? c + commit : n;
			if (msync(w, c, MS_SYNC)) {
				perror("pipemap: msync");
				return 1;
			}
		}
		munmap(w, n);
		pos += n;
	}
	return 0;
}

static int reader(int fd, unsigned long long size)
{
	unsigned char *expect = malloc(claim > window ? claim : window);
	unsigned char *b = malloc(claim);
	unsigned long long pos = 0;

	while (pos < size) {
		size_t n = size - pos < claim ? size - pos : claim;
		const unsigned char *m;

		if (use_read) {
			size_t done = 0;

			while (done < n) {
				ssize_t r = read(fd, b + done, n - done);

				if (r <= 0) {
					fprintf(stderr, "pipemap: read: %s at %llu\n",
						r ? strerror(errno) : "early EOF", pos + done);
					return 1;
				}
				done += r;
			}
			m = b;
		} else {
			m = mmap(NULL, n, PROT_READ, MAP_SHARED, fd, 0);
			if (m == MAP_FAILED) {
				perror("pipemap: mmap of the read end");
				return 1;
			}
		}
		gen(expect, pos, n);
		if (memcmp(m, expect, n)) {
			size_t i = 0;

			while (m[i] == expect[i])
				i++;
			fprintf(stderr, "pipemap: MISMATCH at stream byte %llu: got 0x%02x, want 0x%02x\n",
				pos + i, m[i], expect[i]);
			return 1;
		}
		if (!use_read)
			munmap((void *)m, n);
		pos += n;
	}
	return 0;
}

int main(int argc, char **argv)
{
	unsigned long long size;
	int p[2], opt, status, rc;
	double t0, t1;
	pid_t pid;
	void *m;

	while ((opt = getopt(argc, argv, "w:c:r:R-:")) != -1) {
		switch (opt) {
		case 'w': window = xin_size(optarg); break;
		case 'c': commit = xin_size(optarg); break;
		case 'r': claim = xin_size(optarg); break;
		case '-':
			if (!strcmp(optarg, "read")) {
				use_read = 1;
				break;
			}
			/* fall through */
		default:
			fprintf(stderr, "usage: pipemap [--read] [-w WINDOW] [-c COMMIT] [-r CLAIM] SIZE\n");
			return 2;
		}
	}
	if (optind >= argc || !window || !commit || !claim) {
		fprintf(stderr, "usage: pipemap [--read] [-w WINDOW] [-c COMMIT] [-r CLAIM] SIZE\n");
		return 2;
	}
	size = xin_size(argv[optind]);
	if (pipe(p)) {
		perror("pipemap: pipe");
		return 1;
	}
	if (!use_read) {
		m = mmap(NULL, 1, PROT_READ, MAP_SHARED, p[0], 0);
		if (m == MAP_FAILED) {
			fprintf(stderr, "pipemap: this kernel cannot mmap() a pipe (%s); falling back to read()/write()\n",
				strerror(errno));
			use_read = 1;
		} else {
			/* That claimed one byte: move it through as well. */
			if (write(p[1], "", 1) != 1 || ((volatile char *)m)[0])
				return 1;
			munmap(m, 1);
		}
	}
	t0 = now();
	pid = fork();
	if (pid < 0) {
		perror("pipemap: fork");
		return 1;
	}
	if (pid == 0) {
		close(p[0]);
		_exit(writer(p[1], size));
	}
	close(p[1]);
	rc = reader(p[0], size);
	if (!rc) {
		char c;

		if (read(p[0], &c, 1) != 0) {
			fprintf(stderr, "pipemap: bytes after the end of the stream\n");
			rc = 1;
		}
	}
	close(p[0]);
	if (waitpid(pid, &status, 0) != pid || !WIFEXITED(status) ||
	    WEXITSTATUS(status))
		rc = 1;
	t1 = now();
	printf("pipemap: %s %llu bytes (window %zu, commit %zu, claim %zu): %s, %.2f s, %.1f MiB/s\n",
	       use_read ? "write()/read()" : "mmap/msync/loads", size, window,
	       commit, claim, rc ? "FAILED" : "every byte verified",
	       t1 - t0, size / (t1 - t0) / 1048576.0);
	return rc;
}
