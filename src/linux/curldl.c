/*
 * curldl.c: libcurl's functions, looked up in libcurl.so.4 at the first
 * mail (dlopen), so a vipd that sends none never loads it.
 */
#include <dlfcn.h>
#include <stddef.h>

#include "lib/log.h"
#include "linux/curldl.h"

struct curl_api curl;

#define SYM(field, name)                                                                           \
	{                                                                                          \
		offsetof(struct curl_api, field), name                                             \
	}

static const struct {
	size_t off;
	const char *name;
} syms[] = {
    SYM(global_init, "curl_global_init"),
    SYM(global_cleanup, "curl_global_cleanup"),
    SYM(version_info, "curl_version_info"),
    SYM(multi_init, "curl_multi_init"),
    SYM(multi_setopt, "curl_multi_setopt"),
    SYM(multi_socket_action, "curl_multi_socket_action"),
    SYM(multi_assign, "curl_multi_assign"),
    SYM(multi_info_read, "curl_multi_info_read"),
    SYM(multi_add_handle, "curl_multi_add_handle"),
    SYM(multi_remove_handle, "curl_multi_remove_handle"),
    SYM(multi_cleanup, "curl_multi_cleanup"),
    SYM(easy_init, "curl_easy_init"),
    SYM(easy_setopt, "curl_easy_setopt"),
    SYM(easy_cleanup, "curl_easy_cleanup"),
    SYM(easy_strerror, "curl_easy_strerror"),
    SYM(easy_escape, "curl_easy_escape"),
    SYM(free, "curl_free"),
    SYM(slist_append, "curl_slist_append"),
    SYM(slist_free_all, "curl_slist_free_all"),
};

bool curl_load(void)
{
	static void *lib;

	if (lib)
		return true;
	if (!(lib = dlopen("libcurl.so.4", RTLD_NOW | RTLD_LOCAL))) {
		log_warnx("smtp_alert: cannot load libcurl: %s", dlerror());
		return false;
	}
	for (size_t i = 0; i < sizeof(syms) / sizeof(syms[0]); i++) {
		void *f = dlsym(lib, syms[i].name);
		if (!f) {
			log_warnx("smtp_alert: libcurl has no %s", syms[i].name);
			dlclose(lib);
			lib = NULL;
			return false;
		}
		*(void **)((char *)&curl + syms[i].off) = f;
	}
	return true;
}
