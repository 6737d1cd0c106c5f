/* stats.c: the trapping half of cdemo (see stats.h). */
#include "stats.h"

int mean_percent(const int *values, int count, int whole)
{
    int total = 0;
    for (int i = 0; i < count; i++)
        total = clamp_add(total, values[i]); /* @call-clamp */
    return percent(total / count, whole); /* @call-percent */
}
