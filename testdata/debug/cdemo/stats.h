/* stats.h: helpers for cdemo, wasmscope's C debug-info fixture.
 *
 * Both helpers are `static inline` and small, so clang inlines them at -O1
 * and above and DWARF describes them as DW_TAG_inlined_subroutine. Lines that
 * tests look up end with a marker comment (an at-sign plus a name, listed in
 * testdata/debug/README.md); tests grep for the marker instead of hard-coding
 * line numbers. */
#ifndef CDEMO_STATS_H
#define CDEMO_STATS_H

/* acc + x, saturating instead of overflowing. */
static inline int clamp_add(int acc, int x)
{
    long long sum = (long long)acc + x;
    if (sum > 2147483647LL) /* @inline */
        return 2147483647;
    if (sum < -2147483647LL - 1)
        return -2147483647 - 1;
    return (int)sum;
}

/* part as a percentage of whole. Traps (wasm i32.div_s) when whole is 0. */
static inline int percent(int part, int whole)
{
    return part * 100 / whole; /* @trap */
}

/* The mean of values[0..count) as a percentage of whole; count must be > 0. */
int mean_percent(const int *values, int count, int whole);

#endif
