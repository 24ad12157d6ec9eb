/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Input for mcat, mwc, mgrep: a file or a pipe, consumed through mmap()
 * where the kernel allows it, else through read().
 *
 * Regular files are mapped whole (MAP_PRIVATE). Pipes are mapped like a
 * file of unknown size: one large claim (xin_claim bytes of address space)
 * at a time, read as far as the end query (ioctl PIPE_IOC_CLAIM_END) says
 * the stream has come, and ended where it says the count is final. On a
 * kernel without mmap() of pipes the first mmap() fails; the program then
 * says so once on stderr and reads instead.
 */
#ifndef XIN_H
#define XIN_H

#include <stddef.h>

struct xin {
	int fd;
	const char *name;
	int mode;		/* XIN_FILE, XIN_PIPE, XIN_READ */
	int done;
	unsigned char *map;	/* current mapping */
	size_t map_len;
	unsigned char *buf;	/* read() buffer */
	size_t buf_size;
	size_t pos;		/* bytes of the current claim handed out */
	size_t unmapped;	/* its pages below this are unmapped */
	unsigned long long bytes;
	unsigned long nmaps;
	unsigned long waits;	/* loads that waited for a page */
};

enum { XIN_FILE, XIN_PIPE, XIN_READ };

extern const char *xin_prog;	/* program name for messages */
extern int xin_force_read;	/* --read */
extern size_t xin_claim;	/* bytes claimed per mmap() of a pipe */

/*
 * The options every program takes, first: --read (read(), no mmap) and
 * --claim SIZE (bytes claimed per mmap() of a pipe; default 256M; "avail":
 * what FIONREAD reports, the way before the end query). The index
 * of the first other argument, or -1 with a message printed.
 */
int xin_options(int argc, char **argv);
/* Open @name ("-" is stdin); 0 or -1 with a message printed. */
int xin_open(struct xin *in, const char *name);
/*
 * The next chunk of input: 1 with *p, *n set (valid until the next call),
 * 0 at EOF, -1 on error (message printed).
 */
int xin_next(struct xin *in, const unsigned char **p, size_t *n);
void xin_close(struct xin *in);
/* Parse "256M", "1G", "4096", "64k". */
unsigned long long xin_size(const char *s);

#endif
