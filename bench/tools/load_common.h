// What the C load tools share (live_load.c, auction_load.c): errors, the monotonic clock, the server's resident
// memory and CPU time, and percentiles. Each tool defines `pid` (the server's process id) before including this file.
#ifndef LOAD_COMMON_H
#define LOAD_COMMON_H
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static void fail(const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
    exit(1);
}

static double now(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + ts.tv_nsec / 1e9;
}

// The server's VmRSS, from /proc.
static long rss_kib(void) {
    char path[64], line[256];
    snprintf(path, sizeof path, "/proc/%d/status", pid);
    FILE *f = fopen(path, "r");
    if (!f) fail("cannot read %s", path);
    long kib = -1;
    while (fgets(line, sizeof line, f))
        if (sscanf(line, "VmRSS: %ld", &kib) == 1) break;
    fclose(f);
    return kib;
}

// The server's CPU time so far (user + system), from /proc.
static double cpu_seconds(void) {
    char path[64], buf[4096];
    snprintf(path, sizeof path, "/proc/%d/stat", pid);
    FILE *f = fopen(path, "r");
    if (!f) fail("cannot read %s", path);
    size_t n = fread(buf, 1, sizeof buf - 1, f);
    fclose(f);
    buf[n] = 0;
    char *p = strrchr(buf, ')');
    unsigned long utime = 0, stime = 0;
    // After ")": state(3) ppid … utime is field 14, stime 15 of the whole line, i.e. the 12th and 13th here.
    if (!p || sscanf(p + 2, "%*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %lu %lu", &utime, &stime) != 2)
        fail("cannot parse %s", path);
    return (double)(utime + stime) / sysconf(_SC_CLK_TCK);
}

static int cmp_double(const void *a, const void *b) {
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

// The nearest-rank percentile of `values` as a JSON member, `null` when there are none.
static void print_pct(const char *key, double *values, int n, double p) {
    if (!n) { printf("\"%s\": null", key); return; }
    double *v = malloc(n * sizeof *v);
    memcpy(v, values, n * sizeof *v);
    qsort(v, n, sizeof *v, cmp_double);
    int i = (int)(p / 100 * (n - 1) + 0.5);  // nearest rank, as live_load.py rounded
    printf("\"%s\": %.3f", key, v[i < n ? i : n - 1]);
    free(v);
}

#endif
