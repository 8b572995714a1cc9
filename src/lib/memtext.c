/*
 * memtext.c: text built in memory by a writer function (see memtext.h).
 */
#include <stdlib.h>

#include "lib/memtext.h"

char *memtext(void (*fn)(FILE *, void *), void *arg)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	if (!f)
		return NULL;
	fn(f, arg);
	if (fclose(f) != 0) {
		free(buf);
		return NULL;
	}
	return buf;
}
