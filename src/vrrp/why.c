/*
 * why.c: a transition's reason, made into text when read (see why.h).
 */
#include <stdarg.h>
#include <stdio.h>

#include "vrrp/why.h"

void fsm_why_printf(struct fsm_why *w, const char *fmt, ...)
{
	va_list ap;

	w->kind = FSM_WHY_TEXT;
	va_start(ap, fmt);
	vsnprintf(w->text, sizeof(w->text), fmt, ap);
	va_end(ap);
}

void fsm_why_set(struct fsm_why *w, enum fsm_why_kind kind, const struct addr *addr, uint8_t prio,
                 long long us)
{
	w->kind = kind;
	w->prio = prio;
	w->us = us;
	if (addr)
		w->addr = *addr;
	else
		w->addr = (struct addr){0};
	w->text[0] = '\0';
}

const char *fsm_why_text(const struct fsm_why *w, char *buf, size_t len)
{
	char a[ADDR_STRLEN];
	long long s = w->us / 1000000, ms = w->us % 1000000 / 1000;

	if (w->kind != FSM_WHY_TEXT && w->kind != FSM_WHY_NO_ADVERT_HEARD)
		addr_ntop(&w->addr, a);
	switch (w->kind) {
	case FSM_WHY_TEXT:
		return w->text;
	case FSM_WHY_PRIO0_OTHER:
		snprintf(buf, len, "priority 0 from %s, not the master", a);
		break;
	case FSM_WHY_PRIO0:
		snprintf(buf, len, "priority 0 from %s (master stopping)", a);
		break;
	case FSM_WHY_LOWER_MASTER:
		snprintf(buf, len,
		         "preempting %s, whose priority %u is lower (preempt_lower_master)", a,
		         w->prio);
		break;
	case FSM_WHY_HIGHER:
		snprintf(buf, len, "higher priority %u from %s", w->prio, a);
		break;
	case FSM_WHY_EQUAL:
		snprintf(buf, len, "equal priority %u from higher address %s", w->prio, a);
		break;
	case FSM_WHY_PREEMPTING:
		snprintf(buf, len, "preempting %s, whose priority %u is lower", a, w->prio);
		break;
	case FSM_WHY_STOPPED:
		snprintf(buf, len,
		         "master %s stopped (priority 0); took over after %lld.%03lld s of skew", a,
		         s, ms);
		break;
	case FSM_WHY_NO_ADVERT_FROM:
		snprintf(buf, len, "no advert from %s for %lld.%03lld s", a, s, ms);
		break;
	case FSM_WHY_NO_ADVERT_HEARD:
		snprintf(buf, len, "no advert heard for %lld.%03lld s", s, ms);
		break;
	default:
		snprintf(buf, len, "?");
	}
	return buf;
}
