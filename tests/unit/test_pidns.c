/* SPDX-License-Identifier: MIT */
/* test_pidns.c - PID namespaces (shim/ring/pidns.c, shim/collector/nsmap.c): the marks of a pid
 * the collector could not make its own, in JSONL and in the await text; a slot
 * claimed by a producer of another namespace; a real hello through the socket,
 * whose sender the kernel names (SCM_CREDENTIALS), and the translation it allows. */
#include "unit.h"
#include "base/config.h"
#include "text/event.h"
#include "collector/nsmap.h"
#include "ring/pidns.h"
#include "ring/ring.h"
#include "text/text.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

static struct join_rec rec(pid_t child, int code)
{
	struct join_rec r;
	memset(&r, 0, sizeof r);
	r.pid = child;
	r.tid = 1;
	r.status = code << 8;
	return r;
}

static void jsonl_marks(void **s)
{
	(void)s;
	char buf[1024];
	struct join_rec r = rec(0, 4);
	r.tid = 0;
	struct join_self me = {
	    .pid = 0, .pidns = 42, .local_pid = 1, .local_child = 2, .local_tid = 1};
	size_t n = join_jsonl_reap(buf, sizeof buf, &me, 5, &r);
	assert_true(n > 0);
	buf[n] = 0;
	assert_non_null(strstr(buf, "{\"event\":\"reap\",\"pid\":null,\"local_pid\":1,"));
	assert_non_null(strstr(buf, ",\"pidns\":42,"));
	assert_non_null(strstr(buf, ",\"child\":null,\"local_child\":2,"));
	assert_non_null(strstr(buf, ",\"tid\":null,\"local_tid\":1,"));
	/* the common case: not one byte more */
	struct join_self plain = {.pid = 7};
	r = rec(8, 4);
	n = join_jsonl_reap(buf, sizeof buf, &plain, 5, &r);
	buf[n] = 0;
	assert_null(strstr(buf, "pidns"));
	assert_null(strstr(buf, "local_"));
	assert_non_null(strstr(buf, "\"pid\":7,"));
	/* an unknown namespace is null, never a number */
	struct join_self unknown = {.pid = 3, .pidns = JOIN_PIDNS_UNKNOWN};
	n = join_jsonl_fork(buf, sizeof buf, &unknown, 5, 4, JOIN_HOW_FORK);
	buf[n] = 0;
	assert_non_null(strstr(buf, ",\"pidns\":null,"));
}

static void report_local_children(void **s)
{
	(void)s;
	char buf[512];
	struct join_live v = {.child = 3, .zombie = 1, .age_ms = 9, .comm = "sh"};
	struct join_self me = {.pidns = 42, .local_pid = 1};
	size_t n = join_jsonl_report(buf, sizeof buf, &me, 5, &v, 1);
	buf[n] = 0;
	assert_non_null(strstr(buf, "\"zombies\":[{\"child\":null,\"local_child\":3,"));
}

static void await_marked(void **s)
{
	(void)s;
	char buf[512];
	struct join_event ev;
	memset(&ev, 0, sizeof ev);
	ev.type = JOIN_EV_REAP;
	ev.pid = 9;
	ev.pidns = 42;
	ev.u.reap = rec(5, 4);
	memcpy(ev.u.reap.comm, "sh", 3);
	join_cfg.format = JOIN_FORMAT_AWAIT;
	struct join_self me = {.pid = 9, .pidns = 42, .local_child = 5};
	ev.u.reap.pid = 0;
	size_t n = join_event_line_as(buf, sizeof buf, &ev, &me);
	buf[n] = 0;
	assert_string_equal(buf, "# libjoin: pid namespace 42: the next record's pid 0 is pid 5 "
	                         "there\n0 0 0 0 'sh 0: 4'\n");
	/* too small for both: nothing, rather than a record without its note */
	assert_int_equal(join_event_line_as(buf, 40, &ev, &me), 0);
}

static void claim_of_another_namespace(void **s)
{
	(void)s;
	struct join_ring *r =
	    mmap(NULL, JOIN_RING_SIZE, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	assert_true(r != MAP_FAILED);
	join_ring_init(r, getpid(), 0);
	r->h.owner = (uint32_t)getpid();
	struct join_event got;
	/* reserved and claimed with pid 0, never published: not "gone" after 10 ms (no
	 * pid of ours to look at, pid 0 is not one), a hole after a second */
	r->h.tail = 1;
	r->slot[0].claim = 0;
	assert_int_equal(join_ring_take(r, 0, &got, 10), 0);
	assert_int_equal(join_ring_take(r, 0, &got, 999), 0);
	assert_int_equal(join_ring_take(r, 0, &got, 1000), -1);
	assert_int_equal(r->h.holes, 1);
	munmap(r, JOIN_RING_SIZE);
}

static void hello_translates(void **s)
{
	(void)s;
	char dir[] = "/tmp/jointest-nsXXXXXX", path[128];
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof path, "%s/ring", dir);
	int fd = join_nsmap_listen(path);
	assert_true(fd >= 0);
	assert_int_equal(join_nsmap_fd(), fd);
	pid_t kid = fork();
	if (kid == 0) {
		join_pidns_hello(path, 77, 4242); /* "I am 77 in namespace 4242" */
		_exit(0);
	}
	int st;
	waitpid(kid, &st, 0);
	struct join_event ev;
	struct join_self me;
	memset(&ev, 0, sizeof ev);
	ev.type = JOIN_EV_FORK;
	ev.pid = 77;
	ev.pidns = 4242;
	ev.u.fork.child = 78; /* no hello, and not a child of kid's: stays local */
	assert_int_equal(join_nsmap_event(&ev, &me), 0);
	assert_int_equal(ev.pid, kid); /* the kernel's word, not the sender's */
	assert_int_equal(me.pid, kid);
	assert_int_equal(me.local_pid, 0);
	assert_int_equal(me.local_child, 78);
	assert_int_equal(me.pidns, 4242);
	/* a writer that said nothing: null, never its own number taken as ours */
	ev.pid = 5;
	ev.u.fork.child = 78;
	assert_int_equal(join_nsmap_event(&ev, &me), 0);
	assert_int_equal(me.local_pid, 5);
	assert_int_equal(ev.pid, 0);
	/* the same namespace: untouched */
	ev.pidns = 0;
	ev.pid = 5;
	assert_int_equal(join_nsmap_event(&ev, &me), 1);
	assert_int_equal(me.pid, 5);
	assert_int_equal(me.pidns, 0);
	join_nsmap_end();
	struct stat st2;
	char sock[140];
	snprintf(sock, sizeof sock, "%s.s", path);
	assert_int_equal(stat(sock, &st2), -1); /* removed */
	rmdir(dir);
}

static void verdict_without_ring(void **s)
{
	(void)s;
	uint64_t own = join_pidns_own();
	assert_true(own != JOIN_PIDNS_UNKNOWN); /* /proc is there in the tests */
	join_cfg.ring_path[0] = 0;
	assert_int_equal(join_pidns_mark(), own == JOIN_PIDNS_INIT ? 0 : own);
	assert_int_equal(join_pidns_mark(), own == JOIN_PIDNS_INIT ? 0 : own); /* cached */
	assert_int_equal(join_pidns_proc_ok(), 1);
}

int main(void)
{
	const struct CMUnitTest t[] = {
	    cmocka_unit_test(jsonl_marks),      cmocka_unit_test(report_local_children),
	    cmocka_unit_test(await_marked),     cmocka_unit_test(claim_of_another_namespace),
	    cmocka_unit_test(hello_translates), cmocka_unit_test(verdict_without_ring),
	};
	return cmocka_run_group_tests(t, NULL, NULL);
}
