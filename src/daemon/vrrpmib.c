/*
 * vrrpmib.c: VRRPV3-MIB (RFC 6527, vrrpv3MIB 1.3.6.1.2.1.207), read only,
 * served by an AgentX subagent (linux/agentx.c) when enable_snmp_rfcv3 or
 * enable_snmp_rfc is set, towards snmp_socket. One handler covers
 * vrrpv3Objects: at each request it renders every object (a few per
 * instance) from struct instance and its struct inst_stats into a sorted
 * list, and answers GET and GETNEXT from it (GETBULK by net-snmp's
 * bulk_to_next). Nothing is counted twice: the counters are the ones
 * metrics.c reports. enable_traps: vrrpv3NewMaster, vrrpv3ProtoError.
 * Owns struct vipd's agentx.
 *
 * Rows: one per instance whose interface exists (ifIndex 0 has no row),
 * indexed by ifIndex, VrId, InetAddressType. TimeStamp objects count
 * hundredths of a second since vipd started, not the master's sysUpTime.
 */
#include <net-snmp/net-snmp-config.h>
#include <net-snmp/net-snmp-includes.h>
#include <net-snmp/agent/net-snmp-agent-includes.h>
#include <stdlib.h>
#include <string.h>

#include "daemon/vrrpmib.h"
#include "conf/conf.h"
#include "daemon/daemon.h"
#include "daemon/instance.h"
#include "daemon/vsock.h"
#include "lib/log.h"
#include "linux/agentx.h"
#include "linux/loop.h"

#define MIB_OID_MAX 48
#define TV_TRUE     1 /* TruthValue */
#define TV_FALSE    2

static const oid mib[] = {1, 3, 6, 1, 2, 1, 207};
static const oid trap_oid[] = {1, 3, 6, 1, 6, 3, 1, 1, 4, 1, 0}; /* snmpTrapOID.0 */

struct cell {
	oid name[MIB_OID_MAX];
	size_t len;
	u_char type;
	union {
		long i;
		u_long u;
		struct counter64 c64;
		u_char s[16];
	} v;
	size_t vlen;
};

struct snap {
	struct cell *c;
	size_t n, cap;
};

static struct vipd *the_d; /* the handler's: one daemon per process */

/* vrrpv3MIB.1.tail.col.idx as a new cell; NULL when out of memory. */
static struct cell *cell(struct snap *s, const oid *tail, size_t tn, oid col, const oid *idx,
                         size_t in)
{
	struct cell *c;

	if (s->n == s->cap) {
		size_t cap = s->cap ? 2 * s->cap : 64;
		struct cell *nc = realloc(s->c, cap * sizeof(*nc));
		if (!nc)
			return NULL;
		s->c = nc, s->cap = cap;
	}
	c = &s->c[s->n++];
	memset(c, 0, sizeof(*c));
	memcpy(c->name, mib, sizeof(mib));
	c->len = OID_LENGTH(mib);
	c->name[c->len++] = 1; /* vrrpv3Objects */
	for (size_t i = 0; i < tn; i++)
		c->name[c->len++] = tail[i];
	c->name[c->len++] = col;
	for (size_t i = 0; i < in && c->len < MIB_OID_MAX; i++)
		c->name[c->len++] = idx[i];
	return c;
}

static void put_int(struct snap *s, const oid *t, size_t tn, oid col, const oid *idx, size_t in,
                    u_char type, long v)
{
	struct cell *c = cell(s, t, tn, col, idx, in);

	if (c)
		c->type = type, c->v.i = v, c->vlen = sizeof(long);
}

static void put_c64(struct snap *s, const oid *t, size_t tn, oid col, const oid *idx, size_t in,
                    uint64_t v)
{
	struct cell *c = cell(s, t, tn, col, idx, in);

	if (!c)
		return;
	c->type = ASN_COUNTER64, c->vlen = sizeof(c->v.c64);
	c->v.c64.high = (u_long)(v >> 32), c->v.c64.low = (u_long)(v & 0xffffffffu);
}

static void put_str(struct snap *s, const oid *t, size_t tn, oid col, const oid *idx, size_t in,
                    const void *b, size_t len)
{
	struct cell *c = cell(s, t, tn, col, idx, in);

	if (c)
		c->type = ASN_OCTET_STR, memcpy(c->v.s, b, len), c->vlen = len;
}

static size_t fam_len(int family)
{
	return family == AF_INET6 ? 16 : 4;
}

/* TimeStamp: hundredths of a second since vipd started (0: before). */
static long stamp(const struct vipd *d, vtime_t t)
{
	return t > d->started_at ? (long)((t - d->started_at) / 10000) : 0;
}

/* RFC 6527 vrrpv3StatisticsNewMasterReason from vipd's class of the
 * transition: notMaster 0, priority 1, preempted 2, masterNoResponse 3. */
static long master_reason(const struct instance *in)
{
	if (!in->was_master)
		return 0;
	switch (in->master_why) {
	case FSM_CAUSE_PREEMPT:
		return 2;
	case FSM_CAUSE_MASTER_DOWN:
	case FSM_CAUSE_PRIORITY_ZERO:
	case FSM_CAUSE_STALLED:
		return 3;
	default:
		return 1; /* startup as owner, priority change, sync group */
	}
}

int vrrpmib_err_reason(enum vrrp_rx_reason r)
{
	switch (r) {
	case VRRP_RX_TTL:
		return 1; /* ipTtlError */
	case VRRP_RX_VERSION:
		return 2; /* versionError */
	case VRRP_RX_CHECKSUM:
		return 3; /* checksumError */
	case VRRP_RX_VRID:
		return 4; /* vrIdError */
	default:
		return 0; /* noError: vipd's other checks have no value here */
	}
}

/* A drop count of the instance plus its socket's (errors found before the
 * VRID is read are counted per socket: per interface and family). */
static uint64_t drops(const struct instance *in, enum vrrp_rx_reason r)
{
	return in->st.drops[r] + (in->sock ? in->sock->drops[r] : 0);
}

static size_t row_index(const struct instance *in, oid *idx)
{
	idx[0] = (oid)in->ifindex;
	idx[1] = (oid)in->c->vrid;
	idx[2] = in->c->family == AF_INET6 ? 2 : 1; /* InetAddressType */
	return 3;
}

/* vrrpv3OperationsEntry (columns 3-13; 1 and 2 are the index). */
static void operations(struct snap *s, const struct instance *in)
{
	static const oid t[] = {1, 1, 1};
	const struct addr *m = in->fsm.state == VRRP_STATE_MASTER   ? &in->primary
	                       : in->fsm.state == VRRP_STATE_BACKUP ? &in->fsm.master_addr
	                                                            : NULL;
	size_t al = fam_len(in->c->family);
	u_char zero[16] = {0}, mac[6] = {0, 0, 0x5e, 0, in->c->family == AF_INET6 ? 2 : 1};
	oid idx[3];
	size_t n = row_index(in, idx);

	mac[5] = (u_char)in->c->vrid;
	/* MasterIpAddr: ours as master, the master heard as backup, else 0s */
	put_str(s, t, 3, 3, idx, n, m && addr_is_set(m) ? m->u.bytes : zero, al);
	put_str(s, t, 3, 4, idx, n, addr_is_set(&in->primary) ? in->primary.u.bytes : zero, al);
	put_str(s, t, 3, 5, idx, n, mac, 6); /* the RFC's MAC, whether use_vmac or not */
	/* Status: initialize 1 (also vipd's Fault), backup 2, master 3 */
	put_int(s, t, 3, 6, idx, n, ASN_INTEGER,
	        in->fsm.state == VRRP_STATE_MASTER   ? 3
	        : in->fsm.state == VRRP_STATE_BACKUP ? 2
	                                             : 1);
	put_int(s, t, 3, 7, idx, n, ASN_UNSIGNED, in->fsm.priority); /* in force */
	put_int(s, t, 3, 8, idx, n, ASN_INTEGER, (long)in->n_vips);
	put_int(s, t, 3, 9, idx, n, ASN_INTEGER, (long)(in->c->advert_int_us / 10000));
	put_int(s, t, 3, 10, idx, n, ASN_INTEGER, in->c->nopreempt ? TV_FALSE : TV_TRUE);
	put_int(s, t, 3, 11, idx, n, ASN_INTEGER,
	        in->c->accept == CONF_NO ? TV_FALSE : TV_TRUE); /* vipd's default: accept */
	put_int(s, t, 3, 12, idx, n, ASN_TIMETICKS, stamp(in->d, in->up_at));
	put_int(s, t, 3, 13, idx, n, ASN_INTEGER, 1); /* RowStatus active */
}

/* vrrpv3AssociatedIpAddrEntry: the VIPs of the instance's family. */
static void associated(struct snap *s, const struct instance *in)
{
	static const oid t[] = {1, 2, 1};
	size_t al = fam_len(in->c->family);

	for (size_t i = 0; i < in->n_vips; i++) {
		oid idx[4 + 16];
		size_t n = row_index(in, idx);
		if (in->vips[i].family != in->c->family)
			continue;
		idx[n++] = al; /* InetAddress: length, then the octets */
		for (size_t b = 0; b < al; b++)
			idx[n++] = in->vips[i].u.bytes[b];
		put_int(s, t, 3, 2, idx, n, ASN_INTEGER, 1); /* RowStatus active */
	}
}

/* vrrpv3StatisticsEntry (AUGMENTS the operations entry). */
static void statistics(struct snap *s, const struct instance *in)
{
	static const oid t[] = {2, 5, 1};
	oid idx[3];
	size_t n = row_index(in, idx);
	/* ProtoErrReason: the instance's last such error, else its socket's */
	enum vrrp_rx_reason last = in->st.last_err ? in->st.last_err
	                           : in->sock      ? in->sock->last_err
	                                           : VRRP_RX_OK;

	put_int(s, t, 3, 1, idx, n, ASN_COUNTER, (long)(uint32_t)in->st.became_master);
	put_int(s, t, 3, 2, idx, n, ASN_INTEGER, master_reason(in));
	put_c64(s, t, 3, 3, idx, n, in->st.adverts_received); /* those that passed */
	put_c64(s, t, 3, 4, idx, n, drops(in, VRRP_RX_INTERVAL));
	put_c64(s, t, 3, 5, idx, n, drops(in, VRRP_RX_TTL));
	put_int(s, t, 3, 6, idx, n, ASN_INTEGER, vrrpmib_err_reason(last));
	put_c64(s, t, 3, 7, idx, n, in->st.prio0_received);
	put_c64(s, t, 3, 8, idx, n, in->st.prio0_sent);
	put_c64(s, t, 3, 9, idx, n, drops(in, VRRP_RX_TYPE));
	/* AddressListErrors: addresses other than ours, or none */
	put_c64(s, t, 3, 10, idx, n,
	        drops(in, VRRP_RX_ADDR_MISMATCH) + drops(in, VRRP_RX_COUNT_ZERO));
	put_c64(s, t, 3, 11, idx, n,
	        drops(in, VRRP_RX_SHORT) + drops(in, VRRP_RX_TRUNCATED) +
	            drops(in, VRRP_RX_COUNT_MISMATCH));
	put_int(s, t, 3, 12, idx, n, ASN_TIMETICKS, 0); /* counters start with the instance */
	/* RefreshRate (ms): the counters are read live; they move per advert */
	put_int(s, t, 3, 13, idx, n, ASN_UNSIGNED, (long)(in->c->advert_int_us / 1000));
}

/* vrrpv3RouterChecksumErrors, VersionErrors, VrIdErrors (.0): over every
 * socket and instance; DiscontinuityTime 0. */
static void globals(struct snap *s, const struct vipd *d)
{
	static const enum vrrp_rx_reason r[] = {VRRP_RX_CHECKSUM, VRRP_RX_VERSION, VRRP_RX_VRID};
	static const oid t[] = {2};
	const oid zero[] = {0};

	for (size_t k = 0; k < 3; k++) {
		uint64_t sum = 0;
		for (const struct vsock *vs = d->socks; vs; vs = vs->next)
			sum += vs->drops[r[k]];
		for (const struct instance *in = d->instances; in; in = in->next)
			sum += in->st.drops[r[k]];
		put_c64(s, t, 1, k + 1, zero, 1, sum);
	}
	put_int(s, t, 1, 4, zero, 1, ASN_TIMETICKS, 0);
}

static int by_oid(const void *a, const void *b)
{
	const struct cell *x = a, *y = b;

	return snmp_oid_compare(x->name, x->len, y->name, y->len);
}

static void render(struct snap *s, const struct vipd *d)
{
	for (const struct instance *in = d->instances; in; in = in->next) {
		if (in->deleted || in->ifindex <= 0)
			continue;
		operations(s, in);
		associated(s, in);
		statistics(s, in);
	}
	globals(s, d);
	qsort(s->c, s->n, sizeof(*s->c), by_oid);
}

/* The cell at name (exact), or the first after it. */
static const struct cell *lookup(const struct snap *s, const oid *name, size_t len, bool exact)
{
	for (size_t i = 0; i < s->n; i++) {
		int c = snmp_oid_compare(s->c[i].name, s->c[i].len, name, len);
		if (exact ? c == 0 : c > 0)
			return &s->c[i];
	}
	return NULL;
}

static int handler(netsnmp_mib_handler *h, netsnmp_handler_registration *reg,
                   netsnmp_agent_request_info *ri, netsnmp_request_info *req)
{
	struct snap s = {0};

	if (ri->mode != MODE_GET && ri->mode != MODE_GETNEXT)
		return SNMP_ERR_NOERROR; /* no SET: HANDLER_CAN_RONLY */
	render(&s, the_d);
	for (; req; req = req->next) {
		netsnmp_variable_list *vb = req->requestvb;
		const struct cell *c = lookup(&s, vb->name, vb->name_length, ri->mode == MODE_GET);
		if (req->processed)
			continue;
		if (!c) {
			if (ri->mode == MODE_GET)
				netsnmp_set_request_error(ri, req, SNMP_NOSUCHINSTANCE);
			continue; /* GETNEXT: past the end, the agent goes on */
		}
		if (ri->mode == MODE_GETNEXT)
			snmp_set_var_objid(vb, c->name, c->len);
		snmp_set_var_typed_value(vb, c->type, &c->v, c->vlen);
	}
	free(s.c);
	return SNMP_ERR_NOERROR;
}

static bool wanted(const struct conf_global *g)
{
	return g->snmp_rfcv3 || g->snmp_rfc;
}

static void start(struct vipd *d)
{
	const struct conf_global *g = &d->conf->global;
	oid base[OID_LENGTH(mib) + 1];
	netsnmp_handler_registration *reg;
	char why[128];

	if (!(d->agentx = agentx_open(d->loop, "vipd", g->snmp_socket, why, sizeof(why)))) {
		log_warnx("snmp: %s; no MIB served, VRRP goes on", why);
		return;
	}
	memcpy(base, mib, sizeof(mib));
	base[OID_LENGTH(mib)] = 1; /* vrrpv3Objects */
	reg = netsnmp_create_handler_registration("vrrpv3MIB", handler, base, OID_LENGTH(base),
	                                          HANDLER_CAN_RONLY);
	if (!reg || netsnmp_register_handler(reg) != MIB_REGISTERED_OK)
		log_warnx("snmp: VRRPV3-MIB could not be registered");
	agentx_start(d->agentx);
	snprintf(d->snmp_socket, sizeof(d->snmp_socket), "%s",
	         g->snmp_socket ? g->snmp_socket : "");
	log_info("snmp: AgentX subagent serving VRRPV3-MIB (RFC 6527) towards %s%s",
	         g->snmp_socket ? g->snmp_socket : "unix:/var/agentx/master",
	         g->snmp_traps ? ", with traps" : "");
}

void vrrpmib_apply(struct vipd *d)
{
	const struct conf_global *g = &d->conf->global;

	the_d = d;
	if (!d->agentx) {
		if (wanted(g) && !d->snmp_started)
			start(d);
		d->snmp_started = d->snmp_started || wanted(g);
		return;
	}
	if (!wanted(g) || strcmp(d->snmp_socket, g->snmp_socket ? g->snmp_socket : ""))
		log_warnx("snmp: SNMP settings changed; they take effect at the next restart");
}

void vrrpmib_close(struct vipd *d)
{
	agentx_close(d->agentx);
	d->agentx = NULL;
}

/* snmpTrapOID.0 = vrrpv3MIB.0.which, then the objects of in's row. */
static void trap(struct instance *in, oid which, const oid *t, const oid *cols, size_t ncols,
                 const long *vals)
{
	struct snap s = {0};
	netsnmp_variable_list *vars = NULL;
	oid id[OID_LENGTH(mib) + 2], idx[3];
	size_t n = row_index(in, idx);

	memcpy(id, mib, sizeof(mib));
	id[OID_LENGTH(mib)] = 0, id[OID_LENGTH(mib) + 1] = which;
	snmp_varlist_add_variable(&vars, trap_oid, OID_LENGTH(trap_oid), ASN_OBJECT_ID, id,
	                          sizeof(id));
	for (size_t i = 0; i < ncols; i++) {
		s.n = 0;
		if (cols[i] == 3) /* vrrpv3OperationsMasterIpAddr */
			operations(&s, in);
		else
			put_int(&s, t, 3, cols[i], idx, n, ASN_INTEGER, vals[i]);
		if (s.n)
			snmp_varlist_add_variable(&vars, s.c[0].name, s.c[0].len, s.c[0].type,
			                          &s.c[0].v, s.c[0].vlen);
	}
	send_v2trap(vars);
	snmp_free_varbind(vars);
	free(s.c);
	agentx_sync(in->d->agentx);
}

void vrrpmib_new_master(struct instance *in)
{
	static const oid st[] = {2, 5, 1};
	const oid cols[] = {3, 2}; /* MasterIpAddr, NewMasterReason */
	const long vals[] = {0, master_reason(in)};

	if (!in->d->agentx || !in->d->conf->global.snmp_traps || in->ifindex <= 0)
		return;
	trap(in, 1, st, cols, 2, vals);
}

void vrrpmib_proto_error(struct instance *in, enum vrrp_rx_reason r)
{
	static const oid st[] = {2, 5, 1};
	const oid cols[] = {6};
	const long vals[] = {vrrpmib_err_reason(r)};

	if (!in->d->agentx || !in->d->conf->global.snmp_traps || in->ifindex <= 0 || !vals[0])
		return;
	trap(in, 2, st, cols, 1, vals);
}
