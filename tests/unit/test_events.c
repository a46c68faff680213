/* SPDX-License-Identifier: MIT */
/* test_events.c - the launcher's model of a tree, from JSON lines: links, pid reuse,
 * exit instants, exec command lines, zombies, and lines it must skip. */
#include <math.h>

#include "unit.h"
#include "model.h"

static void test_tree(void **state)
{
	(void)state;
	struct jr_model m;
	/* Out of order on purpose: lines from many writers are ordered by t_ns. */
	model_of(&m, "{\"event\":\"reap\",\"pid\":10,\"comm\":\"sh\",\"t_ns\":300,\"child\":11,"
	             "\"child_comm\":\"make\",\"real_ms\":0.0002,\"code\":2}\n"
	             "{\"event\":\"fork\",\"pid\":10,\"comm\":\"sh\",\"t_ns\":100,\"child\":11,"
	             "\"how\":\"fork\"}\n"
	             "{\"event\":\"fork\",\"pid\":11,\"comm\":\"make\",\"t_ns\":150,\"child\":12,"
	             "\"how\":\"vfork\"}\n"
	             "{\"event\":\"reap\",\"pid\":11,\"comm\":\"make\",\"t_ns\":250,\"child\":12,"
	             "\"child_comm\":\"cc\",\"signal\":9,\"core\":true}\n");
	assert_int_equal(m.events, 4);
	int sh = proc_of(&m, 10), mk = proc_of(&m, 11), cc = proc_of(&m, 12);
	assert_true(sh >= 0 && mk >= 0 && cc >= 0);
	assert_true(m.p[sh].writer && !m.p[sh].has_fork); /* known only by its lines */
	assert_int_equal(m.p[mk].parent, sh);
	assert_int_equal(m.p[cc].parent, mk);
	assert_int_equal(m.p[cc].depth, 2);
	assert_string_equal(m.p[cc].comm, "cc");
	assert_true(m.p[cc].has_status && m.p[cc].sig == 9 && m.p[cc].core);
	assert_true(m.p[mk].code == 2 && jr_abnormal(&m.p[mk]));
	/* No exact exit: the reap is its upper bound. */
	assert_true(m.p[cc].exit_ns == 250 && !m.p[cc].exit_exact);
	char st[48];
	assert_string_equal(jr_status(&m.p[cc], st), "SIGKILL+core");
	jr_model_free(&m);
}

/* A pid reaped and forked again is a new process. */
static void test_pid_reuse(void **state)
{
	(void)state;
	struct jr_model m;
	model_of(&m, "{\"event\":\"fork\",\"pid\":1,\"t_ns\":1,\"child\":7,\"how\":\"fork\"}\n"
	             "{\"event\":\"reap\",\"pid\":1,\"t_ns\":2,\"child\":7,\"child_comm\":\"a\","
	             "\"code\":0}\n"
	             "{\"event\":\"fork\",\"pid\":1,\"t_ns\":3,\"child\":7,\"how\":\"fork\"}\n"
	             "{\"event\":\"reap\",\"pid\":1,\"t_ns\":4,\"child\":7,\"child_comm\":\"b\","
	             "\"code\":1}\n");
	int n7 = 0;
	for (int i = 0; i < m.n; i++)
		n7 += m.p[i].pid == 7;
	assert_int_equal(n7, 2);
	assert_string_equal(m.p[proc_of(&m, 7)].comm, "b");
	jr_model_free(&m);
}

/* An exact exit: the reap's late_ms puts it before the reap. */
static void test_exact_exit(void **state)
{
	(void)state;
	struct jr_model m;
	model_of(&m,
	         "{\"event\":\"fork\",\"pid\":1,\"t_ns\":1000000,\"child\":2,\"how\":\"fork\"}\n"
	         "{\"event\":\"reap\",\"pid\":1,\"t_ns\":9000000,\"child\":2,\"code\":0,"
	         "\"exact\":true,\"late_ms\":3,\"real_ms\":5}\n");
	const struct jr_proc *p = &m.p[proc_of(&m, 2)];
	assert_true(p->exit_exact && p->exit_ns == 6000000);
	assert_true(jr_real(p) == 5);
	jr_model_free(&m);
}

/* The exec event gives the writer its command line; a later exec replaces it. */
static void test_exec(void **state)
{
	(void)state;
	struct jr_model m;
	model_of(&m, "{\"event\":\"fork\",\"pid\":1,\"t_ns\":1,\"child\":2,\"how\":\"fork\"}\n"
	             "{\"event\":\"exec\",\"pid\":2,\"comm\":\"sh\",\"t_ns\":2,\"argv\":[\"sh\","
	             "\"-c\",\"exec cc\"],\"argv_truncated\":false}\n"
	             "{\"event\":\"exec\",\"pid\":2,\"comm\":\"cc\",\"t_ns\":3,\"argv\":[\"cc\","
	             "\"-c\",\"a\\u0007.c\"],\"argv_truncated\":true}\n"
	             "{\"event\":\"exec\",\"pid\":3,\"comm\":\"x\",\"t_ns\":4,\"argv\":null}\n"
	             "{\"event\":\"reap\",\"pid\":1,\"t_ns\":5,\"child\":2,\"child_comm\":\"cc\","
	             "\"code\":0}\n");
	const struct jr_proc *p = &m.p[proc_of(&m, 2)];
	assert_non_null(p->argv);
	assert_string_equal(p->argv, "cc -c a?.c"); /* a control character sanitised */
	assert_true(p->argv_truncated);
	assert_string_equal(jr_key(p, JR_BY_ARGV), "cc -c a?.c");
	assert_string_equal(jr_key(p, JR_BY_COMM), "cc");
	assert_int_equal(m.events, 5);
	int x = proc_of(&m, 3);
	assert_true(x < 0 || m.p[x].argv == NULL); /* unknown: no command line */
	jr_model_free(&m);
}

/* Zombies: a zombie event and a process left unreaped at its parent's exit. */
static void test_zombies(void **state)
{
	(void)state;
	struct jr_model m;
	model_of(&m,
	         "{\"event\":\"fork\",\"pid\":1,\"t_ns\":1000000,\"child\":2,\"how\":\"fork\"}\n"
	         "{\"event\":\"zombie\",\"pid\":1,\"t_ns\":9000000,\"child\":2,"
	         "\"child_comm\":\"z\",\"age_ms\":4}\n"
	         "{\"event\":\"report\",\"pid\":1,\"t_ns\":10000000,\"running\":[],"
	         "\"zombies\":[{\"child\":2,\"child_comm\":\"z\",\"age_ms\":5}]}\n");
	const struct jr_proc *p = &m.p[proc_of(&m, 2)];
	assert_int_equal(p->zombies, 1);
	assert_true(p->zombie_end && jr_done(p) && jr_late(p, 1000));
	assert_true(p->exit_exact && p->exit_ns == 5000000); /* from the zombie's age */
	char st[48];
	assert_string_equal(jr_status(p, st), "zombie");
	jr_model_free(&m);
}

/* A zombie at its parent's exit, not watched: the report's age is no exit time.  The
 * exit stays unknown (no span, no real time, an open interval to draw); a watched one
 * (exit_ns in the report) is exact. */
static void test_unwatched_zombie(void **state)
{
	(void)state;
	struct jr_model m;
	model_of(&m,
	         "{\"event\":\"fork\",\"pid\":1,\"t_ns\":1000000,\"child\":2,\"how\":\"fork\"}\n"
	         "{\"event\":\"fork\",\"pid\":1,\"t_ns\":1000000,\"child\":3,\"how\":\"fork\"}\n"
	         "{\"event\":\"report\",\"pid\":1,\"t_ns\":501000000,\"running\":[],"
	         "\"zombies\":[{\"child\":2,\"child_comm\":\"z\",\"fork_ns\":1000000,"
	         "\"exit_ns\":null,\"age_ms\":null},{\"child\":3,\"child_comm\":\"w\","
	         "\"fork_ns\":1000000,\"exit_ns\":201000000,\"age_ms\":300}]}\n"
	         "{\"event\":\"report\",\"pid\":5,\"t_ns\":9000000,\"running\":[],"
	         "\"zombies\":[{\"child\":6,\"child_comm\":\"old\",\"age_ms\":8}]}\n");
	const struct jr_proc *z = &m.p[proc_of(&m, 2)], *w = &m.p[proc_of(&m, 3)];
	const struct jr_proc *old = &m.p[proc_of(&m, 6)];
	int64_t s, e;
	assert_true(z->zombie_end && jr_exit_unknown(z) && !z->has_exit);
	assert_true(jr_real(z) < 0);
	assert_false(jr_span(&m, z, &s, &e));
	assert_true(jr_span_open(z, &s, &e) && s == 1000000 && e == 501000000);
	assert_true(w->has_exit && w->exit_exact && w->exit_ns == 201000000);
	assert_true(jr_real(w) > 199.9 && jr_real(w) < 200.1);
	/* An older log's age (from the fork) is no exit either. */
	assert_true(jr_exit_unknown(old) && jr_real(old) < 0);
	jr_model_free(&m);
}

/* Sub-millisecond processes: real time from the log's nanoseconds, not the reap's
 * real_ms (rounded to the ms); a real_ns in the reap is taken as it is. */
static void test_real_ns(void **state)
{
	(void)state;
	struct jr_model m;
	model_of(&m,
	         "{\"event\":\"fork\",\"pid\":1,\"t_ns\":1000000,\"child\":2,\"how\":\"fork\"}\n"
	         "{\"event\":\"reap\",\"pid\":1,\"t_ns\":1650000,\"child\":2,\"code\":0,"
	         "\"real_ms\":1,\"exact\":false}\n"
	         "{\"event\":\"fork\",\"pid\":1,\"t_ns\":2000000,\"child\":3,\"how\":\"fork\"}\n"
	         "{\"event\":\"reap\",\"pid\":1,\"t_ns\":4000000,\"child\":3,\"code\":0,"
	         "\"real_ms\":1,\"real_ns\":1380000,\"exact\":false}\n");
	const struct jr_proc *a = &m.p[proc_of(&m, 2)], *b = &m.p[proc_of(&m, 3)];
	assert_true(fabs(jr_real(a) - 0.65) < 1e-9 && jr_real_ns(a));
	assert_true(fabs(jr_real(b) - 1.38) < 1e-9 && jr_real_ns(b));
	jr_model_free(&m);
}

/* Runs appended to one log: each starts with joinrun's fork of its command. */
static void test_split_runs(void **state)
{
	(void)state;
	struct jr_model m, **runs;
	char path[] = "/tmp/jr_unit.XXXXXX";
	const char *text =
	    "{\"event\":\"fork\",\"pid\":9,\"t_ns\":1000,\"child\":2,\"how\":\"joinrun\"}\n"
	    "{\"event\":\"reap\",\"pid\":9,\"t_ns\":2000,\"child\":2,\"code\":0}\n"
	    "{\"event\":\"fork\",\"pid\":8,\"t_ns\":900000,\"child\":3,\"how\":\"joinrun\"}\n"
	    "{\"event\":\"fork\",\"pid\":3,\"t_ns\":900500,\"child\":4,\"how\":\"fork\"}\n"
	    "{\"event\":\"reap\",\"pid\":3,\"t_ns\":901000,\"child\":4,\"code\":0}\n"
	    "{\"event\":\"reap\",\"pid\":8,\"t_ns\":902000,\"child\":3,\"code\":0}\n";
	int fd = mkstemp(path);
	assert_true(fd >= 0 && write(fd, text, strlen(text)) == (ssize_t)strlen(text));
	close(fd);
	jr_model_init(&m, "log");
	assert_int_equal(jr_model_read(&m, path), 0);
	unlink(path);
	assert_int_equal(jr_model_split(&m, &runs), 2);
	jr_model_build(runs[0]);
	jr_model_build(runs[1]);
	assert_string_equal(runs[1]->name, "log (run 2)");
	assert_int_equal(runs[0]->n, 1);
	assert_int_equal(runs[1]->n, 2);
	assert_true(runs[1]->t1 - runs[1]->t0 == 2000); /* no idle gap between the runs */
	for (int k = 0; k < 2; k++) {
		jr_model_free(runs[k]);
		free(runs[k]);
	}
	free(runs);
	jr_model_free(&m);
}

/* Malformed lines are counted and skipped; unknown events and '#' lines are not ours. */
static void test_malformed(void **state)
{
	(void)state;
	struct jr_model m;
	model_of(&m, "# libjoin: a diagnostic\n"
	             "not json\n"
	             "[1,2]\n"
	             "{\"event\":\"fork\",\"t_ns\":1,\"child\":2}\n"
	             "{\"event\":\"fork\",\"pid\":1,\"child\":2}\n"
	             "{\"event\":\"reap\",\"pid\":1,\"t_ns\":1}\n"
	             "{\"event\":\"later\",\"pid\":1,\"t_ns\":1}\n"
	             "{\"event\":\"fork\",\"pid\":1,\"t_ns\":1,\"child\":2,\"how\":\"fork\"}\n");
	assert_int_equal(m.lines, 8);
	assert_int_equal(m.malformed, 5);
	assert_int_equal(m.events, 1);
	jr_model_free(&m);
}

/* The groups: by command, the most total real time first, with distributions. */
static void test_groups(void **state)
{
	(void)state;
	struct jr_model m;
	model_of(&m, "{\"event\":\"reap\",\"pid\":1,\"t_ns\":9,\"child\":2,\"child_comm\":\"a\","
	             "\"code\":0,\"real_ms\":10,\"user_ms\":4,\"maxrss_kb\":100}\n"
	             "{\"event\":\"reap\",\"pid\":1,\"t_ns\":9,\"child\":3,\"child_comm\":\"a\","
	             "\"code\":0,\"real_ms\":30,\"user_ms\":6,\"maxrss_kb\":300}\n"
	             "{\"event\":\"reap\",\"pid\":1,\"t_ns\":9,\"child\":4,\"child_comm\":\"b\","
	             "\"code\":3,\"real_ms\":50}\n");
	int n;
	struct jr_group *g = jr_groups(&m, &n);
	assert_int_equal(n, 2);
	assert_string_equal(g[0].name, "b");
	assert_true(g[0].abnormal == 1 && g[0].user.n == 0);
	assert_string_equal(g[1].name, "a");
	assert_true(g[1].n == 2 && g[1].real.median == 20 && g[1].real.min == 10);
	assert_true(g[1].user.mean == 5 && g[1].rss.max == 300);
	jr_groups_free(g, n);
	jr_model_free(&m);
}

/* Own and inclusive CPU: microseconds read before the deprecated milliseconds; a log
 * without own times gets them from the tree (inclusive less the children reaped). */
static void test_own_time(void **state)
{
	(void)state;
	struct jr_model m;
	model_of(&m, "{\"event\":\"fork\",\"pid\":1,\"t_ns\":1,\"child\":2,\"how\":\"fork\"}\n"
	             "{\"event\":\"fork\",\"pid\":2,\"t_ns\":2,\"child\":3,\"how\":\"fork\"}\n"
	             "{\"event\":\"reap\",\"pid\":2,\"t_ns\":3,\"child\":3,\"code\":0,"
	             "\"user_us\":2500,\"sys_us\":500,\"user_ms\":3,\"sys_ms\":1}\n"
	             "{\"event\":\"reap\",\"pid\":1,\"t_ns\":4,\"child\":2,\"code\":0,"
	             "\"user_ms\":10,\"sys_ms\":2}\n");
	int a = proc_of(&m, 2), b = proc_of(&m, 3);
	assert_true(m.p[b].user_ms == 2.5 && m.p[b].sys_ms == 0.5);           /* us, not the ms */
	assert_true(m.p[b].self_user_ms == 2.5 && m.p[b].self_sys_ms == 0.5); /* a leaf */
	assert_true(m.p[a].self_user_ms == 7.5 && m.p[a].self_sys_ms == 1.5);
	assert_true(jr_self_cpu(&m.p[a]) == 9 && jr_incl_cpu(&m.p[a]) == 12);
	jr_model_free(&m);
	/* The collector's own times win; an opaque process has none. */
	model_of(&m, "{\"event\":\"reap\",\"pid\":1,\"t_ns\":4,\"child\":2,\"code\":0,"
	             "\"user_us\":10000,\"sys_us\":0,\"self_user_us\":4000,\"self_sys_us\":0}\n"
	             "{\"event\":\"reap\",\"pid\":1,\"t_ns\":5,\"child\":3,\"code\":0,"
	             "\"user_us\":10000,\"sys_us\":0,\"opaque\":\"static\"}\n");
	assert_true(m.p[proc_of(&m, 2)].self_user_ms == 4);
	assert_true(m.p[proc_of(&m, 3)].opaque == 1 && jr_self_cpu(&m.p[proc_of(&m, 3)]) < 0);
	jr_model_free(&m);
}

/* A child left a zombie at its parent's exit, then reaped by joinrun as an orphan: one
 * process, not two. */
static void test_orphan_reaped(void **state)
{
	(void)state;
	struct jr_model m;
	model_of(&m, "{\"event\":\"fork\",\"pid\":9,\"t_ns\":1,\"child\":10,\"how\":\"joinrun\"}\n"
	             "{\"event\":\"fork\",\"pid\":10,\"t_ns\":2,\"child\":11,\"how\":\"fork\"}\n"
	             "{\"event\":\"report\",\"pid\":10,\"t_ns\":5,\"running\":[],"
	             "\"zombies\":[{\"child\":11,\"age_ms\":0}]}\n"
	             "{\"event\":\"reap\",\"pid\":9,\"t_ns\":6,\"child\":11,\"code\":4,"
	             "\"orphan\":true,\"parent\":10}\n"
	             "{\"event\":\"reap\",\"pid\":9,\"t_ns\":7,\"child\":10,\"code\":0}\n");
	int n11 = 0;
	for (int i = 0; i < m.n; i++)
		n11 += m.p[i].pid == 11;
	assert_int_equal(n11, 1);
	const struct jr_proc *o = &m.p[proc_of(&m, 11)];
	assert_true(o->orphan && o->has_reap && o->code == 4 && o->zombie_end);
	assert_int_equal(o->parent, proc_of(&m, 10));
	jr_model_free(&m);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_tree),
	    cmocka_unit_test(test_pid_reuse),
	    cmocka_unit_test(test_exact_exit),
	    cmocka_unit_test(test_exec),
	    cmocka_unit_test(test_zombies),
	    cmocka_unit_test(test_malformed),
	    cmocka_unit_test(test_unwatched_zombie),
	    cmocka_unit_test(test_real_ns),
	    cmocka_unit_test(test_split_runs),
	    cmocka_unit_test(test_own_time),
	    cmocka_unit_test(test_orphan_reaped),
	    cmocka_unit_test(test_groups),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
