/* check_borrowck.c — the ownership phases on small programs: the control-flow
 * graph's drop states (which locals need a drop flag, and where), and the
 * capture analysis of closures (places, modes, traits).
 *
 * requires: parser/parse.h, sema/sema.h, borrowck/borrowck.h;
 * produces: borrowck_suite(). */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "borrowck/borrowck.h"
#include "borrowck/cfg.h"
#include "borrowck/loans.h"
#include "driver/diag.h"
#include "driver/util.h"
#include "parser/parse.h"
#include "sema/sema.h"

static Arena arena;

static void setup(void) { g_arena = &arena; }

static void teardown(void) { arena_free(&arena); }

/* Parse, check and move-check src; it must have no errors. */
static Program *compile(const char *src)
{
    diag_init("t.mrs", src, strlen(src));
    Crate *c = parse_crate(src, strlen(src));
    ck_assert_int_eq(diag_error_count(), 0);
    Program *p = sema_check(c);
    ck_assert_int_eq(diag_error_count(), 0);
    bck_check(p);
    ck_assert_int_eq(diag_error_count(), 0);
    return p;
}

static FnDef *fn_named(Program *p, const char *name)
{
    for (int i = 0; i < p->fns.len; i++) {
        FnDef *f = p->fns.items[i];
        if (!strcmp(f->name, name))
            return f;
    }
    ck_abort_msg("no fn %s", name);
    return NULL;
}

static Local *local_named(FnDef *f, const char *name)
{
    for (int i = 0; i < f->locals.len; i++) {
        Local *l = f->locals.items[i];
        if (!strcmp(l->name, name))
            return l;
    }
    ck_abort_msg("no local %s", name);
    return NULL;
}

/* How many drop points of l have state s. */
static int count_states(Local *l, DropState s)
{
    int n = 0;
    for (int i = 0; i < l->drop_points.len; i++)
        n += ((DropPoint *)l->drop_points.items[i])->state == s;
    return n;
}

/* rustc shows a borrow of a moved value at the borrow: `&s`, not `s` after it (an auto-ref
 * receiver and a format argument have no `&` of their own: the place itself). */
START_TEST(borrow_of_moved_value_is_shown_at_the_borrow)
{
    const char *src = "fn take(v: Vec<i32>) {}\n"
                      "fn main() {\n"
                      "    let v = vec![1];\n"
                      "    take(v);\n"
                      "    for n in &v { let _ = n; }\n"
                      "    let s = String::new();\n"
                      "    let t = s;\n"
                      "    let _ = t;\n"
                      "    let n = s.len();\n"
                      "}\n";
    diag_init("t.mrs", src, strlen(src));
    Crate *c = parse_crate(src, strlen(src));
    Program *p = sema_check(c);
    ck_assert_int_eq(diag_error_count(), 0);
    bck_check(p);
    ck_assert_int_eq(diag_error_count(), 2);
    ck_assert(diag_error_found("E0382", 5, 14)); /* &v */
    ck_assert(diag_error_found("E0382", 9, 13)); /* s, of s.len() */
}
END_TEST

START_TEST(moved_in_one_branch_needs_a_flag)
{
    Program *p = compile("fn take(s: String) {}\n"
                         "fn f(c: bool) {\n"
                         "    let s = String::new();\n"
                         "    if c { take(s); }\n"
                         "    let t = 1;\n"
                         "    let _ = t;\n"
                         "}\n"
                         "fn main() { f(true); }\n");
    Local *s = local_named(fn_named(p, "f"), "s");
    ck_assert(s->drop_maybe);
    ck_assert_int_eq(count_states(s, DROP_MAYBE), 1);
}
END_TEST

START_TEST(moved_on_every_path_needs_none)
{
    Program *p = compile("fn take(s: String) {}\n"
                         "fn f(c: bool) {\n"
                         "    let s = String::new();\n"
                         "    if c { take(s); } else { println!(\"x\"); take(s); }\n"
                         "}\n"
                         "fn g(c: bool) {\n"
                         "    let s = String::new();\n"
                         "    if c { return; }\n"
                         "    take(s);\n"
                         "}\n"
                         "fn main() { f(true); g(false); }\n");
    Local *s = local_named(fn_named(p, "f"), "s");
    ck_assert(!s->drop_maybe);
    /* the `if` is the fn's tail: each branch returns, each after its move */
    ck_assert_int_eq(count_states(s, DROP_DEAD), 2);
    ck_assert_int_eq(count_states(s, DROP_LIVE), 0);
    Local *s2 = local_named(fn_named(p, "g"), "s");
    ck_assert(!s2->drop_maybe);
    ck_assert_int_eq(count_states(s2, DROP_LIVE), 1); /* the early return drops it */
    ck_assert_int_eq(count_states(s2, DROP_DEAD), 1); /* the end does not */
}
END_TEST

START_TEST(loop_break_and_assignment)
{
    Program *p = compile("fn take(s: String) {}\n"
                         "fn f() {\n"
                         "    let mut s = String::new();\n"
                         "    loop {\n"
                         "        take(s);\n"
                         "        s = String::from(\"again\");\n"
                         "        break;\n"
                         "    }\n"
                         "}\n"
                         "fn main() { f(); }\n");
    Local *s = local_named(fn_named(p, "f"), "s");
    ck_assert(!s->drop_maybe);
    /* the assignment finds nothing to drop; the break leaves a value */
    ck_assert_int_eq(count_states(s, DROP_DEAD), 1);
    ck_assert_int_eq(count_states(s, DROP_LIVE), 1);
}
END_TEST

static Closure *closure_of(Program *p, const char *fn, int i)
{
    FnDef *f = fn_named(p, fn);
    ck_assert_int_gt(f->closures.len, i);
    return f->closures.items[i];
}

START_TEST(capture_modes_and_traits)
{
    Program *p = compile("fn main() {\n"
                         "    let mut s = String::from(\"a\");\n"
                         "    let t = String::from(\"b\");\n"
                         "    let u = String::from(\"c\");\n"
                         "    let mut push = || s.push_str(\"!\");\n"
                         "    push();\n"
                         "    let read = || t.len();\n"
                         "    read();\n"
                         "    let eat = || { let v = u; v };\n"
                         "    eat();\n"
                         "}\n");
    Closure *push = closure_of(p, "main", 0), *read = closure_of(p, "main", 1), *eat = closure_of(p, "main", 2);
    ck_assert_int_eq(push->kind, FN_MUT);
    ck_assert_int_eq(((Capture *)push->captures.items[0])->mode, CAP_MUT);
    ck_assert_int_eq(read->kind, FN_FN);
    ck_assert_int_eq(((Capture *)read->captures.items[0])->mode, CAP_REF);
    ck_assert_int_eq(eat->kind, FN_ONCE);
    ck_assert_int_eq(((Capture *)eat->captures.items[0])->mode, CAP_VALUE);
    ck_assert_str_eq(((Capture *)eat->captures.items[0])->place, "u");
}
END_TEST

START_TEST(precise_places_and_move)
{
    Program *p = compile("struct P { x: i32, name: String }\n"
                         "fn main() {\n"
                         "    let p = P { x: 1, name: String::from(\"n\") };\n"
                         "    let r = &p;\n"
                         "    let get = || p.x + 1;\n"
                         "    let own = move || r.name.len();\n"
                         "    let _ = (get(), own());\n"
                         "}\n");
    Closure *get = closure_of(p, "main", 0), *own = closure_of(p, "main", 1);
    ck_assert_int_eq(get->captures.len, 1);
    ck_assert_str_eq(((Capture *)get->captures.items[0])->place, "p.x");
    ck_assert_str_eq(((Capture *)get->captures.items[0])->field, "p_x");
    /* a move closure owns the reference itself, not what it points to */
    ck_assert_int_eq(own->captures.len, 1);
    ck_assert_str_eq(((Capture *)own->captures.items[0])->place, "r");
    ck_assert_int_eq(((Capture *)own->captures.items[0])->mode, CAP_VALUE);
    ck_assert_int_eq(own->kind, FN_FN);
}
END_TEST

START_TEST(let_underscore_captures_nothing)
{
    Program *p = compile("fn main() {\n"
                         "    let x = String::from(\"x\");\n"
                         "    let c = move || { let _ = x; };\n"
                         "    c();\n"
                         "    println!(\"{}\", x);\n"
                         "}\n");
    ck_assert_int_eq(closure_of(p, "main", 0)->captures.len, 0);
}
END_TEST

/* A loan's region far down the file: its lines are kept from the first marked, and
 * printed as the source's line numbers. */
START_TEST(region_of_a_loan_far_down)
{
    StrBuf src;
    sb_init(&src);
    for (int i = 0; i < 300; i++)
        sb_puts(&src, "// filler\n");
    sb_puts(&src, "fn main() {\n"              /* 301 */
                  "    let v = vec![1, 2];\n"  /* 302 */
                  "    let r = &v;\n"          /* 303 */
                  "    println!(\"{}\", r[0]);\n" /* 304 */
                  "    drop(v);\n"             /* 305 */
                  "}\n");
    Program *p = compile(src.data);
    char *out = NULL;
    size_t n = 0;
    FILE *f = open_memstream(&out, &n);
    bck_explain_borrows(f, fn_named(p, "main")->cfg);
    fclose(f);
    ck_assert_msg(strstr(out, "live on lines 303-304") != NULL, "%s", out);
    free(out);
    sb_free(&src);
}
END_TEST

/* arena_reset keeps one chunk for reuse and hands its memory out zeroed again. */
START_TEST(arena_reset_reuses_zeroed)
{
    Arena a = {0};
    unsigned char *p = arena_alloc(&a, 1000);
    memset(p, 0xff, 1000);
    for (int i = 0; i < 3; i++)
        memset(arena_alloc(&a, 3 << 20), 0xff, 3 << 20);
    arena_reset(&a);
    ck_assert_ptr_nonnull(a.head);
    unsigned char *q = arena_alloc(&a, 1000);
    for (int i = 0; i < 1000; i++)
        ck_assert_int_eq(q[i], 0);
    arena_free(&a);
    ck_assert_ptr_null(a.head);
}
END_TEST

Suite *borrowck_suite(void);

Suite *borrowck_suite(void)
{
    Suite *s = suite_create("borrowck");
    TCase *cfg = tcase_create("cfg");
    tcase_add_checked_fixture(cfg, setup, teardown);
    tcase_add_test(cfg, borrow_of_moved_value_is_shown_at_the_borrow);
    tcase_add_test(cfg, moved_in_one_branch_needs_a_flag);
    tcase_add_test(cfg, moved_on_every_path_needs_none);
    tcase_add_test(cfg, loop_break_and_assignment);
    tcase_add_test(cfg, region_of_a_loan_far_down);
    tcase_add_test(cfg, arena_reset_reuses_zeroed);
    suite_add_tcase(s, cfg);
    TCase *cap = tcase_create("captures");
    tcase_add_checked_fixture(cap, setup, teardown);
    tcase_add_test(cap, capture_modes_and_traits);
    tcase_add_test(cap, precise_places_and_move);
    tcase_add_test(cap, let_underscore_captures_nothing);
    suite_add_tcase(s, cap);
    return s;
}
