// SPDX-License-Identifier: GPL-2.0
/*
 * Resource tests (group "resources"): memory comes back after many
 * map/transfer/unmap cycles, and lengths up to and past the address-space
 * limit give success or ENOMEM without consuming stream positions or memory.
 *
 * Leak oracle.  Counters are sampled after a warm-up, at checkpoints and at
 * the end, each time after RCU-deferred frees had time to run (files and
 * pipe inodes are freed after a grace period).  MemFree and MemAvailable
 * are taken plus the pages on the per-CPU free lists (res_sample()).
 * Tolerances:
 *   MemFree, MemAvailable: 8 MiB.  Free pages sit in per-CPU lists (pcp
 *     high is a few hundred pages per CPU and zone here) and LRU folio
 *     batches; that moves MemFree by a few MiB without any leak.  One
 *     leaked page per cycle is 40 MiB over 10,000 cycles.
 *   SUnreclaim, Slab: 256 KiB; KernelStack, PageTables, AnonPages,
 *     VmallocUsed: 1 MiB.  One leaked object of 32 bytes or more per
 *     cycle (a claim is ~128 bytes, its page array 8+ bytes) is >= 320 KiB.
 *   /proc/slabinfo (SLUB_DEBUG kernels only; the default SLUB_TINY kernel
 *     has none): active objects per cache may grow by at most
 *     max(64, 8 x objects per slab): partly filled slabs of two CPUs. One
 *     object per cycle is 10,000, above that for every cache (<= 512/slab).
 *     Every cache is shrunk before a sample (st_settle()), which
 *     also empties the KASAN quarantine of a debug kernel.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/mman.h>
#include <sys/resource.h>

#include "stress.h"

#define RES_CYCLES	10000
#define RES_WARMUP	200
#define RES_CHECK_EVERY	2000

static const struct {
	const char *key;
	long tol_kb;		/* allowed drop (Mem*) or growth (others) */
	int drop;		/* 1: a leak makes it smaller */
} res_keys[] = {
	{ "MemFree", 8192, 1 },
	{ "MemAvailable", 8192, 1 },
	{ "Slab", 256, 0 },
	{ "SUnreclaim", 256, 0 },
	{ "KernelStack", 1024, 0 },
	{ "PageTables", 1024, 0 },
	{ "AnonPages", 1024, 0 },
	{ "VmallocUsed", 1024, 0 },
};
#define RES_NKEYS (sizeof(res_keys) / sizeof(res_keys[0]))

#define RES_MAXCACHES 512
struct res_slab {
	char name[64];
	long active;
	long perslab;
};

#define RES_MAXALL 80
struct res_sample {
	long kb[RES_NKEYS];
	/* For the report only: every meminfo field and the per-CPU lists. */
	int nall;
	char allname[RES_MAXALL][24];
	long all[RES_MAXALL];
	long pcp_pages;		/* sum of "count:" in /proc/zoneinfo */
	int ncaches;		/* -1: no /proc/slabinfo */
	struct res_slab caches[RES_MAXCACHES];
};

static void res_sample(struct res_sample *s)
{
	char line[512];
	FILE *f;

	st_settle();
	for (unsigned int i = 0; i < RES_NKEYS; i++)
		s->kb[i] = st_meminfo(res_keys[i].key);
	s->nall = 0;
	f = fopen("/proc/meminfo", "r");
	while (f && s->nall < RES_MAXALL && fgets(line, sizeof(line), f))
		if (sscanf(line, "%23[^:]: %ld", s->allname[s->nall],
			   &s->all[s->nall]) == 2)
			s->nall++;
	if (f)
		fclose(f);
	s->pcp_pages = st_pcp_pages();
	/*
	 * Pages on the per-CPU free lists are free but not in MemFree; after
	 * large frees the lists grow (pcp high auto-tuning) and on an idle
	 * system shrink only slowly: measured 13.5 MiB after the GiB claims
	 * of res_aslimit, exactly MemFree's drop.  Count them as free.
	 */
	s->kb[0] += s->pcp_pages * (PG / 1024);
	s->kb[1] += s->pcp_pages * (PG / 1024);
	s->ncaches = -1;
	f = fopen("/proc/slabinfo", "r");
	if (!f)
		return;
	s->ncaches = 0;
	while (fgets(line, sizeof(line), f) && s->ncaches < RES_MAXCACHES) {
		struct res_slab *c = &s->caches[s->ncaches];
		long num, size;

		if (line[0] == '#' || !strncmp(line, "slabinfo", 8))
			continue;
		if (sscanf(line, "%63s %ld %ld %ld %ld", c->name, &c->active,
			   &num, &size, &c->perslab) == 5)
			s->ncaches++;
	}
	fclose(f);
}

/* The cache that grew most in the last comparison, for the summary. */
static char res_maxslab[64];
static long res_maxslab_d;

/*
 * Compare @now with @base; append the deltas to @out; return the number of
 * counters beyond tolerance (named in @bad).
 */
static int res_compare(const struct res_sample *base,
		       const struct res_sample *now, char *out, size_t outn,
		       char *bad, size_t badn)
{
	int nbad = 0;
	size_t o = 0, b = 0;

	out[0] = bad[0] = 0;
	for (unsigned int i = 0; i < RES_NKEYS; i++) {
		long d = now->kb[i] - base->kb[i];
		long grow = res_keys[i].drop ? -d : d;

		if (base->kb[i] < 0 || now->kb[i] < 0)
			continue;
		o += snprintf(out + o, o < outn ? outn - o : 0, "%s%s %+ld",
			      o ? " " : "", res_keys[i].key, d);
		if (grow > res_keys[i].tol_kb) {
			nbad++;
			b += snprintf(bad + b, b < badn ? badn - b : 0,
				      "%s %+ld kB (tolerance %ld) ",
				      res_keys[i].key, d, res_keys[i].tol_kb);
		}
	}
	res_maxslab_d = 0;
	res_maxslab[0] = 0;
	if (now->ncaches < 0 || base->ncaches < 0)
		return nbad;
	for (int i = 0; i < now->ncaches; i++) {
		const struct res_slab *c = &now->caches[i];

		for (int j = 0; j < base->ncaches; j++) {
			const struct res_slab *c0 = &base->caches[j];
			long tol = c->perslab * 8 > 64 ? c->perslab * 8 : 64;

			if (strcmp(c->name, c0->name))
				continue;
			if (c->active - c0->active > res_maxslab_d) {
				res_maxslab_d = c->active - c0->active;
				snprintf(res_maxslab, sizeof(res_maxslab), "%s", c->name);
			}
			if (c->active - c0->active > tol) {
				nbad++;
				b += snprintf(bad + b, b < badn ? badn - b : 0,
					      "slab %s %+ld objects (tolerance %ld) ",
					      c->name, c->active - c0->active, tol);
			}
			break;
		}
	}
	return nbad;
}

/* Print every meminfo field that moved, and the per-CPU list pages. */
static void res_report(const struct res_sample *base, const struct res_sample *now)
{
	printf("  meminfo deltas (kB):");
	for (int i = 0; i < now->nall && i < base->nall; i++)
		if (now->all[i] != base->all[i])
			printf(" %s %+ld", now->allname[i], now->all[i] - base->all[i]);
	printf("; pages on per-CPU lists %ld -> %ld\n", base->pcp_pages,
	       now->pcp_pages);
}

/*
 * Sample until the counters are within tolerance of @base, for at most 20
 * s: after a large free (the page arrays of GiB claims are MiBs) the
 * per-CPU free lists have grown (pcp high auto-tuning) and give pages back
 * to the buddy allocator, i.e. to MemFree, only as vmstat decays them over
 * seconds.  A leak does not go away.  Returns what res_compare() returns;
 * *@waited: seconds it took.
 */
static int res_settled(const struct res_sample *base, struct res_sample *now,
		       char *deltas, size_t dn, char *bad, size_t bn,
		       int *waited)
{
	int nbad;

	for (*waited = 0;; ++*waited) {
		res_sample(now);
		nbad = res_compare(base, now, deltas, dn, bad, bn);
		if (!nbad)
			return 0;
		if (*waited >= 20) {
			res_report(base, now);
			return nbad;
		}
		st_tick();
		sleep(1);
	}
}

/* Tail of the last claim page past @len must be zero (file-like fill). */
static void res_zero_tail(const unsigned char *p, size_t len, const char *what)
{
	size_t end = (len + PG - 1) & ~(PG - 1);

	for (size_t i = len; i < end; i++)
		if (p[i])
			st_fail("%s: byte %zu past the claim's end (%zu) is 0x%02x, not 0",
				what, i, len, p[i]);
}

/*
 * One cycle: pipe, a window committed in one or two msyncs into a claim, a
 * write() into a second claim, a read() after both, unmap, close.  Every
 * byte is checked; lengths vary, mostly partial pages.
 */
static size_t res_cycle(uint64_t *rs, uint64_t seed, unsigned char *buf)
{
	size_t n = 1 + st_rand(rs) % (3 * PG);
	size_t split = st_rand(rs) % (n + 1);
	size_t m = 1 + st_rand(rs) % (2 * PG + 100);
	int priv = !(st_rand(rs) & 3);
	unsigned char *w, *c, *c2;
	int fds[2];

	st_pipe(fds, 0, 0);
	w = st_window(fds[1], n);
	if (w == MAP_FAILED)
		st_fail("window of %zu: %s", n, strerror(errno));
	c = mmap(NULL, n, PROT_READ, priv ? MAP_PRIVATE : MAP_SHARED, fds[0], 0);
	if (c == MAP_FAILED)
		st_fail("claim of %zu: %s", n, strerror(errno));
	st_fill(w, seed, 0, n);
	if (msync(w, split, MS_SYNC) || msync(w, n, MS_SYNC))
		st_fail("msync %zu/%zu: %s", split, n, strerror(errno));
	st_expect(c, seed, 0, n, "window -> claim");
	res_zero_tail(c, n, "window -> claim");

	c2 = st_claim(fds[0], m);
	if (c2 == MAP_FAILED)
		st_fail("claim of %zu: %s", m, strerror(errno));
	st_fill(buf, seed, n, m);
	if (st_write_all(fds[1], buf, m) != (ssize_t)m)
		st_fail("write %zu: %s", m, strerror(errno));
	st_expect(c2, seed, n, m, "write() -> claim");
	res_zero_tail(c2, m, "write() -> claim");

	st_fill(buf, seed, n + m, 17);
	if (st_write_all(fds[1], buf, 17) != 17)
		st_fail("write 17: %s", strerror(errno));
	memset(buf, 0, 17);
	if (st_read_all(fds[0], buf, 17) != 17)
		st_fail("read after the claims: %s", strerror(errno));
	st_expect(buf, seed, n + m, 17, "read() after the claims");

	if (munmap(w, n) || munmap(c, n) || munmap(c2, m))
		st_fail("munmap: %s", strerror(errno));
	close(fds[0]);
	close(fds[1]);
	return n + m + 17;
}

ST_TEST(res_cycles, "resources",
	"10,000 cycles pipe/mmap both ends/transfer/munmap/close: bytes exact, meminfo + slabinfo back to baseline")
{
	static struct res_sample base, now;
	char deltas[512], bad[1024];
	unsigned char *buf = malloc(4 * PG);
	uint64_t rs = 0x5eed1234abcdULL;
	double t0, t1;
	int cycle, waited;

	if (!buf)
		st_fail("malloc");
	for (cycle = 0; cycle < RES_WARMUP; cycle++) {
		st_count(1, res_cycle(&rs, cycle, buf));
	}
	res_sample(&base);
	st_log("baseline MemFree %ld kB, slabinfo %s", base.kb[0],
	       base.ncaches < 0 ? "absent" : "present");
	t0 = st_now();
	for (cycle = 1; cycle <= RES_CYCLES; cycle++) {
		st_count(1, res_cycle(&rs, cycle * 7919ULL, buf));
		if (cycle % RES_CHECK_EVERY)
			continue;
		t1 = st_now();
		if (res_settled(&base, &now, deltas, sizeof(deltas), bad,
				sizeof(bad), &waited))
			st_fail("after %d cycles, beyond tolerance for %d s: %s(all kB deltas: %s)",
				cycle, waited, bad, deltas);
		t0 += st_now() - t1;	/* sampling time is not cycle time */
		st_log("%d cycles: %s", cycle, deltas);
		if (cycle != RES_CHECK_EVERY && cycle != RES_CYCLES)
			continue;
		if (res_maxslab[0])
			st_summary("after %d cycles kB%s: %s, largest slab growth %s %+ld objects",
				   cycle, waited ? " (settled)" : "", deltas,
				   res_maxslab, res_maxslab_d);
		else
			st_summary("after %d cycles kB%s: %s", cycle,
				   waited ? " (settled)" : "", deltas);
	}
	st_summary("%d cycles (+%d warm-up), %.0f cycles/s; tolerance MemFree/MemAvailable (+ per-CPU free lists) 8 MiB, Slab/SUnreclaim 256 KiB, others 1 MiB; slabinfo %s",
		   RES_CYCLES, RES_WARMUP, RES_CYCLES / (st_now() - t0),
		   base.ncaches < 0 ? "absent (SLUB_TINY kernel): slab caches checked via Slab/SUnreclaim only"
				    : "compared per cache (max(64, 8 x objs/slab))");
	free(buf);
	return 0;
}

/*
 * One mmap of @len on a fresh pipe holding 64 stream bytes.  @expect:
 * 1 must succeed, 0 must fail with ENOMEM, -1 either.  On success the
 * mapping works (claim: page 0 shows the 64 bytes and zeros at EOF; window:
 * a commit appends); on failure the stream position did not move.
 * Returns 1 when mapped.
 */
static int res_try(int claim, size_t len, int expect, uint64_t seed)
{
	unsigned char b[256];
	unsigned char *p;
	int fds[2], ok;

	st_pipe(fds, 0, 0);
	st_fill(b, seed, 0, 64);
	if (st_write_all(fds[1], b, 64) != 64)
		st_fail("write: %s", strerror(errno));
	p = claim ? st_claim(fds[0], len) : st_window(fds[1], len);
	ok = p != MAP_FAILED;
	if (!ok && errno != ENOMEM)
		st_fail("%s of %zu: errno %d (%s), expected %sENOMEM",
			claim ? "claim" : "window", len, errno, strerror(errno),
			expect < 0 ? "success or " : "");
	if (expect == 1 && !ok)
		st_fail("%s of %zu (within the limit): ENOMEM",
			claim ? "claim" : "window", len);
	if (expect == 0 && ok)
		st_fail("%s of %zu (beyond the limit) succeeded",
			claim ? "claim" : "window", len);
	if (ok && claim) {
		size_t m = len < 64 ? len : 64, r;

		/* EOF: page 0 holds the claimed bytes, then zero fill. */
		close(fds[1]);
		fds[1] = -1;
		st_expect(p, seed, 0, m, "claim page 0 at EOF");
		for (size_t i = m; i < PG; i++)
			if (p[i])
				st_fail("claim of %zu: byte %zu past EOF is 0x%02x",
					len, i, p[i]);
		/* The unclaimed rest, then EOF. */
		r = st_read_all(fds[0], b, sizeof(b));
		if (r != 64 - m)
			st_fail("claim of %zu: read %zd bytes after it, expected %zu",
				len, (ssize_t)r, 64 - m);
		st_expect(b, seed, m, r, "read() after a claim");
	} else if (ok) {
		size_t m = len < 100 ? len : 100;

		st_fill(p, seed, 64, m);
		if (msync(p, m, MS_SYNC))
			st_fail("msync of a window of %zu: %s", len, strerror(errno));
		if (st_read_all(fds[0], b, 64 + m) != (ssize_t)(64 + m))
			st_fail("read back: %s", strerror(errno));
		st_expect(b, seed, 0, 64 + m, "pre-written bytes + commit");
	} else {
		/* A failed mmap claims and appends nothing. */
		if (st_read_all(fds[0], b, 64) != 64)
			st_fail("read after failed mmap: %s", strerror(errno));
		st_expect(b, seed, 0, 64, "read() after a failed mmap");
		st_fill(b, seed, 64, 10);
		if (st_write_all(fds[1], b, 10) != 10 ||
		    st_read_all(fds[0], b, 10) != 10)
			st_fail("write/read after failed mmap: %s", strerror(errno));
		st_expect(b, seed, 64, 10, "write()+read() after a failed mmap");
	}
	if (ok && munmap(p, len))
		st_fail("munmap %zu: %s", len, strerror(errno));
	close(fds[0]);
	if (fds[1] >= 0)
		close(fds[1]);
	return ok;
}

ST_TEST(res_aslimit, "resources",
	"claims/windows growing to and past RLIMIT_AS: success or ENOMEM as specified, no stream position consumed, memory back")
{
	static struct res_sample base, now;
	const size_t head = 64UL << 20;
	struct rlimit old, lim;
	char deltas[512], bad[1024];
	long vm;
	int mapped = 0, refused = 0, waited;
	/* Within the limit (a margin for libc's own mappings) ... */
	const size_t inside[] = { 1, PG, PG + 1, (1UL << 20) + 3,
				  (16UL << 20) - 5, head - (8UL << 20) };
	/* ... and past it, up to lengths no address space holds. */
	const size_t outside[] = { head + PG, 2 * head, 1UL << 30, 1UL << 40,
				   1UL << 46, (1UL << 47) - PG, 1UL << 56,
				   ~0UL - PG };
	/* No rlimit: kvcalloc of up to 128 MiB; success or ENOMEM. */
	const size_t big[] = { 1UL << 30, 16UL << 30, 64UL << 30 };
	uint64_t seed = 77;

	res_sample(&base);
	if (getrlimit(RLIMIT_AS, &old))
		st_fail("getrlimit: %s", strerror(errno));
	for (int claim = 0; claim < 2; claim++) {
		vm = st_proc_kb("/proc/self/status", "VmSize");
		if (vm < 0)
			st_fail("VmSize unknown");
		lim.rlim_cur = vm * 1024UL + head;
		lim.rlim_max = old.rlim_max;
		if (setrlimit(RLIMIT_AS, &lim))
			st_fail("setrlimit AS %lu: %s", (unsigned long)lim.rlim_cur,
				strerror(errno));
		for (unsigned int i = 0; i < sizeof(inside) / sizeof(inside[0]); i++) {
			mapped += res_try(claim, inside[i], 1, seed++);
			st_count(1, 64);
		}
		for (unsigned int i = 0; i < sizeof(outside) / sizeof(outside[0]); i++) {
			refused += !res_try(claim, outside[i], 0, seed++);
			st_count(1, 64);
		}
		if (setrlimit(RLIMIT_AS, &old))
			st_fail("restoring RLIMIT_AS: %s", strerror(errno));
		for (unsigned int i = 0; i < sizeof(big) / sizeof(big[0]); i++) {
			long f0 = st_meminfo("MemFree"), f1;

			if (res_try(claim, big[i], -1, seed++))
				mapped++;
			else
				refused++;
			st_count(1, 64);
			usleep(300000 * st_scale);
			f1 = st_meminfo("MemFree");
			st_log("%s of %zu GiB: MemFree %+ld kB", claim ? "claim" : "window",
			       big[i] >> 30, f1 - f0);
		}
	}
	if (res_settled(&base, &now, deltas, sizeof(deltas), bad, sizeof(bad),
			&waited))
		st_fail("memory beyond tolerance %d s after the run: %s(all kB deltas: %s)",
			waited, bad, deltas);
	st_summary("RLIMIT_AS = VmSize + 64 MiB: %d mapped, %d ENOMEM (lengths 1 B .. 2^64-4K; no-limit 1/16/64 GiB: success or ENOMEM); kB deltas after %d s: %s",
		   mapped, refused, waited, deltas);
	return 0;
}

/*
 * README: "huge claims (TiB) fail with ENOMEM in kvcalloc".  The page
 * array of a claim or window of more than 1 TiB is over INT_MAX bytes,
 * which kvmalloc refuses; the oracle here is ENOMEM and an untouched
 * stream; run-guest.sh also fails the run if that leaves a WARNING in the
 * console (a user must not be able to trigger kernel warnings).
 */
ST_TEST(res_huge, "resources",
	"claims/windows of 2 TiB .. 64 TiB (no rlimit): ENOMEM, stream untouched, no kernel warning, memory back")
{
	static struct res_sample base, now;
	const size_t huge[] = { 2UL << 40, 16UL << 40, 64UL << 40 };
	char deltas[512], bad[1024];
	uint64_t seed = 991;
	int waited, kmsg;

	res_sample(&base);
	/* Kernel messages from here on: a WARNING fails the test itself. */
	kmsg = open("/dev/kmsg", O_RDONLY | O_NONBLOCK);
	if (kmsg >= 0)
		lseek(kmsg, 0, SEEK_END);
	for (int claim = 0; claim < 2; claim++)
		for (unsigned int i = 0; i < sizeof(huge) / sizeof(huge[0]); i++) {
			res_try(claim, huge[i], 0, seed++);
			st_count(1, 64);
		}
	while (kmsg >= 0) {
		char rec[1024];
		ssize_t r = read(kmsg, rec, sizeof(rec) - 1);

		if (r < 0 && errno == EPIPE)
			continue;	/* overwritten records */
		if (r <= 0)
			break;
		rec[r] = 0;
		if (strstr(rec, "WARNING:") || strstr(rec, "BUG:"))
			st_fail("a huge mmap left a kernel warning: %s",
				strchr(rec, ';') ? strchr(rec, ';') + 1 : rec);
	}
	if (kmsg >= 0)
		close(kmsg);
	if (res_settled(&base, &now, deltas, sizeof(deltas), bad, sizeof(bad),
			&waited))
		st_fail("memory beyond tolerance: %s(all kB deltas: %s)", bad, deltas);
	st_summary("2/16/64 TiB claims and windows: ENOMEM, no kernel warning%s; kB deltas: %s",
		   kmsg < 0 ? " (/dev/kmsg unreadable: console check only)" : "", deltas);
	return 0;
}
