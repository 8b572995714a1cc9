/*
 * kwlist.h: every keyword vipd knows, one "BLOCK KEYWORD CLASS [REASON]"
 * line each (BLOCK "-" is the top level; nested blocks are "a.b").
 */
#ifndef VIPD_KWLIST_H
#define VIPD_KWLIST_H

#include <stdio.h>

void conf_keywords_list(FILE *f);

#endif
