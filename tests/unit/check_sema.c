/* check_sema.c — unit tests for interned types and their spelling. */
#include <check.h>

#include "../../sema/sema.h"

static Arena arena;

static void setup(void)
{
    g_arena = &arena;
    types_init();
}

static void teardown(void) { arena_free(&arena); }

START_TEST(interning_gives_pointer_equality)
{
    Type *a = ty_vec(ty_prim(TY_I32));
    Type *b = ty_vec(ty_prim(TY_I32));
    ck_assert_ptr_eq(a, b);
    ck_assert_ptr_ne(ty_ref(ty_prim(TY_I32), false), ty_ref(ty_prim(TY_I32), true));
    Type *el[2] = {ty_prim(TY_I32), ty_string()};
    ck_assert_ptr_eq(ty_tuple(el, 2), ty_tuple(el, 2));
}
END_TEST

START_TEST(spelling_matches_rustc)
{
    ck_assert_str_eq(ty_str(ty_ref(ty_prim(TY_STR), false)), "&str");
    ck_assert_str_eq(ty_str(ty_ref(ty_vec(ty_string()), true)), "&mut Vec<String>");
    Type *one[1] = {ty_prim(TY_U8)};
    ck_assert_str_eq(ty_str(ty_tuple(one, 1)), "(u8,)");
    ck_assert_str_eq(ty_str(ty_unit()), "()");
    ck_assert_str_eq(ty_str(ty_array(ty_prim(TY_F64), 3)), "[f64; 3]");
    ck_assert_str_eq(ty_str(ty_var(VAR_INT)), "{integer}");
}
END_TEST

START_TEST(zonk_defaults_literals)
{
    Type *i = ty_var(VAR_INT), *f = ty_var(VAR_FLOAT);
    Type *t = ty_vec(i);
    ck_assert_ptr_eq(ty_zonk(t), ty_vec(ty_prim(TY_I32)));
    ck_assert_ptr_eq(ty_zonk(f), ty_prim(TY_F64));
}
END_TEST

START_TEST(copy_rules)
{
    ck_assert(ty_is_copy(ty_prim(TY_I64)));
    ck_assert(ty_is_copy(ty_ref(ty_string(), false)));
    ck_assert(!ty_is_copy(ty_ref(ty_string(), true)));
    ck_assert(!ty_is_copy(ty_string()));
    Type *el[2] = {ty_prim(TY_I32), ty_string()};
    ck_assert(!ty_is_copy(ty_tuple(el, 2)));
    ck_assert(ty_is_copy(ty_array(ty_prim(TY_BOOL), 4)));
}
END_TEST

START_TEST(std_types_are_rows)
{
    const StdType *vec = std_type_named("Vec");
    ck_assert_ptr_nonnull(vec);
    ck_assert_int_eq(vec->nparams, 1);
    const StdType *map = std_type_named("HashMap"); /* K and V; found after `use std::collections::HashMap` */
    ck_assert_ptr_nonnull(map);
    ck_assert(map->nparams == 2 && !strcmp(map->module, "collections"));
    const StdType *bt = std_type_named("BTreeMap"); /* a row of its own, with the map's methods */
    ck_assert_ptr_nonnull(bt);
    ck_assert(bt->nparams == 2 && bt->families == map->families);
    const StdType *dq = std_type_named("VecDeque"); /* a Vec's elements, with its own family first */
    ck_assert_ptr_nonnull(dq);
    ck_assert(dq->nparams == 1 && dq->deref == SD_SLICE && dq->families == FAM_DEQUE);
    ck_assert_ptr_null(std_type_named("LinkedList")); /* not a row */
    const StdType *rc = std_type_named("Rc");
    ck_assert_ptr_nonnull(rc);
    ck_assert(rc->deref == SD_ARG_SHARED && !strcmp(rc->module, "rc"));
    Type *v = ty_vec(ty_prim(TY_U8));
    ck_assert(v->kind == TY_STD && v->std == vec && ty_is_std(v, STD_VEC) && !ty_is_std(v, STD_BOX));
    ck_assert_ptr_eq(ty_std(STD_VEC, &v->args[0], 1), v);
    ck_assert_ptr_ne(ty_box(ty_prim(TY_U8)), v); /* same argument, another row */
    ck_assert_ptr_eq(ty_std_deref(v), ty_slice(ty_prim(TY_U8)));
    ck_assert_ptr_eq(ty_std_deref(ty_string()), ty_prim(TY_STR));
    ck_assert_ptr_eq(ty_std_deref(ty_box(v)), v);
    ck_assert_ptr_null(ty_std_deref(ty_prim(TY_I32)));
    ck_assert_str_eq(ty_str(ty_box(ty_vec(ty_string()))), "Box<Vec<String>>");
    ck_assert(ty_needs_drop(ty_box(ty_prim(TY_I32))) && !ty_is_copy(ty_box(ty_prim(TY_I32))));
}
END_TEST

START_TEST(shared_ownership_rows)
{
    Type *i = ty_prim(TY_I32);
    Type *rc = ty_std(STD_RC, &i, 1), *cell = ty_std(STD_CELL, &i, 1), *ref = ty_std(STD_REF, &i, 1);
    ck_assert_str_eq(ty_str(ref), "Ref<'_, i32>");
    ck_assert(ty_is_smart(rc) && ty_smart_shared(rc) && ty_is_smart(ty_box(i)) && !ty_smart_shared(ty_box(i)));
    ck_assert(!ty_needs_drop(cell) && ty_needs_drop(rc) && ty_needs_drop(ref)); /* a Cell<i32> owns nothing */
    Type *u = ty_prim(TY_USIZE);
    ck_assert_str_eq(ty_str(ty_std(STD_ATOMIC, &u, 1)), "AtomicUsize");
    Type *culprit = NULL;
    bool shared = false;
    ck_assert(!ty_thread_safe(rc, false, &culprit, &shared)); /* Rc: not Send */
    ck_assert(culprit == rc && !shared);
    Type *refcell = ty_std(STD_REFCELL, &i, 1);
    ck_assert(ty_thread_safe(refcell, false, &culprit, &shared)); /* RefCell<i32>: Send ... */
    Type *arc = ty_std(STD_ARC, &refcell, 1);
    ck_assert(!ty_thread_safe(arc, false, &culprit, &shared)); /* ... not Sync, so no Arc of it */
    ck_assert(culprit == refcell && shared);
    Type *mutex = ty_std(STD_MUTEX, &refcell, 1);
    Type *arc_mutex = ty_std(STD_ARC, &mutex, 1);
    ck_assert(ty_thread_safe(arc_mutex, false, &culprit, &shared)); /* a Mutex makes it Sync */
    ck_assert(!ty_thread_safe(ty_ref(cell, false), false, &culprit, &shared)); /* &Cell: not Send */
}
END_TEST

START_TEST(pin_and_task_rows)
{
    Type *i = ty_prim(TY_I32), *s = ty_string();
    Type *mi = ty_ref(i, true), *si = ty_ref(i, false), *bs = ty_box(s);
    Type *pin_mut = ty_std(STD_PIN, &mi, 1), *pin_ref = ty_std(STD_PIN, &si, 1), *pin_box = ty_std(STD_PIN, &bs, 1);
    ck_assert_str_eq(ty_str(pin_mut), "Pin<&mut i32>");
    ck_assert_str_eq(ty_str(ty_std(STD_CONTEXT, NULL, 0)), "Context<'_>");
    ck_assert(ty_is_copy(pin_ref) && !ty_is_copy(pin_mut) && !ty_is_copy(pin_box)); /* as the pointer is */
    ck_assert(!ty_needs_drop(pin_mut) && ty_needs_drop(pin_box)); /* a Pin<Box<T>> frees its box */
    ck_assert(ty_is_smart(pin_mut) && ty_std_deref(pin_mut) == mi); /* its deref reaches P, then P's target */
    Type *culprit = NULL;
    Type *el[2] = {i, bs};
    ck_assert(ty_is_unpin(ty_tuple(el, 2), &culprit) && ty_is_unpin(pin_mut, &culprit));
    Type *param = ty_param(0, "F");
    ck_assert(ty_is_unpin(ty_box(param), &culprit)); /* a Box<F> never holds F in place */
    ck_assert(!ty_is_unpin(ty_tuple((Type *[]){i, param}, 2), &culprit) && culprit == param); /* F may not be */
}
END_TEST

Suite *sema_suite(void);
Suite *sema_suite(void)
{
    Suite *s = suite_create("sema");
    TCase *tc = tcase_create("types");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, interning_gives_pointer_equality);
    tcase_add_test(tc, spelling_matches_rustc);
    tcase_add_test(tc, zonk_defaults_literals);
    tcase_add_test(tc, copy_rules);
    tcase_add_test(tc, std_types_are_rows);
    tcase_add_test(tc, shared_ownership_rows);
    tcase_add_test(tc, pin_and_task_rows);
    suite_add_tcase(s, tc);
    return s;
}
