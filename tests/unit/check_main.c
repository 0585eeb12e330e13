/* check_main.c — the one Check runner for every unit suite.
 *
 * requires: one `Suite *<module>_suite(void)` per tests/unit/check_<module>.c;
 * produces: TAP on stdout for automake's tap-driver.sh, which counts each
 * test case as one result (STYLE.md "Tests").
 *
 * Check's own progress output is silenced (CK_SILENT) so that stdout holds
 * nothing but TAP; failure details go into the TAP lines themselves. The
 * usual Check variables still work for narrowing a run, e.g.
 *   CK_RUN_SUITE=fmt CK_RUN_CASE=floats tests/unit/check_main
 * and CK_FORK=no runs the tests in-process for gdb. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>

Suite *lexer_suite(void), *parser_suite(void), *fmt_suite(void),
      *runtime_suite(void), *sema_suite(void), *borrowck_suite(void);

int main(void)
{
    /* Anything a test prints must not end up interleaved with TAP that is
     * still sitting in a stdio buffer, nor be flushed twice by a forked
     * child: keep stdout unbuffered. */
    setvbuf(stdout, NULL, _IONBF, 0);

    SRunner *sr = srunner_create(lexer_suite());
    srunner_add_suite(sr, parser_suite());
    srunner_add_suite(sr, sema_suite());
    srunner_add_suite(sr, borrowck_suite());
    srunner_add_suite(sr, fmt_suite());
    srunner_add_suite(sr, runtime_suite());

    srunner_set_tap(sr, "-");
    srunner_run_all(sr, CK_SILENT);

    /* Failed tests are "not ok" lines, which the TAP driver counts; the exit
     * status only reports a runner that did not run at all. */
    int ran = srunner_ntests_run(sr);
    srunner_free(sr);
    if (ran == 0) {
        fprintf(stderr, "check_main: no unit test ran\n");
        return EXIT_FAILURE;
    }
    return EXIT_SUCCESS;
}
