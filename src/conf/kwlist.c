/*
 * kwlist.c: the list of every keyword vipd knows, from the keyword tables
 * themselves (keywords.c, parse.c kw_top), with what vipd does with each:
 * "acted", "extension" (vipd's own), "unsupported" or "no-effect" with the
 * reason its warning gives. `vipd --keywords` prints it; the keyword walk
 * test and the README table are built from it.
 */
#include "conf/kwlist.h"
#include "conf/keywords.h"

static const char *kw_class(const struct kw *k)
{
	if (k->type == A_UNSUPPORTED)
		return "unsupported";
	if (k->type == A_NOEFFECT)
		return "no-effect";
	return k->flags & KW_EXT ? "extension" : "acted";
}

static void list_table(FILE *f, const char *block, const struct kw *tab)
{
	for (; tab->name; tab++) {
		fprintf(f, "%s %s %s%s%s\n", block, tab->name, kw_class(tab), tab->why ? " " : "",
		        tab->why ? tab->why : "");
		if (tab->sub) {
			char path[128];
			if (*block == '-')
				snprintf(path, sizeof(path), "%s", tab->name);
			else
				snprintf(path, sizeof(path), "%s.%s", block, tab->name);
			list_table(f, path, tab->sub);
		}
	}
}

void conf_keywords_list(FILE *f)
{
	list_table(f, "-", kw_top);
}
