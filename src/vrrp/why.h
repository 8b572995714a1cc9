/*
 * why.h: a transition's reason as the state machine finds it: its kind and
 * values (the sender's address, a priority, how long), made into text only
 * when it is read (a log line, vipctl). A thousand takeovers in one pass
 * then format nothing before their adverts leave. Owned by whoever holds
 * it (struct fsm_out, struct fsm); plain values, copied by assignment.
 */
#ifndef VIPD_WHY_H
#define VIPD_WHY_H

#include <stddef.h>
#include <stdint.h>

#include "lib/addr.h"

#define FSM_WHY_LEN 160

enum fsm_why_kind {
	FSM_WHY_TEXT,            /* text holds it */
	FSM_WHY_PRIO0_OTHER,     /* priority 0 from ADDR, not the master */
	FSM_WHY_PRIO0,           /* priority 0 from ADDR (master stopping) */
	FSM_WHY_LOWER_MASTER,    /* preempting ADDR, PRIO lower (preempt_lower_master) */
	FSM_WHY_HIGHER,          /* higher priority PRIO from ADDR */
	FSM_WHY_EQUAL,           /* equal priority PRIO from higher address ADDR */
	FSM_WHY_PREEMPTING,      /* preempting ADDR, whose priority PRIO is lower */
	FSM_WHY_STOPPED,         /* master ADDR stopped (priority 0), after US of skew */
	FSM_WHY_NO_ADVERT_FROM,  /* no advert from ADDR for US */
	FSM_WHY_NO_ADVERT_HEARD, /* no advert heard for US */
};

struct fsm_why {
	enum fsm_why_kind kind;
	uint8_t prio;
	struct addr addr;
	long long us;
	char text[FSM_WHY_LEN]; /* FSM_WHY_TEXT only */
};

/* A reason given as text (printf format). */
void fsm_why_printf(struct fsm_why *w, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* A reason of one of the kinds above, made into text later. */
void fsm_why_set(struct fsm_why *w, enum fsm_why_kind kind, const struct addr *addr, uint8_t prio,
                 long long us);
/* Its text: w->text, or made in buf (len bytes). */
const char *fsm_why_text(const struct fsm_why *w, char *buf, size_t len);

#endif
