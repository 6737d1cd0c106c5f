/* main.c: cdemo, wasmscope's C debug-info fixture.
 *
 * Usage: cdemo WHOLE N...
 * Prints the mean of the N as a percentage of WHOLE. A WHOLE of 0 traps with
 * an integer division by zero inside the inlined helper `percent` (stats.h),
 * called from mean_percent (stats.c), called from main. */
#include <stdio.h>
#include <stdlib.h>

#include "stats.h"

#define MAX_VALUES 64

int main(int argc, char **argv)
{
    int values[MAX_VALUES];
    int count = 0;

    if (argc < 3) {
        fprintf(stderr, "usage: cdemo WHOLE N...\n");
        return 2;
    }
    int whole = atoi(argv[1]);
    for (int i = 2; i < argc && count < MAX_VALUES; i++)
        values[count++] = atoi(argv[i]);

    int pct = mean_percent(values, count, whole); /* @call */
    printf("%d%%\n", pct);
    return 0;
}
