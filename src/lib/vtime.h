/*
 * vtime.h: time as the engine and the loop see it, microseconds on
 * CLOCK_MONOTONIC (the loop reads the clock; the engine is handed it).
 */
#ifndef VIPD_VTIME_H
#define VIPD_VTIME_H

#include <stdint.h>

typedef int64_t vtime_t;
#define VTIME_NEVER INT64_MAX
#define VTIME_SEC   1000000LL

#endif
