/*
 * memtext.h: text built in memory by a function that writes to a FILE
 * (open_memstream), for replies, dumps and pages the daemon hands out whole.
 * The caller owns the returned string and frees it.
 */
#ifndef VIPD_MEMTEXT_H
#define VIPD_MEMTEXT_H

#include <stdio.h>

/* What fn(f, arg) writes, NUL-terminated; NULL when out of memory. */
char *memtext(void (*fn)(FILE *, void *), void *arg);

#endif
