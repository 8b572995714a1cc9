/*
 * main.c: vipd command line.
 */
#include <stdio.h>

int main(void)
{
	printf("vipd %s\n", VIPD_VERSION);
	return 0;
}
