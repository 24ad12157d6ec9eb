// SPDX-License-Identifier: GPL-2.0
/*
 * mwc [--read] [--claim SIZE] [FILE...]: wc (lines, words, bytes) that maps its input.
 * Output format and counting as GNU wc (coreutils 9) in the C locale: white
 * space (space, \t, \n, \v, \f, \r) ends a word, a printable byte starts
 * one, other bytes do neither.
 */
#include "xin.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

struct counts {
	unsigned long long lines, words, bytes;
};

static unsigned char cls[256];	/* 0 other, 1 space, 2 printable */

static void count(struct counts *c, int *in_word, const unsigned char *p, size_t n)
{
	unsigned long long lines = 0, words = 0;
	int w = *in_word;
	size_t i;

	for (i = 0; i < n; i++) {
		unsigned char ch = p[i];

		if (cls[ch] == 1) {
			if (ch == '\n')
				lines++;
			w = 0;
		} else if (cls[ch] == 2 && !w) {
			w = 1;
			words++;
		}
	}
	*in_word = w;
	c->lines += lines;
	c->words += words;
	c->bytes += n;
}

static int digits(unsigned long long v)
{
	int d = 1;

	while (v >= 10) {
		v /= 10;
		d++;
	}
	return d;
}

int main(int argc, char **argv)
{
	struct counts total = { 0 }, *c;
	const unsigned char *p;
	struct xin in;
	int i = 1, first, nfiles, rc = 0, width, r, k;
	unsigned long long size_sum = 0;
	int nonreg = 0;
	size_t n;

	xin_prog = "mwc";
	for (k = 0; k < 256; k++)
		cls[k] = k == ' ' || (k >= '\t' && k <= '\r') ? 1 :
			 k > ' ' && k < 127 ? 2 : 0;
	i = xin_options(argc, argv);
	if (i < 0)
		return 2;
	first = i;
	nfiles = argc - first;

	/* GNU wc: width from the total size of regular files, else 7. */
	for (k = first; k < argc || (nfiles == 0 && k == first); k++) {
		struct stat st;
		const char *name = nfiles ? argv[k] : "-";

		if ((!strcmp(name, "-") ? fstat(0, &st) : stat(name, &st)) ||
		    !S_ISREG(st.st_mode))
			nonreg = 1;
		else
			size_sum += st.st_size;
	}
	width = digits(size_sum);
	if (nonreg && width < 7)
		width = 7;

	c = calloc(nfiles ? nfiles : 1, sizeof(*c));
	for (k = 0; k < (nfiles ? nfiles : 1); k++) {
		const char *name = nfiles ? argv[first + k] : "-";
		int in_word = 0;

		if (xin_open(&in, name)) {
			rc = 1;
			continue;
		}
		while ((r = xin_next(&in, &p, &n)) > 0)
			count(&c[k], &in_word, p, n);
		if (r < 0)
			rc = 1;
		xin_close(&in);
		total.lines += c[k].lines;
		total.words += c[k].words;
		total.bytes += c[k].bytes;
		if (nfiles)
			printf("%*llu %*llu %*llu %s\n", width, c[k].lines, width,
			       c[k].words, width, c[k].bytes, name);
		else
			printf("%*llu %*llu %*llu\n", width, c[k].lines, width,
			       c[k].words, width, c[k].bytes);
	}
	if (nfiles > 1)
		printf("%*llu %*llu %*llu total\n", width, total.lines, width,
		       total.words, width, total.bytes);
	return rc;
}
