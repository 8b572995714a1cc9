/*
 * test_mail.c: the smtp_alert mail text (src/daemon/mail.c) as keepalived
 * 2.4 writes it: subjects and bodies of each event, the headers, the
 * recipients one a line, the envelope addresses.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "daemon/mail.h"

static void test_instance_words(void **state)
{
	const char *what, *body;
	char s[256];

	assert_true(mail_words(false, MAIL_MASTER, &what, &body));
	mail_subject(s, sizeof(s), "lb02", false, "VI_1", what);
	assert_string_equal(s, "[lb02] VRRP Instance VI_1 - Entering MASTER state");
	assert_string_equal(body, "=> VRRP Instance is now owning VRRP VIPs <=");
	assert_true(mail_words(false, MAIL_BACKUP, &what, &body));
	assert_string_equal(what, "Entering BACKUP state");
	assert_string_equal(body, "=> VRRP Instance is no longer owning VRRP VIPs <=");
	assert_true(mail_words(false, MAIL_FAULT, &what, &body));
	assert_string_equal(what, "Entering FAULT state");
	assert_true(mail_words(false, MAIL_STOP, &what, &body));
	assert_string_equal(what, "Stopping");
	assert_string_equal(body, "=> VRRP Instance stopping <=");
	assert_true(mail_words(false, MAIL_DELETED, &what, &body));
	assert_string_equal(body, "=> VRRP Deleted at reload <=");
}

static void test_group_words(void **state)
{
	const char *what, *body;
	char s[256];

	assert_true(mail_words(true, MAIL_MASTER, &what, &body));
	mail_subject(s, sizeof(s), "lb01", true, "G1", what);
	assert_string_equal(s, "[lb01] VRRP Group G1 - Entering MASTER state");
	assert_string_equal(body, "=> All VRRP group instances are now in MASTER state <=");
	assert_true(mail_words(true, MAIL_STOP, &what, &body));
	assert_string_equal(body, "=> All VRRP group instances are now stopping <=");
	assert_false(mail_words(true, MAIL_DELETED, &what, &body));
}

static void test_message(void **state)
{
	const char *to[] = {"ops@example.com", "Night <night@example.com>"};
	struct mail_head h = {"vipd@example.com", to, 2, "[lb02] VRRP Instance VI_1 - Stopping"};
	char *m;

	setenv("TZ", "UTC", 1);
	tzset();
	m = mail_message(&h, "=> VRRP Instance stopping <=", 1614591848); /* 2021-03-01 09:44:08 */
	assert_non_null(m);
	assert_string_equal(m, "Date: Mon, 01 Mar 2021 09:44:08 +0000\r\n"
	                       "From: vipd@example.com\r\n"
	                       "Subject: [lb02] VRRP Instance VI_1 - Stopping\r\n"
	                       "X-Mailer: Keepalived\r\n"
	                       "To: ops@example.com,\r\n"
	                       " Night <night@example.com>\r\n"
	                       "\r\n"
	                       "=> VRRP Instance stopping <=\r\n"
	                       "\r\n");
	free(m);
}

static void test_display_names_quoted(void **state)
{
	const char *to[] = {"J. Doe <jd@example.com>", "Ops \"A\\B\" <ops@example.com>"};
	struct mail_head h = {"Plain Name <vipd@example.com>", to, 2, "s"};
	char *m = mail_message(&h, "b", 0);

	assert_non_null(m);
	assert_non_null(strstr(m, "\r\nFrom: Plain Name <vipd@example.com>\r\n"));
	assert_non_null(strstr(m, "\r\nTo: \"J. Doe\" <jd@example.com>,\r\n"
	                          " \"Ops \\\"A\\\\B\\\"\" <ops@example.com>\r\n"));
	free(m);
}

static void test_envelope(void **state)
{
	char e[128];

	mail_envelope(e, sizeof(e), "ops@example.com");
	assert_string_equal(e, "<ops@example.com>");
	mail_envelope(e, sizeof(e), "Night Shift <night@example.com>");
	assert_string_equal(e, "<night@example.com>");
	mail_envelope(e, sizeof(e), "odd>");
	assert_string_equal(e, "<odd>>");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_instance_words), cmocka_unit_test(test_group_words),
	    cmocka_unit_test(test_message),        cmocka_unit_test(test_display_names_quoted),
	    cmocka_unit_test(test_envelope),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
