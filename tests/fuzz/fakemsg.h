/*
 * fakemsg.h: the control messages of a fake recvmsg() result, made from a
 * fuzzer's bytes, for the receive-path targets (fuzz_rx, fuzz_bfdrx).
 */
#ifndef VIPD_FAKEMSG_H
#define VIPD_FAKEMSG_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <sys/socket.h>

/* data[1] % 5 control messages from data[i...]: each is a kind of kinds
 * (data[i] % n_kinds) with data[i + 1] % 48 bytes of payload, in ctl (cap
 * bytes). Sets mh's control; returns the index past them. */
static inline size_t fake_cmsgs(struct msghdr *mh, char *ctl, size_t cap, const uint8_t *data,
                                size_t size, size_t i, const int (*kinds)[2], size_t n_kinds)
{
	size_t used = 0;

	memset(ctl, 0, cap);
	mh->msg_control = ctl;
	mh->msg_controllen = cap;
	struct cmsghdr *c = CMSG_FIRSTHDR(mh);
	for (int k = 0; k < data[1] % 5 && i + 2 <= size && c; k++) {
		size_t len = data[i + 1] % 48;
		if (used + CMSG_SPACE(len) > cap || i + 2 + len > size)
			break;
		c->cmsg_level = kinds[data[i] % n_kinds][0];
		c->cmsg_type = kinds[data[i] % n_kinds][1];
		c->cmsg_len = CMSG_LEN(len);
		memcpy(CMSG_DATA(c), data + i + 2, len);
		used += CMSG_SPACE(len);
		i += 2 + len;
		mh->msg_controllen = used;
		c = CMSG_NXTHDR(mh, c);
	}
	mh->msg_controllen = used;
	if (!used)
		mh->msg_control = NULL;
	return i;
}

#endif
