/*
 * kadump.h: keepalived's JSON dump (SIGJSON, `keepalived --signum=JSON`),
 * for the exporters and tools that read /tmp/keepalived.json.
 */
#ifndef VIPD_KADUMP_H
#define VIPD_KADUMP_H

struct vipd;

/* The dump as keepalived 2.2.7 writes it (malloc'd; NULL out of memory). */
char *kadump_json(struct vipd *d);

#endif
