/*
 * confdiff.h: what a reload from one config to another does with each
 * instance (confdiff.c; the caller owns the struct conf_diff it gets). The
 * one decision used by the reload itself (reload.c) and by `vipctl reload
 * --check`: an instance whose fixed part (conf_instance_fixed: everything
 * but the live keywords) is unchanged is kept, else restarted.
 */
#ifndef VIPD_CONFDIFF_H
#define VIPD_CONFDIFF_H

#include <stdbool.h>
#include <stddef.h>

struct conf;

enum conf_diff_kind { CONF_DIFF_KEPT, CONF_DIFF_RESTARTED, CONF_DIFF_ADDED };

struct conf_diff_inst {
	enum conf_diff_kind kind;
	char why[200]; /* restarted: the settings that differ ("virtual_router_id, interface") */
};

struct conf_diff {
	struct conf_diff_inst *inst; /* one per instance of the new config, in its order */
	size_t n;
	char **removed; /* names of the old config's instances the new one has not */
	size_t n_removed;
};

/* NULL when out of memory; old may be NULL (every instance added). */
struct conf_diff *conf_diff(const struct conf *old, const struct conf *nc);
void conf_diff_free(struct conf_diff *df);
bool conf_diff_kept(const struct conf_diff *df, size_t i); /* the new config's instance i */

#endif
