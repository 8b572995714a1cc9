/*
 * fuzz_conf.c: libFuzzer target for the config parser, validation and dump.
 * A config that parses without errors must dump to a config that parses to
 * the same dump.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "conf/conf.h"

static void quiet(void *arg, enum conf_severity sev, const struct srcpos *pos, const char *msg)
{
	(void)arg, (void)sev, (void)pos, (void)msg;
}

static char *load_dump(const char *text, size_t len, int *errors)
{
	struct conf_opts o = {.diag = quiet, .no_include = true};
	struct conf *c;
	char *buf = NULL;
	size_t n = 0;

	if (conf_load_string("fuzz.conf", text, len, &o, &c) == 0)
		conf_validate(c, &o);
	*errors = c ? c->errors : 1;
	if (c && !c->errors) {
		FILE *f = open_memstream(&buf, &n);
		conf_dump(c, f);
		fclose(f);
	}
	conf_free(c);
	return buf;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	int errors;
	char *d1 = load_dump((const char *)data, size, &errors);

	if (d1) {
		char *d2 = load_dump(d1, strlen(d1), &errors);
		if (errors || !d2 || strcmp(d1, d2)) {
			fprintf(stderr,
			        "dump does not re-parse to itself:\n--- first\n%s--- second\n%s",
			        d1, d2 ? d2 : "(errors)\n");
			abort();
		}
		free(d2);
	}
	free(d1);
	return 0;
}
