/*
 * fuzz_fsm.c: libFuzzer target for the state machine. The input is a
 * config (first 8 bytes) and a sequence of events (startup, shutdown,
 * adverts of any priority and source, time passing to the next deadline
 * or by some amount, priority changes, faults, sync orders), applied as
 * the shell applies them (a deadline already due fires at once). After
 * each one the machine must hold the invariants below; a violation aborts,
 * so the fuzzer reports it. FUZZ_FSM_TRACE=1 prints each step.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "vrrp/fsm.h"

static void check(int ok, const char *what, const struct fsm *f)
{
	if (ok)
		return;
	fprintf(stderr, "fsm invariant broken: %s (state %s, priority %u)\n", what,
	        vrrp_state_name(f->state), f->priority);
	abort();
}

static void invariants(const struct fsm *f, vtime_t now, const struct fsm_out *o, int shut)
{
	check(f->state < VRRP_STATE_MAX, "a known state", f);
	check(f->priority >= 1, "priority >= 1", f);
	check(f->cfg.priority != 255 || f->priority == 255, "an owner keeps 255", f);
	if (f->state == VRRP_STATE_MASTER) {
		check(f->adver_at != VTIME_NEVER, "a master's Adver_Timer is armed", f);
		check(f->master_down_at == VTIME_NEVER, "a master has no Master_Down_Timer", f);
		check(f->fault_holds == 0, "no master while held in Fault", f);
	}
	if (f->state == VRRP_STATE_BACKUP && !f->cfg.sync)
		check(f->master_down_at != VTIME_NEVER || f->preempt_at != VTIME_NEVER,
		      "a backup waits for a master-down or preempt deadline", f);
	if (f->state == VRRP_STATE_FAULT || f->state == VRRP_STATE_INIT)
		check(f->adver_at == VTIME_NEVER, "no adverts outside Master", f);
	if (f->fault_holds && f->state != VRRP_STATE_INIT)
		check(f->state == VRRP_STATE_FAULT, "held means Fault", f);
	if (o->actions & FSM_ACT_SEND_ADVERT)
		check(o->adv_priority != 0 || shut ||
		          ((o->actions & FSM_ACT_NOTIFY) && o->from == VRRP_STATE_MASTER),
		      "priority 0 only from a master that stops or leaves Master", f);
	if (o->actions & FSM_ACT_NOTIFY)
		check(o->from != o->to, "a transition changes the state", f);
	if (o->actions & FSM_ACT_ADD_VIPS)
		check(o->to == VRRP_STATE_MASTER || f->state == VRRP_STATE_MASTER,
		      "VIPs only added by a master", f);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fsm_config cfg = {0};
	struct fsm f;
	struct fsm_out o;
	vtime_t now = 1000 * VTIME_SEC;
	unsigned holds = 0;

	if (size < 8)
		return 0;
	cfg.version = data[0] & 1 ? 3 : 2;
	cfg.priority = data[1] ? data[1] : 1;
	cfg.adver_int_us = (uint64_t)(data[2] % 40 + 1) * (cfg.version == 3 ? 10000 : 1000000);
	cfg.preempt = !(data[3] & 1);
	cfg.preempt_delay_us = (data[3] & 2) ? (uint64_t)(data[4] % 8) * 250000 : 0;
	cfg.init_master = data[3] & 4;
	cfg.lower_prio_no_advert = data[3] & 8;
	cfg.preempt_lower_master = data[3] & 16;
	cfg.sync = data[3] & 32;
	cfg.timer_expired_backup =
	    (data[3] & 64) && !cfg.preempt ? (uint8_t)(data[5] % 254 + 1) : 0;
	cfg.down_timer_adverts = 3;
	addr_parse("10.0.0.100", &cfg.primary);
	fsm_init(&f, &cfg);
	for (size_t i = 8; i + 2 < size; i += 3) {
		uint8_t op = data[i] % 10, a = data[i + 1], b = data[i + 2];
		int shut = 0;
		memset(&o, 0, sizeof(o));
		switch (op) {
		case 0:
			fsm_startup(&f, now, &o);
			break;
		case 1:
			fsm_shutdown(&f, now, &o);
			shut = 1;
			break;
		case 2: {
			struct fsm_advert adv = {.priority = a,
			                         .adver_int_us =
			                             (uint64_t)(b % 40 + 1) *
			                             (cfg.version == 3 ? 10000 : 1000000)};
			char src[32];
			snprintf(src, sizeof(src), "10.0.0.%u", 90 + b % 20);
			addr_parse(src, &adv.src);
			fsm_advert(&f, now, &adv, &o);
			break;
		}
		case 3: { /* time passes to the next deadline, which fires */
			vtime_t d = fsm_next_deadline(&f);
			if (d == VTIME_NEVER)
				break;
			now = d;
			fsm_timer(&f, now, &o);
			break;
		}
		case 4: /* time passes a little; what is due fires */
			now += (vtime_t)a * 10000;
			if (fsm_next_deadline(&f) <= now)
				fsm_timer(&f, now, &o);
			break;
		case 5:
			fsm_set_priority(&f, now, vrrp_effective_priority(cfg.priority, (int8_t)a),
			                 &o);
			break;
		case 6:
			fsm_fault(&f, now, true, "fuzz", &o);
			holds++;
			break;
		case 7:
			if (holds) {
				fsm_fault(&f, now, false, "fuzz", &o);
				holds--;
			}
			break;
		case 8:
			if (!cfg.sync)
				break;
			if (a & 1)
				fsm_sync_master(&f, now, "fuzz", &o);
			else
				fsm_sync_backup(&f, now, "fuzz", &o);
			break;
		case 9: { /* master_down_bfd: the session to 10.0.0.9x went down */
			struct addr peer;
			char src[32];
			snprintf(src, sizeof(src), "10.0.0.%u", 90 + b % 20);
			addr_parse(src, &peer);
			fsm_peer_down(&f, now, &peer, (uint64_t)(a % 200 + 1) * 1000, "fuzz", &o);
			break;
		}
		}
		if (getenv("FUZZ_FSM_TRACE"))
			fprintf(stderr,
			        "op %u a %u b %u: now %lld %s prio %u down %lld adver %lld "
			        "preempt %lld\n",
			        op, a, b, (long long)now, vrrp_state_name(f.state), f.priority,
			        (long long)f.master_down_at, (long long)f.adver_at,
			        (long long)f.preempt_at);
		invariants(&f, now, &o, shut);
		/* a deadline already due (a shorter Master_Down_Interval after a
		 * priority change) fires now, as the loop fires it; then none may
		 * stay due, or the loop would spin */
		for (int k = 0; k < 3 && fsm_next_deadline(&f) <= now; k++) {
			memset(&o, 0, sizeof(o));
			fsm_timer(&f, now, &o);
			invariants(&f, now, &o, 0);
		}
		check(fsm_next_deadline(&f) > now, "a timer that fired is not due again", &f);
	}
	return 0;
}
