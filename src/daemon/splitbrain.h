/*
 * splitbrain.h: a second master heard while master (splitbrain.c).
 */
#ifndef VIPD_SPLITBRAIN_H
#define VIPD_SPLITBRAIN_H

#include <stdint.h>

#include "lib/vtime.h"

struct addr;
struct instance;

void split_brain_init(struct instance *in);
/* A master's advert (priority > 0) from src while in is Master. */
void split_brain_heard(struct instance *in, const struct addr *src, uint8_t prio, vtime_t now);
/* The episode ends (why: for the log). */
void split_brain_over(struct instance *in, const char *why);

#endif
