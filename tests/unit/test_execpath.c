/* PATH search for script programs (lib/execpath.c). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "lib/execpath.h"

static void test_program_word(void **state)
{
	char w[64];

	exec_program("killall -0 haproxy", w, sizeof(w));
	assert_string_equal(w, "killall");
	exec_program("  \t/usr/bin/check x", w, sizeof(w));
	assert_string_equal(w, "/usr/bin/check");
	exec_program("\"/opt/my checks/web.sh\" --fast", w, sizeof(w));
	assert_string_equal(w, "/opt/my checks/web.sh");
	exec_program("", w, sizeof(w));
	assert_string_equal(w, "");
}

static void test_find(void **state)
{
	char dir[] = "/tmp/vipd-execpath-XXXXXX", path[4200], out[4200], cwd[4096];

	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/zz-check", dir);
	FILE *f = fopen(path, "w");
	assert_non_null(f);
	fputs("#!/bin/sh\n", f);
	fclose(f);
	chmod(path, 0755);

	setenv("PATH", dir, 1);
	assert_true(exec_find("zz-check", out, sizeof(out)));
	assert_string_equal(out, path);
	assert_false(exec_find("zz-missing", out, sizeof(out)));
	assert_true(exec_find(path, out, sizeof(out))); /* with a slash: itself */
	chmod(path, 0644);
	assert_false(exec_find("zz-check", out, sizeof(out))); /* not executable */
	assert_false(exec_find(dir, out, sizeof(out)));        /* a directory */
	chmod(path, 0755);

	/* relative and empty entries (the current directory) are skipped */
	assert_non_null(getcwd(cwd, sizeof(cwd)));
	assert_int_equal(chdir(dir), 0);
	setenv("PATH", ".::relative", 1);
	assert_false(exec_find("zz-check", out, sizeof(out)));
	snprintf(path, sizeof(path), ".:%s", dir);
	setenv("PATH", path, 1);
	assert_true(exec_find("zz-check", out, sizeof(out)));
	assert_int_equal(out[0], '/');
	assert_int_equal(chdir(cwd), 0);

	/* no PATH: the system's default */
	unsetenv("PATH");
	assert_true(exec_find("sh", out, sizeof(out)));
	assert_string_equal(exec_search_path(), "/usr/bin:/bin");
	snprintf(path, sizeof(path), "rm -rf %s", dir);
	assert_int_equal(system(path), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_program_word),
	    cmocka_unit_test(test_find),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
