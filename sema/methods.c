/* methods.c — method calls.
 *
 * requires: the receiver typed, and the impls collected;
 * produces: a MethodRes on each EX_METHOD (the user method and its Inst, or
 * the std method mrsc implements, with the types codegen needs) and the
 * receiver's Adjust; E0599 when there is no such method.
 *
 * Receiver probing as rustc: peel references off the receiver type to its
 * base type B; look for an inherent method of B (user impls), then a std
 * method mrsc implements for B's family (str methods also on String, slice
 * methods also on Vec and arrays). The receiver's Adjust records the
 * derefs, and the auto-ref the method's self mode needs. */
#include "check_int.h"

#include <string.h>

/* ---- the std methods mrsc implements ---------------------------------------- */

typedef enum Family {
    FAM_ANY, FAM_INT, FAM_FLOAT, FAM_CHAR, FAM_STR, FAM_STRING, FAM_VEC, FAM_SLICE, FAM_OPTION,
    FAM_RESULT, FAM_ITER, FAM_RANGE,
} Family;

typedef struct MethodEntry {
    Family fam;
    const char *name;
    BuiltinMethod bm;
    int self_mode; /* 0 by value, 1 &self, 2 &mut self */
} MethodEntry;

static const MethodEntry method_table[] = {
    {FAM_ANY, "clone", BM_CLONE, 1}, {FAM_ANY, "to_string", BM_TO_STRING, 1}, {FAM_ANY, "to_owned", BM_TO_OWNED, 1},
    {FAM_ANY, "eq", BM_EQ, 1}, {FAM_ANY, "ne", BM_NE, 1}, {FAM_ANY, "cmp", BM_CMP, 1},
    {FAM_ANY, "partial_cmp", BM_PARTIAL_CMP, 1},
    {FAM_INT, "max", BM_MAX, 0}, {FAM_INT, "min", BM_MIN, 0},
    {FAM_INT, "pow", BM_INT_POW, 0}, {FAM_INT, "abs", BM_INT_ABS, 0},
    {FAM_INT, "checked_add", BM_INT_CHECKED_ADD, 0}, {FAM_INT, "checked_sub", BM_INT_CHECKED_SUB, 0},
    {FAM_INT, "checked_mul", BM_INT_CHECKED_MUL, 0}, {FAM_INT, "checked_div", BM_INT_CHECKED_DIV, 0},
    {FAM_INT, "checked_rem", BM_INT_CHECKED_REM, 0}, {FAM_INT, "checked_pow", BM_INT_CHECKED_POW, 0},
    {FAM_INT, "wrapping_add", BM_INT_WRAPPING_ADD, 0}, {FAM_INT, "wrapping_sub", BM_INT_WRAPPING_SUB, 0},
    {FAM_INT, "wrapping_mul", BM_INT_WRAPPING_MUL, 0}, {FAM_INT, "wrapping_neg", BM_INT_WRAPPING_NEG, 0},
    {FAM_INT, "wrapping_pow", BM_INT_WRAPPING_POW, 0}, {FAM_INT, "saturating_add", BM_INT_SATURATING_ADD, 0},
    {FAM_INT, "saturating_sub", BM_INT_SATURATING_SUB, 0}, {FAM_INT, "saturating_mul", BM_INT_SATURATING_MUL, 0},
    {FAM_INT, "saturating_pow", BM_INT_SATURATING_POW, 0}, {FAM_INT, "rem_euclid", BM_INT_REM_EUCLID, 0},
    {FAM_INT, "div_euclid", BM_INT_DIV_EUCLID, 0}, {FAM_INT, "count_ones", BM_INT_COUNT_ONES, 0},
    {FAM_INT, "count_zeros", BM_INT_COUNT_ZEROS, 0}, {FAM_INT, "leading_zeros", BM_INT_LEADING_ZEROS, 0},
    {FAM_INT, "trailing_zeros", BM_INT_TRAILING_ZEROS, 0}, {FAM_INT, "signum", BM_INT_SIGNUM, 0},
    {FAM_INT, "is_power_of_two", BM_INT_IS_POWER_OF_TWO, 0}, {FAM_INT, "is_positive", BM_INT_IS_POSITIVE, 0},
    {FAM_INT, "is_negative", BM_INT_IS_NEGATIVE, 0}, {FAM_INT, "abs_diff", BM_INT_ABS_DIFF, 0},
    {FAM_FLOAT, "sqrt", BM_F_SQRT, 0}, {FAM_FLOAT, "powi", BM_F_POWI, 0}, {FAM_FLOAT, "powf", BM_F_POWF, 0},
    {FAM_FLOAT, "abs", BM_F_ABS, 0}, {FAM_FLOAT, "floor", BM_F_FLOOR, 0}, {FAM_FLOAT, "ceil", BM_F_CEIL, 0},
    {FAM_FLOAT, "round", BM_F_ROUND, 0}, {FAM_FLOAT, "trunc", BM_F_TRUNC, 0}, {FAM_FLOAT, "min", BM_F_MIN, 0},
    {FAM_FLOAT, "max", BM_F_MAX, 0}, {FAM_FLOAT, "is_nan", BM_F_IS_NAN, 0}, {FAM_FLOAT, "sin", BM_F_SIN, 0},
    {FAM_FLOAT, "cos", BM_F_COS, 0}, {FAM_FLOAT, "tan", BM_F_TAN, 0}, {FAM_FLOAT, "exp", BM_F_EXP, 0},
    {FAM_FLOAT, "ln", BM_F_LN, 0}, {FAM_FLOAT, "log10", BM_F_LOG10, 0}, {FAM_FLOAT, "signum", BM_F_SIGNUM, 0},
    {FAM_FLOAT, "fract", BM_F_FRACT, 0}, {FAM_FLOAT, "hypot", BM_F_HYPOT, 0}, {FAM_FLOAT, "atan2", BM_F_ATAN2, 0},
    {FAM_FLOAT, "to_degrees", BM_F_TO_DEGREES, 0}, {FAM_FLOAT, "to_radians", BM_F_TO_RADIANS, 0},
    {FAM_FLOAT, "clamp", BM_F_CLAMP, 0}, {FAM_FLOAT, "mul_add", BM_F_MUL_ADD, 0},
    {FAM_FLOAT, "is_finite", BM_F_IS_FINITE, 0}, {FAM_FLOAT, "is_infinite", BM_F_IS_INFINITE, 0},
    {FAM_CHAR, "is_alphabetic", BM_C_IS_ALPHABETIC, 0}, {FAM_CHAR, "is_numeric", BM_C_IS_NUMERIC, 0},
    {FAM_CHAR, "is_alphanumeric", BM_C_IS_ALPHANUMERIC, 0}, {FAM_CHAR, "is_whitespace", BM_C_IS_WHITESPACE, 0},
    {FAM_CHAR, "is_uppercase", BM_C_IS_UPPERCASE, 0}, {FAM_CHAR, "is_lowercase", BM_C_IS_LOWERCASE, 0},
    {FAM_CHAR, "is_ascii_digit", BM_C_IS_ASCII_DIGIT, 1}, {FAM_CHAR, "is_ascii_alphabetic", BM_C_IS_ASCII_ALPHABETIC, 1},
    {FAM_CHAR, "is_ascii_alphanumeric", BM_C_IS_ASCII_ALPHANUMERIC, 1},
    {FAM_CHAR, "is_ascii_uppercase", BM_C_IS_ASCII_UPPERCASE, 1},
    {FAM_CHAR, "is_ascii_lowercase", BM_C_IS_ASCII_LOWERCASE, 1},
    {FAM_CHAR, "is_ascii_punctuation", BM_C_IS_ASCII_PUNCTUATION, 1},
    {FAM_CHAR, "is_ascii_whitespace", BM_C_IS_ASCII_WHITESPACE, 1}, {FAM_CHAR, "is_ascii", BM_C_IS_ASCII, 1},
    {FAM_CHAR, "to_ascii_uppercase", BM_C_TO_ASCII_UPPERCASE, 1},
    {FAM_CHAR, "to_ascii_lowercase", BM_C_TO_ASCII_LOWERCASE, 1}, {FAM_CHAR, "to_digit", BM_C_TO_DIGIT, 0},
    {FAM_CHAR, "len_utf8", BM_C_LEN_UTF8, 0}, {FAM_CHAR, "is_digit", BM_C_IS_DIGIT, 0},
    {FAM_CHAR, "is_control", BM_C_IS_CONTROL, 0},
    {FAM_STRING, "push", BM_STRING_PUSH, 2}, {FAM_STRING, "push_str", BM_STRING_PUSH_STR, 2},
    {FAM_STRING, "insert", BM_STRING_INSERT, 2}, {FAM_STRING, "insert_str", BM_STRING_INSERT_STR, 2},
    {FAM_STRING, "pop", BM_STRING_POP, 2}, {FAM_STRING, "clear", BM_STRING_CLEAR, 2},
    {FAM_STRING, "as_str", BM_STRING_AS_STR, 1}, {FAM_STRING, "truncate", BM_STRING_TRUNCATE, 2},
    {FAM_STRING, "remove", BM_STRING_REMOVE, 2}, {FAM_STRING, "capacity", BM_STRING_CAPACITY, 1},
    {FAM_STR, "len", BM_S_LEN, 1}, {FAM_STR, "is_empty", BM_S_IS_EMPTY, 1}, {FAM_STR, "chars", BM_S_CHARS, 1},
    {FAM_STR, "bytes", BM_S_BYTES, 1}, {FAM_STR, "as_bytes", BM_S_AS_BYTES, 1}, {FAM_STR, "lines", BM_S_LINES, 1},
    {FAM_STR, "split", BM_S_SPLIT, 1}, {FAM_STR, "split_whitespace", BM_S_SPLIT_WHITESPACE, 1},
    {FAM_STR, "trim", BM_S_TRIM, 1}, {FAM_STR, "trim_start", BM_S_TRIM_START, 1},
    {FAM_STR, "trim_end", BM_S_TRIM_END, 1}, {FAM_STR, "starts_with", BM_S_STARTS_WITH, 1},
    {FAM_STR, "ends_with", BM_S_ENDS_WITH, 1}, {FAM_STR, "contains", BM_S_CONTAINS, 1},
    {FAM_STR, "find", BM_S_FIND, 1}, {FAM_STR, "replace", BM_S_REPLACE, 1}, {FAM_STR, "repeat", BM_S_REPEAT, 1},
    {FAM_STR, "to_uppercase", BM_S_TO_UPPERCASE, 1}, {FAM_STR, "to_lowercase", BM_S_TO_LOWERCASE, 1},
    {FAM_STR, "to_ascii_uppercase", BM_S_TO_ASCII_UPPERCASE, 1},
    {FAM_STR, "to_ascii_lowercase", BM_S_TO_ASCII_LOWERCASE, 1}, {FAM_STR, "parse", BM_S_PARSE, 1},
    {FAM_STR, "char_indices", BM_S_CHAR_INDICES, 1},
    {FAM_STR, "eq_ignore_ascii_case", BM_S_EQ_IGNORE_ASCII_CASE, 1},
    {FAM_VEC, "push", BM_VEC_PUSH, 2}, {FAM_VEC, "pop", BM_VEC_POP, 2}, {FAM_VEC, "insert", BM_VEC_INSERT, 2},
    {FAM_VEC, "remove", BM_VEC_REMOVE, 2}, {FAM_VEC, "truncate", BM_VEC_TRUNCATE, 2},
    {FAM_VEC, "clear", BM_VEC_CLEAR, 2}, {FAM_VEC, "extend_from_slice", BM_VEC_EXTEND_FROM_SLICE, 2},
    {FAM_VEC, "dedup", BM_VEC_DEDUP, 2}, {FAM_VEC, "swap_remove", BM_VEC_SWAP_REMOVE, 2},
    {FAM_VEC, "capacity", BM_VEC_CAPACITY, 1}, {FAM_VEC, "into_iter", BM_VEC_INTO_ITER, 0},
    {FAM_VEC, "as_slice", BM_VEC_AS_SLICE, 1},
    {FAM_SLICE, "len", BM_SL_LEN, 1}, {FAM_SLICE, "is_empty", BM_SL_IS_EMPTY, 1}, {FAM_SLICE, "iter", BM_SL_ITER, 1},
    {FAM_SLICE, "iter_mut", BM_SL_ITER_MUT, 2}, {FAM_SLICE, "contains", BM_SL_CONTAINS, 1},
    {FAM_SLICE, "first", BM_SL_FIRST, 1}, {FAM_SLICE, "last", BM_SL_LAST, 1}, {FAM_SLICE, "get", BM_SL_GET, 1},
    {FAM_SLICE, "sort", BM_SL_SORT, 2}, {FAM_SLICE, "sort_unstable", BM_SL_SORT_UNSTABLE, 2},
    {FAM_SLICE, "reverse", BM_SL_REVERSE, 2}, {FAM_SLICE, "swap", BM_SL_SWAP, 2},
    {FAM_SLICE, "to_vec", BM_SL_TO_VEC, 1}, {FAM_SLICE, "join", BM_SL_JOIN, 1}, {FAM_SLICE, "concat", BM_SL_CONCAT, 1},
    {FAM_OPTION, "unwrap", BM_OPT_UNWRAP, 0}, {FAM_OPTION, "expect", BM_OPT_EXPECT, 0},
    {FAM_OPTION, "is_some", BM_OPT_IS_SOME, 1}, {FAM_OPTION, "is_none", BM_OPT_IS_NONE, 1},
    {FAM_OPTION, "unwrap_or", BM_OPT_UNWRAP_OR, 0}, {FAM_OPTION, "take", BM_OPT_TAKE, 2},
    {FAM_OPTION, "as_ref", BM_OPT_AS_REF, 1}, {FAM_OPTION, "as_mut", BM_OPT_AS_MUT, 2},
    {FAM_OPTION, "ok_or", BM_OPT_OK_OR, 0}, {FAM_OPTION, "unwrap_or_default", BM_OPT_UNWRAP_OR_DEFAULT, 0},
    {FAM_OPTION, "copied", BM_OPT_COPIED, 0}, {FAM_OPTION, "cloned", BM_OPT_CLONED, 0},
    {FAM_RESULT, "unwrap", BM_RES_UNWRAP, 0}, {FAM_RESULT, "expect", BM_RES_EXPECT, 0},
    {FAM_RESULT, "is_ok", BM_RES_IS_OK, 1}, {FAM_RESULT, "is_err", BM_RES_IS_ERR, 1},
    {FAM_RESULT, "unwrap_or", BM_RES_UNWRAP_OR, 0}, {FAM_RESULT, "ok", BM_RES_OK, 0},
    {FAM_RESULT, "err", BM_RES_ERR, 0}, {FAM_RESULT, "unwrap_err", BM_RES_UNWRAP_ERR, 0},
    {FAM_RESULT, "unwrap_or_default", BM_RES_UNWRAP_OR_DEFAULT, 0},
    {FAM_ITER, "next", BM_IT_NEXT, 2}, {FAM_ITER, "enumerate", BM_IT_ENUMERATE, 0}, {FAM_ITER, "rev", BM_IT_REV, 0},
    {FAM_ITER, "sum", BM_IT_SUM, 0}, {FAM_ITER, "product", BM_IT_PRODUCT, 0}, {FAM_ITER, "max", BM_IT_MAX, 0},
    {FAM_ITER, "min", BM_IT_MIN, 0}, {FAM_ITER, "count", BM_IT_COUNT, 0}, {FAM_ITER, "collect", BM_IT_COLLECT, 0},
    {FAM_ITER, "last", BM_IT_LAST, 0},
    {FAM_RANGE, "contains", BM_RANGE_CONTAINS, 1}, {FAM_RANGE, "len", BM_RANGE_LEN, 1},
    {FAM_INT, "rotate_left", BM_INT_ROTATE_LEFT, 0}, {FAM_INT, "rotate_right", BM_INT_ROTATE_RIGHT, 0},
    {FAM_SLICE, "sort_by", BM_SL_SORT_BY, 2}, {FAM_SLICE, "sort_by_key", BM_SL_SORT_BY_KEY, 2},
    {FAM_VEC, "retain", BM_VEC_RETAIN, 2},
    {FAM_OPTION, "or", BM_OPT_OR, 0}, {FAM_OPTION, "map", BM_OPT_MAP, 0}, {FAM_RESULT, "map", BM_RES_MAP, 0},
    {FAM_RESULT, "map_err", BM_RES_MAP_ERR, 0}, {FAM_STR, "is_char_boundary", BM_S_IS_CHAR_BOUNDARY, 1},
    {FAM_OPTION, "unwrap_or_else", BM_OPT_UNWRAP_OR_ELSE, 0}, {FAM_RESULT, "unwrap_or_else", BM_RES_UNWRAP_OR_ELSE, 0},
    {FAM_OPTION, "and_then", BM_OPT_AND_THEN, 0}, {FAM_ITER, "map", BM_IT_MAP, 0},
    {FAM_ITER, "filter", BM_IT_FILTER, 0}, {FAM_ITER, "fold", BM_IT_FOLD, 0}, {FAM_ITER, "any", BM_IT_ANY, 2},
    {FAM_ITER, "all", BM_IT_ALL, 2}, {FAM_ITER, "for_each", BM_IT_FOR_EACH, 0},
    {FAM_STR, "split_at", BM_S_SPLIT_AT, 1}, {FAM_SLICE, "split_at", BM_SL_SPLIT_AT, 1},
    {FAM_STR, "split_once", BM_S_SPLIT_ONCE, 1}, {FAM_STR, "get", BM_S_GET, 1}, {FAM_ITER, "nth", BM_IT_NTH, 2},
    {FAM_CHAR, "max", BM_MAX, 0}, {FAM_CHAR, "min", BM_MIN, 0},
};

static int families_of(Type *b, Family out[4])
{
    int n = 0;
    switch (b->kind) {
    case TY_STRING: out[n++] = FAM_STRING; out[n++] = FAM_STR; break;
    case TY_STR: out[n++] = FAM_STR; break;
    case TY_VEC: out[n++] = FAM_VEC; out[n++] = FAM_SLICE; break;
    case TY_ARRAY: case TY_SLICE: out[n++] = FAM_SLICE; break;
    case TY_CHAR: out[n++] = FAM_CHAR; break;
    case TY_F32: case TY_F64: out[n++] = FAM_FLOAT; break;
    case TY_ADT:
        if (b->adt == prog->option) out[n++] = FAM_OPTION;
        if (b->adt == prog->result) out[n++] = FAM_RESULT;
        break;
    case TY_ITER: out[n++] = FAM_ITER; break;
    case TY_RANGE: out[n++] = FAM_RANGE; out[n++] = FAM_ITER; break;
    default:
        break;
    }
    if (b->kind == TY_ADT && user_iter_item(b))
        out[n++] = FAM_ITER;
    if (b->kind <= TY_USIZE)
        out[n++] = FAM_INT;
    out[n++] = FAM_ANY;
    return n;
}

/* Names of std methods of Option, Result, Ordering, Vec, slices, strings
 * and iterators that mrsc does not implement: "not supported", not E0599. */
static bool std_method_name(const char *name)
{
    static const char *names[] = {
        "filter", "map_or", "map_or_else", "is_some_and", "is_none_or", "is_ok_and", "is_err_and", "then",
        "then_with", "then_some", "zip", "skip", "take", "chain", "flat_map", "filter_map", "take_while",
        "skip_while", "step_by", "peekable", "windows", "chunks", "position", "find", "find_map", "min_by_key",
        "max_by_key", "min_by", "max_by", "dedup", "drain", "extend", "split_off", "sort_unstable_by",
        "binary_search", "flatten", "cloned", "copied", "inspect", "scan", "partition", "reduce", "try_fold",
        "unzip", "cycle", "get_or_insert_with", "xor", "zip_with", "or_else", "ok_or_else", "and", "iter_mut",
        "retain_mut", "dedup_by_key", "rposition", "rfind", "last_mut", "first_mut", "swap_remove", NULL,
    };
    for (int i = 0; names[i]; i++)
        if (!strcmp(names[i], name))
            return true;
    return false;
}

static const MethodEntry *find_builtin_method(Type *b, const char *name)
{
    Family fams[4];
    int nf = families_of(b, fams);
    for (int f = 0; f < nf; f++)
        for (size_t i = 0; i < sizeof method_table / sizeof method_table[0]; i++)
            if (method_table[i].fam == fams[f] && strcmp(method_table[i].name, name) == 0)
                return &method_table[i];
    return NULL;
}

static Type *opt_of(Type *t)
{
    Type *a[1] = {t};
    return ty_adt(prog->option, a, 1);
}

static Type *res_of(Type *t, Type *e)
{
    Type *a[2] = {t, e};
    return ty_adt(prog->result, a, 2);
}

/* str::get's argument: a range of usize. */
static Type *check_args_range(Ctx *c, Expr *e)
{
    if (e->args.len != 1) {
        check_args(c, e, e->name_span, &e->args, NULL, 1, "method");
        return ty_error();
    }
    Expr *a = e->args.items[0];
    Type *t = ty_resolve(check_expr(c, a, ty_range(ty_prim(TY_USIZE), false)));
    if (t->kind != TY_RANGE)
        mismatch(a->span, ty_range(ty_prim(TY_USIZE), false), t);
    else
        unify(t->args[0], ty_prim(TY_USIZE));
    return t;
}

static Type *check_margs(Ctx *c, Expr *e, Type **ps, int n)
{
    check_args(c, e, e->name_span, &e->args, ps, n, "method");
    return NULL;
}

static Type *deref_all(Type *t)
{
    t = ty_resolve(t);
    while (t->kind == TY_REF)
        t = ty_resolve(t->args[0]);
    return t;
}

/* The element type of the slice family receiver (Vec<T>, [T; N], [T]). */
static Type *slice_elem(Type *b) { return b->nargs ? b->args[0] : ty_error(); }

/* A turbofish or expected type for sum/collect/parse targets. */
static Type *target_type(Expr *e, Type *expected)
{
    if (e->generic_args.len == 1)
        return resolve_type(e->generic_args.items[0]);
    return expected;
}

static Type *unknown_std_method(Expr *e)
{
    unsupported(e->name_span, xprintf("the method `%s`", e->name));
    return ty_error();
}

/* The std methods that take a closure (or a fn): its parameter types come
 * from the receiver, its return type is then checked against the method's.
 * NULL for any other method. */
static Type *callable_method_type(Ctx *c, Expr *e, BuiltinMethod bm, Type *b, Type *expected, MethodRes *mr)
{
    Type *boolt = ty_prim(TY_BOOL);
    /* the Item of an iterator receiver: std iterators carry it, a user's comes from its impl */
    Type *it_item = b->kind == TY_ITER || b->kind == TY_RANGE ? b->args[0] : user_iter_item(b);
    if (!it_item)
        it_item = ty_error();
    Type *p[3] = {0};
    switch (bm) {
    case BM_SL_SORT_BY: case BM_SL_SORT_BY_KEY: case BM_VEC_RETAIN: {
        if (e->args.len != 1) {
            check_margs(c, e, p, 1);
            return ty_unit();
        }
        Type *el = ty_ref(slice_elem(b), false);
        Type *ps[2] = {el, el};
        Type *r = check_callable_arg(c, e->args.items[0], ps, bm == BM_SL_SORT_BY ? 2 : 1, FN_MUT);
        if (!r)
            return ty_unit();
        if (bm == BM_SL_SORT_BY && !unify(r, ty_adt(prog->ordering, NULL, 0)))
            mismatch(((Expr *)e->args.items[0])->span, ty_adt(prog->ordering, NULL, 0), r);
        if (bm == BM_VEC_RETAIN && !unify(r, boolt))
            mismatch(((Expr *)e->args.items[0])->span, boolt, r);
        if (bm == BM_SL_SORT_BY_KEY)
            mr->aux = r;
        return ty_unit();
    }
    case BM_OPT_MAP: case BM_RES_MAP: case BM_RES_MAP_ERR: {
        if (e->args.len != 1) {
            check_margs(c, e, p, 1);
            return ty_error();
        }
        Type *in = bm == BM_RES_MAP_ERR ? b->args[1] : b->args[0];
        Type *r = check_callable_arg(c, e->args.items[0], &in, 1, FN_ONCE);
        if (!r)
            return ty_error();
        if (bm == BM_OPT_MAP)
            return opt_of(r);
        return bm == BM_RES_MAP ? res_of(r, b->args[1]) : res_of(b->args[0], r);
    }
    case BM_OPT_UNWRAP_OR_ELSE: case BM_RES_UNWRAP_OR_ELSE: case BM_OPT_AND_THEN: {
        if (e->args.len != 1) {
            check_margs(c, e, p, 1);
            return ty_error();
        }
        bool res = bm == BM_RES_UNWRAP_OR_ELSE, opt_in = bm == BM_OPT_AND_THEN;
        Type *in = res ? b->args[1] : b->args[0];
        Type *r = check_callable_arg(c, e->args.items[0], &in, res || opt_in ? 1 : 0, FN_ONCE);
        if (!r)
            return ty_error();
        if (opt_in) {
            Type *o = opt_of(ty_var(VAR_ANY));
            if (!unify(r, o))
                mismatch(((Expr *)e->args.items[0])->span, o, r);
            return r;
        }
        if (!unify(r, b->args[0]))
            mismatch(((Expr *)e->args.items[0])->span, b->args[0], r);
        return b->args[0];
    }
    case BM_IT_FOLD: {
        /* fold(init, |acc, x| ..): the accumulator's type is the init's */
        if (e->args.len != 2) {
            check_margs(c, e, p, 2);
            return ty_error();
        }
        Type *acc = check_expr(c, e->args.items[0], expected);
        Type *ps[2] = {acc, it_item};
        Type *r = check_callable_arg_ret(c, e->args.items[1], ps, 2, FN_MUT, acc);
        if (r && !unify(r, acc))
            mismatch(((Expr *)e->args.items[1])->span, acc, r);
        return acc;
    }
    case BM_IT_ANY: case BM_IT_ALL: case BM_IT_FOR_EACH: {
        if (e->args.len != 1) {
            check_margs(c, e, p, 1);
            return ty_error();
        }
        Type *r = check_callable_arg(c, e->args.items[0], &it_item, 1, FN_MUT);
        Type *want = bm == BM_IT_FOR_EACH ? ty_unit() : ty_prim(TY_BOOL);
        if (r && !unify(r, want))
            mismatch(((Expr *)e->args.items[0])->span, want, r);
        return want;
    }
    case BM_IT_MAP: case BM_IT_FILTER: {
        /* adaptors taking a closure: lowered into the loop that consumes them */
        if (e->args.len != 1) {
            check_margs(c, e, p, 1);
            return ty_error();
        }
        Type *in = bm == BM_IT_FILTER ? ty_ref(it_item, false) : it_item;
        Type *r = check_callable_arg(c, e->args.items[0], &in, 1, FN_MUT);
        if (!r)
            return ty_error();
        if (bm == BM_IT_MAP)
            return ty_iter(ITER_MAP, r, b);
        if (!unify(r, ty_prim(TY_BOOL)))
            mismatch(((Expr *)e->args.items[0])->span, ty_prim(TY_BOOL), r);
        return ty_iter(ITER_FILTER, it_item, b);
    }
    default:
        return NULL;
    }
}

/* Methods of every type: clone, to_string, to_owned, eq/ne, cmp/partial_cmp. */
static Type *any_method_type(Ctx *c, Expr *e, BuiltinMethod bm, Type *b)
{
    Type *boolt = ty_prim(TY_BOOL);
    Type *p[3] = {0};
    switch (bm) {
    case BM_CLONE: case BM_TO_OWNED:
        check_margs(c, e, NULL, 0);
        if (b->kind == TY_STR)
            return ty_string();
        if (b->kind == TY_SLICE)
            return ty_vec(b->args[0]);
        if (b->kind == TY_ADT && !b->adt->builtin && !(b->adt->derives & DERIVE_CLONE)) {
            Diag *d = diag_error("E0599", e->name_span, "no method named `%s` found for %s `%s` in the current scope",
                                 e->name, b->adt->is_enum ? "enum" : "struct", ty_str(b));
            diag_primary_label(d, "method not found in `%s`", ty_str(b));
            return ty_error();
        }
        return b;
    case BM_TO_STRING:
        check_margs(c, e, NULL, 0);
        if ((b->kind == TY_ADT && !type_implements(b, prog->display)) || b->kind == TY_VEC || b->kind == TY_TUPLE ||
            b->kind == TY_ARRAY || b->kind == TY_SLICE) {
            Diag *d = diag_error("E0599", e->name_span, "the method `to_string` exists for %s `%s`, but its trait bounds were not satisfied",
                                 b->kind == TY_ADT ? (b->adt->is_enum ? "enum" : "struct") : "type", ty_str(b));
            diag_note(d, "`%s` doesn't implement `std::fmt::Display`", ty_str(b));
            return ty_error();
        }
        return ty_string();
    case BM_EQ: case BM_NE:
        p[0] = ty_ref(b, false);
        check_margs(c, e, p, 1);
        return boolt;
    case BM_CMP: case BM_PARTIAL_CMP: {
        p[0] = ty_ref(b, false);
        check_margs(c, e, p, 1);
        Type *ord = ty_adt(prog->ordering, NULL, 0);
        return bm == BM_CMP ? ord : opt_of(ord);
    }
    default:
        return unknown_std_method(e);
    }
}

/* Methods of integers, floats and char. */
static Type *number_method_type(Ctx *c, Expr *e, BuiltinMethod bm, Type *b)
{
    Type *usize = ty_prim(TY_USIZE);
    Type *boolt = ty_prim(TY_BOOL);
    Type *u32t = ty_prim(TY_U32);
    Type *p[3] = {0};
    switch (bm) {
    case BM_INT_ROTATE_LEFT: case BM_INT_ROTATE_RIGHT:
        p[0] = u32t;
        check_margs(c, e, p, 1);
        return b;
    case BM_MAX: case BM_MIN:
        p[0] = b;
        check_margs(c, e, p, 1);
        return b;
    case BM_INT_POW: case BM_INT_WRAPPING_POW: case BM_INT_SATURATING_POW:
        p[0] = u32t;
        check_margs(c, e, p, 1);
        return b;
    case BM_INT_CHECKED_POW:
        p[0] = u32t;
        check_margs(c, e, p, 1);
        return opt_of(b);
    case BM_INT_ABS: case BM_INT_WRAPPING_NEG: case BM_INT_SIGNUM:
        check_margs(c, e, NULL, 0);
        if (!ty_is_signed(b) && bm != BM_INT_WRAPPING_NEG) {
            Diag *d = diag_error("E0599", e->name_span, "no method named `%s` found for type `%s` in the current scope",
                                 e->name, ty_str(b));
            (void)d;
        }
        return b;
    case BM_INT_CHECKED_ADD: case BM_INT_CHECKED_SUB: case BM_INT_CHECKED_MUL: case BM_INT_CHECKED_DIV:
    case BM_INT_CHECKED_REM:
        p[0] = b;
        check_margs(c, e, p, 1);
        return opt_of(b);
    case BM_INT_WRAPPING_ADD: case BM_INT_WRAPPING_SUB: case BM_INT_WRAPPING_MUL: case BM_INT_SATURATING_ADD:
    case BM_INT_SATURATING_SUB: case BM_INT_SATURATING_MUL: case BM_INT_REM_EUCLID: case BM_INT_DIV_EUCLID:
        p[0] = b;
        check_margs(c, e, p, 1);
        return b;
    case BM_INT_ABS_DIFF:
        p[0] = b;
        check_margs(c, e, p, 1);
        return b; /* unsigned counterpart for signed types: rare, approximated */
    case BM_INT_COUNT_ONES: case BM_INT_COUNT_ZEROS: case BM_INT_LEADING_ZEROS: case BM_INT_TRAILING_ZEROS:
        check_margs(c, e, NULL, 0);
        return u32t;
    case BM_INT_IS_POWER_OF_TWO: case BM_INT_IS_POSITIVE: case BM_INT_IS_NEGATIVE:
        check_margs(c, e, NULL, 0);
        return boolt;
    case BM_F_POWI:
        p[0] = ty_prim(TY_I32);
        check_margs(c, e, p, 1);
        return b;
    case BM_F_POWF: case BM_F_MIN: case BM_F_MAX: case BM_F_HYPOT: case BM_F_ATAN2:
        p[0] = b;
        check_margs(c, e, p, 1);
        return b;
    case BM_F_CLAMP: case BM_F_MUL_ADD:
        p[0] = b;
        p[1] = b;
        check_margs(c, e, p, 2);
        return b;
    case BM_F_IS_NAN: case BM_F_IS_FINITE: case BM_F_IS_INFINITE:
        check_margs(c, e, NULL, 0);
        return boolt;
    case BM_F_SQRT: case BM_F_ABS: case BM_F_FLOOR: case BM_F_CEIL: case BM_F_ROUND: case BM_F_TRUNC:
    case BM_F_SIN: case BM_F_COS: case BM_F_TAN: case BM_F_EXP: case BM_F_LN: case BM_F_LOG10:
    case BM_F_SIGNUM: case BM_F_FRACT: case BM_F_TO_DEGREES: case BM_F_TO_RADIANS:
        check_margs(c, e, NULL, 0);
        return b;
    case BM_C_TO_DIGIT:
        p[0] = u32t;
        check_margs(c, e, p, 1);
        return opt_of(u32t);
    case BM_C_IS_DIGIT:
        p[0] = u32t;
        check_margs(c, e, p, 1);
        return boolt;
    case BM_C_LEN_UTF8:
        check_margs(c, e, NULL, 0);
        return usize;
    case BM_C_TO_ASCII_UPPERCASE: case BM_C_TO_ASCII_LOWERCASE:
        check_margs(c, e, NULL, 0);
        return ty_prim(TY_CHAR);
    case BM_C_IS_ALPHABETIC: case BM_C_IS_NUMERIC: case BM_C_IS_ALPHANUMERIC: case BM_C_IS_WHITESPACE:
    case BM_C_IS_UPPERCASE: case BM_C_IS_LOWERCASE: case BM_C_IS_ASCII_DIGIT: case BM_C_IS_ASCII_ALPHABETIC:
    case BM_C_IS_ASCII_ALPHANUMERIC: case BM_C_IS_ASCII_UPPERCASE: case BM_C_IS_ASCII_LOWERCASE:
    case BM_C_IS_ASCII_PUNCTUATION: case BM_C_IS_ASCII_WHITESPACE: case BM_C_IS_ASCII: case BM_C_IS_CONTROL:
        check_margs(c, e, NULL, 0);
        return boolt;
    default:
        return unknown_std_method(e);
    }
}

/* Methods of str (and String through deref) and of String. */
static Type *str_method_type(Ctx *c, Expr *e, BuiltinMethod bm, Type *expected, MethodRes *mr)
{
    Type *usize = ty_prim(TY_USIZE);
    Type *boolt = ty_prim(TY_BOOL);
    Type *str_ref = ty_ref(ty_prim(TY_STR), false);
    Type *p[3] = {0};
    switch (bm) {
    case BM_S_IS_CHAR_BOUNDARY:
        p[0] = usize;
        check_margs(c, e, p, 1);
        return boolt;
    case BM_S_SPLIT_AT: {
        p[0] = usize;
        check_margs(c, e, p, 1);
        Type *el[2] = {str_ref, str_ref};
        return ty_tuple(el, 2);
    }
    case BM_S_SPLIT_ONCE: {
        if (e->args.len != 1) {
            check_margs(c, e, p, 1);
            return ty_error();
        }
        Expr *a = e->args.items[0];
        Type *at = ty_resolve(check_expr(c, a, NULL));
        if (at->kind == TY_CHAR)
            mr->aux = ty_prim(TY_CHAR);
        else
            coerce(a, at, str_ref);
        Type *el[2] = {str_ref, str_ref};
        return opt_of(ty_tuple(el, 2));
    }
    case BM_S_GET: {
        Type *r = check_args_range(c, e);
        (void)r;
        return opt_of(str_ref);
    }
    case BM_S_LEN:
        check_margs(c, e, NULL, 0);
        return usize;
    case BM_S_IS_EMPTY:
        check_margs(c, e, NULL, 0);
        return boolt;
    case BM_S_CHARS:
        check_margs(c, e, NULL, 0);
        return ty_iter(ITER_CHARS, ty_prim(TY_CHAR), NULL);
    case BM_S_CHAR_INDICES: {
        check_margs(c, e, NULL, 0);
        Type *el[2] = {usize, ty_prim(TY_CHAR)};
        return ty_iter(ITER_CHAR_INDICES, ty_tuple(el, 2), NULL);
    }
    case BM_S_BYTES:
        check_margs(c, e, NULL, 0);
        return ty_iter(ITER_BYTES, ty_prim(TY_U8), NULL);
    case BM_S_AS_BYTES:
        check_margs(c, e, NULL, 0);
        return ty_ref(ty_slice(ty_prim(TY_U8)), false);
    case BM_S_LINES:
        check_margs(c, e, NULL, 0);
        return ty_iter(ITER_LINES, str_ref, NULL);
    case BM_S_SPLIT_WHITESPACE:
        check_margs(c, e, NULL, 0);
        return ty_iter(ITER_SPLIT_WS, str_ref, NULL);
    case BM_S_SPLIT: case BM_S_STARTS_WITH: case BM_S_ENDS_WITH: case BM_S_CONTAINS: case BM_S_FIND: {
        /* the pattern: &str, String via &, or char */
        if (e->args.len != 1) {
            check_margs(c, e, p, 1);
            return ty_error();
        }
        Expr *a = e->args.items[0];
        Type *at = ty_resolve(check_expr(c, a, NULL));
        if (at->kind == TY_CHAR) {
            mr->aux = ty_prim(TY_CHAR);
        } else if (!(at->kind == TY_REF && ty_resolve(at->args[0])->kind == TY_STR) && !try_coerce(a, at, str_ref) &&
                   at->kind != TY_ERROR) {
            Diag *d = diag_error("E0277", a->span, "the trait bound `%s: Pattern` is not satisfied", ty_str(at));
            diag_primary_label(d, "the trait `Pattern` is not implemented for `%s`", ty_str(at));
        }
        if (bm == BM_S_SPLIT)
            return ty_iter(ITER_SPLIT, str_ref, NULL);
        if (bm == BM_S_FIND)
            return opt_of(usize);
        return boolt;
    }
    case BM_S_TRIM: case BM_S_TRIM_START: case BM_S_TRIM_END:
        check_margs(c, e, NULL, 0);
        return str_ref;
    case BM_S_REPLACE: {
        p[0] = str_ref;
        p[1] = str_ref;
        check_margs(c, e, p, 2);
        return ty_string();
    }
    case BM_S_REPEAT:
        p[0] = usize;
        check_margs(c, e, p, 1);
        return ty_string();
    case BM_S_EQ_IGNORE_ASCII_CASE:
        p[0] = str_ref;
        check_margs(c, e, p, 1);
        return boolt;
    case BM_S_TO_UPPERCASE: case BM_S_TO_LOWERCASE: case BM_S_TO_ASCII_UPPERCASE:
    case BM_S_TO_ASCII_LOWERCASE:
        check_margs(c, e, NULL, 0);
        return ty_string();
    case BM_S_PARSE: {
        check_margs(c, e, NULL, 0);
        Type *t = target_type(e, NULL);
        Type *x = expected ? ty_resolve(expected) : NULL;
        if (!t && x && x->kind == TY_ADT && x->adt == prog->result)
            t = x->args[0];
        if (!t) {
            t = ty_var(VAR_ANY);
        }
        mr->aux = t;
        /* the error type (ParseIntError / ParseFloatError) follows from T,
         * which may still be unknown: fix_parse_errors() decides it */
        Type *err = ty_var(VAR_ANY);
        return res_of(t, err);
    }
    case BM_STRING_PUSH:
        p[0] = ty_prim(TY_CHAR);
        check_margs(c, e, p, 1);
        return ty_unit();
    case BM_STRING_PUSH_STR:
        p[0] = str_ref;
        check_margs(c, e, p, 1);
        return ty_unit();
    case BM_STRING_INSERT:
        p[0] = usize;
        p[1] = ty_prim(TY_CHAR);
        check_margs(c, e, p, 2);
        return ty_unit();
    case BM_STRING_INSERT_STR:
        p[0] = usize;
        p[1] = str_ref;
        check_margs(c, e, p, 2);
        return ty_unit();
    case BM_STRING_POP:
        check_margs(c, e, NULL, 0);
        return opt_of(ty_prim(TY_CHAR));
    case BM_STRING_CLEAR:
        check_margs(c, e, NULL, 0);
        return ty_unit();
    case BM_STRING_AS_STR:
        check_margs(c, e, NULL, 0);
        return str_ref;
    case BM_STRING_TRUNCATE:
        p[0] = usize;
        check_margs(c, e, p, 1);
        return ty_unit();
    case BM_STRING_REMOVE:
        p[0] = usize;
        check_margs(c, e, p, 1);
        return ty_prim(TY_CHAR);
    case BM_STRING_CAPACITY:
        check_margs(c, e, NULL, 0);
        return usize;
    default:
        return unknown_std_method(e);
    }
}

/* Methods of Vec and of slices (and Vec and arrays through unsizing). */
static Type *seq_method_type(Ctx *c, Expr *e, BuiltinMethod bm, Type *b)
{
    Type *usize = ty_prim(TY_USIZE);
    Type *boolt = ty_prim(TY_BOOL);
    Type *str_ref = ty_ref(ty_prim(TY_STR), false);
    Type *p[3] = {0};
    switch (bm) {
    case BM_SL_SPLIT_AT: {
        p[0] = usize;
        check_margs(c, e, p, 1);
        Type *sl = ty_ref(ty_slice(slice_elem(b)), false);
        Type *el[2] = {sl, sl};
        return ty_tuple(el, 2);
    }
    case BM_VEC_CAPACITY:
        check_margs(c, e, NULL, 0);
        return usize;
    case BM_VEC_PUSH:
        p[0] = b->args[0];
        check_margs(c, e, p, 1);
        return ty_unit();
    case BM_VEC_POP:
        check_margs(c, e, NULL, 0);
        return opt_of(b->args[0]);
    case BM_VEC_INSERT:
        p[0] = usize;
        p[1] = b->args[0];
        check_margs(c, e, p, 2);
        return ty_unit();
    case BM_VEC_REMOVE: case BM_VEC_SWAP_REMOVE:
        p[0] = usize;
        check_margs(c, e, p, 1);
        return b->args[0];
    case BM_VEC_TRUNCATE:
        p[0] = usize;
        check_margs(c, e, p, 1);
        return ty_unit();
    case BM_VEC_CLEAR: case BM_VEC_DEDUP:
        check_margs(c, e, NULL, 0);
        return ty_unit();
    case BM_VEC_EXTEND_FROM_SLICE:
        p[0] = ty_ref(ty_slice(b->args[0]), false);
        check_margs(c, e, p, 1);
        return ty_unit();
    case BM_VEC_INTO_ITER:
        check_margs(c, e, NULL, 0);
        return ty_iter(ITER_VEC_INTO, b->args[0], b);
    case BM_VEC_AS_SLICE:
        check_margs(c, e, NULL, 0);
        return ty_ref(ty_slice(b->args[0]), false);
    case BM_SL_LEN:
        check_margs(c, e, NULL, 0);
        return usize;
    case BM_SL_IS_EMPTY:
        check_margs(c, e, NULL, 0);
        return boolt;
    case BM_SL_ITER:
        check_margs(c, e, NULL, 0);
        return ty_iter(ITER_SLICE, ty_ref(slice_elem(b), false), NULL);
    case BM_SL_ITER_MUT:
        check_margs(c, e, NULL, 0);
        return ty_iter(ITER_SLICE_MUT, ty_ref(slice_elem(b), true), NULL);
    case BM_SL_CONTAINS:
        p[0] = ty_ref(slice_elem(b), false);
        check_margs(c, e, p, 1);
        return boolt;
    case BM_SL_FIRST: case BM_SL_LAST:
        check_margs(c, e, NULL, 0);
        return opt_of(ty_ref(slice_elem(b), false));
    case BM_SL_GET:
        p[0] = usize;
        check_margs(c, e, p, 1);
        return opt_of(ty_ref(slice_elem(b), false));
    case BM_SL_SORT: case BM_SL_SORT_UNSTABLE: case BM_SL_REVERSE:
        check_margs(c, e, NULL, 0);
        return ty_unit();
    case BM_SL_SWAP:
        p[0] = usize;
        p[1] = usize;
        check_margs(c, e, p, 2);
        return ty_unit();
    case BM_SL_TO_VEC:
        check_margs(c, e, NULL, 0);
        return ty_vec(slice_elem(b));
    case BM_SL_JOIN:
        p[0] = str_ref;
        check_margs(c, e, p, 1);
        return ty_string();
    case BM_SL_CONCAT:
        check_margs(c, e, NULL, 0);
        return ty_string();
    default:
        return unknown_std_method(e);
    }
}

/* Methods of Option and Result. */
static Type *option_result_method_type(Ctx *c, Expr *e, BuiltinMethod bm, Type *b)
{
    Type *boolt = ty_prim(TY_BOOL);
    Type *str_ref = ty_ref(ty_prim(TY_STR), false);
    Type *p[3] = {0};
    switch (bm) {
    case BM_OPT_OR:
        p[0] = b;
        check_margs(c, e, p, 1);
        return b;
    case BM_OPT_UNWRAP: case BM_RES_UNWRAP: case BM_OPT_UNWRAP_OR_DEFAULT: case BM_RES_UNWRAP_OR_DEFAULT:
        check_margs(c, e, NULL, 0);
        return b->args[0];
    case BM_RES_UNWRAP_ERR:
        check_margs(c, e, NULL, 0);
        return b->args[1];
    case BM_OPT_EXPECT: case BM_RES_EXPECT:
        p[0] = str_ref;
        check_margs(c, e, p, 1);
        return b->args[0];
    case BM_OPT_IS_SOME: case BM_OPT_IS_NONE: case BM_RES_IS_OK: case BM_RES_IS_ERR:
        check_margs(c, e, NULL, 0);
        return boolt;
    case BM_OPT_UNWRAP_OR: case BM_RES_UNWRAP_OR:
        p[0] = b->args[0];
        check_margs(c, e, p, 1);
        return b->args[0];
    case BM_OPT_TAKE:
        check_margs(c, e, NULL, 0);
        return b;
    case BM_OPT_AS_REF:
        check_margs(c, e, NULL, 0);
        return opt_of(ty_ref(b->args[0], false));
    case BM_OPT_AS_MUT:
        check_margs(c, e, NULL, 0);
        return opt_of(ty_ref(b->args[0], true));
    case BM_OPT_OK_OR: {
        Type *err = ty_var(VAR_ANY);
        p[0] = err;
        check_margs(c, e, p, 1);
        return res_of(b->args[0], err);
    }
    case BM_OPT_COPIED: case BM_OPT_CLONED: {
        check_margs(c, e, NULL, 0);
        Type *in = ty_resolve(b->args[0]);
        if (in->kind != TY_REF)
            return b;
        return opt_of(in->args[0]);
    }
    case BM_RES_OK:
        check_margs(c, e, NULL, 0);
        return opt_of(b->args[0]);
    case BM_RES_ERR:
        check_margs(c, e, NULL, 0);
        return opt_of(b->args[1]);
    default:
        return unknown_std_method(e);
    }
}

/* Methods of iterators (std ones, ranges, user types implementing Iterator). */
static Type *iter_method_type(Ctx *c, Expr *e, BuiltinMethod bm, Type *b, Type *expected)
{
    Type *usize = ty_prim(TY_USIZE);
    Type *boolt = ty_prim(TY_BOOL);
    /* the Item of an iterator receiver: std iterators carry it, a user's comes from its impl */
    Type *it_item = b->kind == TY_ITER || b->kind == TY_RANGE ? b->args[0] : user_iter_item(b);
    if (!it_item)
        it_item = ty_error();
    Type *p[3] = {0};
    switch (bm) {
    case BM_IT_NTH:
        p[0] = usize;
        check_margs(c, e, p, 1);
        return opt_of(b->args[0]);
    case BM_IT_NEXT:
        check_margs(c, e, NULL, 0);
        return opt_of(it_item);
    case BM_IT_ENUMERATE: {
        check_margs(c, e, NULL, 0);
        Type *el[2] = {usize, it_item};
        return ty_iter(ITER_ENUMERATE, ty_tuple(el, 2), b);
    }
    case BM_IT_REV:
        check_margs(c, e, NULL, 0);
        return ty_iter(ITER_REV, it_item, b);
    case BM_IT_COUNT:
        check_margs(c, e, NULL, 0);
        return usize;
    case BM_IT_MAX: case BM_IT_MIN: case BM_IT_LAST:
        check_margs(c, e, NULL, 0);
        return opt_of(it_item);
    case BM_IT_SUM: case BM_IT_PRODUCT: {
        check_margs(c, e, NULL, 0);
        Type *t = target_type(e, expected);
        Type *item = deref_all(it_item);
        if (!t) {
            Diag *d = diag_error("E0283", e->name_span, "type annotations needed");
            diag_primary_label(d, "cannot infer type of the type parameter `S` declared on the method `%s`", e->name);
            return ty_error();
        }
        if (!unify(t, item))
            mismatch(e->span, t, item);
        return t;
    }
    case BM_IT_COLLECT: {
        check_margs(c, e, NULL, 0);
        Type *t = target_type(e, expected);
        if (!t) {
            Diag *d = diag_error("E0283", e->name_span, "type annotations needed");
            diag_primary_label(d, "cannot infer type of the type parameter `B` declared on the method `collect`");
            return ty_error();
        }
        Type *rt = ty_resolve(t);
        if (rt->kind == TY_VEC) {
            unify(rt->args[0], it_item);
            return t;
        }
        if (rt->kind == TY_STRING) {
            Type *item = ty_resolve(it_item);
            if (item->kind == TY_CHAR || (item->kind == TY_REF && ty_resolve(item->args[0])->kind == TY_STR) ||
                item->kind == TY_STRING)
                return t;
        }
        unsupported(e->span, xprintf("collecting into `%s`", ty_str(t)));
        return ty_error();
    }
    case BM_RANGE_CONTAINS:
        p[0] = ty_ref(b->args[0], false);
        check_margs(c, e, p, 1);
        return boolt;
    case BM_RANGE_LEN:
        check_margs(c, e, NULL, 0);
        return usize;
    default:
        return unknown_std_method(e);
    }
}

/* The type of a call of std method me on receiver type b (after derefs),
 * its arguments checked. */
static Type *builtin_method_type(Ctx *c, Expr *e, const MethodEntry *me, Type *b, Type *expected, MethodRes *mr)
{
    Type *t = callable_method_type(c, e, me->bm, b, expected, mr);
    if (t)
        return t;
    switch (me->fam) {
    case FAM_ANY:
        return any_method_type(c, e, me->bm, b);
    case FAM_INT: case FAM_FLOAT: case FAM_CHAR:
        return number_method_type(c, e, me->bm, b);
    case FAM_STR: case FAM_STRING:
        return str_method_type(c, e, me->bm, expected, mr);
    case FAM_VEC: case FAM_SLICE:
        return seq_method_type(c, e, me->bm, b);
    case FAM_OPTION: case FAM_RESULT:
        return option_result_method_type(c, e, me->bm, b);
    case FAM_ITER: case FAM_RANGE:
        return iter_method_type(c, e, me->bm, b, expected);
    }
    return unknown_std_method(e);
}

static void require_mut_receiver(Ctx *c, Expr *recv, Type *rt, int derefs, Span span)
{
    if (derefs == 0) {
        if (is_place(recv))
            check_mutable(c, recv, false, span);
        return;
    }
    /* through references: the innermost must be &mut; through Boxes only,
     * the binding itself must be mut (inherited mutability) */
    Type *t = ty_resolve(rt), *last_ref = NULL;
    for (int i = 0; i < derefs; i++) {
        if (t->kind == TY_REF)
            last_ref = t;
        t = ty_resolve(t->args[0]);
    }
    if (!last_ref) {
        if (is_place(recv))
            check_mutable(c, recv, false, span);
        return;
    }
    t = last_ref;
    if (t->kind == TY_REF && !t->is_mut) {
        Expr *r = strip_parens(recv);
        const char *name = place_str(r);
        Diag *d = diag_error("E0596", recv->span, "cannot borrow `*%s` as mutable, as it is behind a `&` reference", name);
        diag_primary_label(d, "`%s` is a `&` reference, so the data it refers to cannot be borrowed as mutable", name);
    }
}

/* The arguments of a method call that could not be resolved: typed for their
 * own errors, against nothing. */
static void check_args_alone(Ctx *c, Expr *e)
{
    for (int i = 0; i < e->args.len; i++)
        check_expr(c, e->args.items[i], NULL);
}

/* A call of user method f, its type arguments in (or NULL): the receiver is
 * auto-ref'd as f's self asks (a `&mut self` one must be mutable when
 * check_mut), then the arguments are checked. */
static Type *user_method_call(Ctx *c, Expr *e, FnDef *f, Inst *in, Type *rt, int derefs, bool check_mut,
                              MethodRes *mr)
{
    mr->fn = f;
    mr->inst = in;
    Type **ps = inst_params(f, in);
    int autoref = f->self_kind == SELF_REF ? 1 : f->self_kind == SELF_REF_MUT ? 2 : 0;
    if (autoref == 2 && check_mut)
        require_mut_receiver(c, e->operand, rt, derefs, e->operand->span);
    e->operand->adjust = new_adjust(derefs, autoref, CO_NONE, ps[0]);
    check_args(c, e, e->name_span, &e->args, ps + 1, f->nparams - 1, "method");
    return inst_ret(f, in);
}

/* The type the method is looked up on: rt without its references and Boxes
 * (*derefs of them), except that Box<T> is Clone itself: clone() at the first
 * Box gives a Box. */
static Type *receiver_base(Type *rt, const char *name, int *derefs)
{
    Type *b = ty_resolve(rt);
    while (b->kind == TY_REF || b->kind == TY_BOX) {
        b = ty_resolve(b->args[0]);
        (*derefs)++;
    }
    Type *lv = ty_resolve(rt);
    int k = 0;
    while (lv->kind == TY_REF) {
        lv = ty_resolve(lv->args[0]);
        k++;
    }
    if (lv->kind == TY_BOX && !strcmp(name, "clone")) {
        b = lv;
        *derefs = k;
    }
    return b;
}

/* A trait implemented for a reference type (impl Shout for &str): probe each
 * level of rt's references; NULL when none has the method. */
static Type *ref_impl_method_call(Ctx *c, Expr *e, Type *rt, int derefs, MethodRes *mr)
{
    Type *lv = ty_resolve(rt);
    for (int k = 0; k < derefs; k++) {
        ImplDef *im = NULL;
        FnDef *f = impl_method(lv, e->name, &im);
        if (f && f->self_kind != SELF_NONE) {
            Inst *in = impl_inst(c, f, im, e->span);
            mr->self_ty = lv;
            return user_method_call(c, e, f, in, rt, k, false, mr);
        }
        lv = ty_resolve(lv->args[0]);
    }
    return NULL;
}

/* A literal receiver (`{integer}`, `{float}`): the type of the one impl that
 * has the method (i32/f64 first), else i32/f64 for the std trait methods (and
 * Ord's max/min); NULL after E0689 or E0282. */
static Type *literal_receiver(Ctx *c, Expr *e, Type *b, MethodRes *mr)
{
    if (b->var_kind != VAR_ANY) {
        Type *pick = ty_prim(b->var_kind == VAR_INT ? TY_I32 : TY_F64);
        if (!impl_method(pick, e->name, NULL))
            for (int i = 0; i < prog->impls.len; i++) {
                ImplDef *im = prog->impls.items[i];
                if (could_unify(b, im->self_ty) && impl_method(im->self_ty, e->name, NULL)) {
                    pick = im->self_ty;
                    break;
                }
            }
        if (impl_method(pick, e->name, NULL)) {
            unify(b, pick);
            mr->self_ty = pick;
            return pick;
        }
    }
    if (b->var_kind == VAR_FLOAT && find_builtin_method(ty_prim(TY_F64), e->name) &&
        find_builtin_method(ty_prim(TY_F64), e->name)->fam == FAM_ANY) {
        unify(b, ty_prim(TY_F64));
        return ty_prim(TY_F64);
    }
    if (b->var_kind == VAR_INT && find_builtin_method(ty_prim(TY_I32), e->name)) {
        const MethodEntry *me = find_builtin_method(ty_prim(TY_I32), e->name);
        /* trait methods (Ord::max, ToString...) fall back to i32; inherent ones are E0689 */
        if (me->fam == FAM_ANY || me->bm == BM_MAX || me->bm == BM_MIN) {
            unify(b, ty_prim(TY_I32));
            return ty_prim(TY_I32);
        }
        Diag *d = diag_error("E0689", e->name_span, "can't call method `%s` on ambiguous numeric type `{integer}`",
                             e->name);
        (void)d;
    } else if (b->var_kind == VAR_FLOAT && find_builtin_method(ty_prim(TY_F64), e->name)) {
        Diag *d = diag_error("E0689", e->name_span, "can't call method `%s` on ambiguous numeric type `{float}`",
                             e->name);
        (void)d;
    } else {
        Diag *d = diag_error("E0282", e->operand->span, "type annotations needed");
        (void)d;
    }
    check_args_alone(c, e);
    return NULL;
}

/* A method of b's own impl blocks; NULL when none applies to b. */
static Type *inherent_method_call(Ctx *c, Expr *e, Type *b, Type *rt, int derefs, MethodRes *mr)
{
    for (int i = 0; i < b->adt->methods.len; i++) {
        FnDef *f = b->adt->methods.items[i];
        if (strcmp(f->name, e->name) != 0)
            continue;
        Inst *in = NULL;
        if (f->ntparams) {
            in = new_inst(c, f, NULL, 0, e->span);
            if (!unify(ty_subst(f->impl_self, in->args, in->n), b)) {
                c->insts.len--;
                c->inst_spans.len--;
                continue;
            }
        } else if (f->impl_self && f->impl_self != b) {
            if (!could_unify(f->impl_self, b))
                continue; /* impl Pair<f64> does not apply to Pair<i32> */
            unify(f->impl_self, b);
        }
        if (f->self_kind != SELF_NONE)
            return user_method_call(c, e, f, in, rt, derefs, true, mr);
        Diag *d = diag_error("E0599", e->name_span, "no method named `%s` found for %s `%s` in the current scope",
                             e->name, b->adt->is_enum ? "enum" : "struct", b->adt->name);
        diag_primary_label(d, "this is an associated function, not a method");
        diag_note(d, "found the following associated functions; to be used as methods, functions must have a `self` parameter");
        check_args_alone(c, e);
        return ty_error();
    }
    return NULL;
}

/* A trait method: of an impl for b, through the vtable of a `dyn Trait`, a
 * default method of a trait b implements, or a bound's method on a type
 * parameter; NULL when there is none. */
static Type *trait_method_call(Ctx *c, Expr *e, Type *b, Type *rt, int derefs, MethodRes *mr)
{
    ImplDef *im = NULL;
    FnDef *f = impl_method(b, e->name, &im);
    FnDef *decl = NULL;
    if (!f && b->kind == TY_DYN) {
        FnDef *tm = trait_method(b->trait, e->name);
        if (tm && tm->self_kind != SELF_NONE) {
            Inst *in = new_inst(c, tm, NULL, 1, e->span);
            unify(in->args[0], b);
            mr->fn = tm;
            mr->inst = in;
            mr->dynamic = true;
            Type **ps = inst_params(tm, in);
            if (tm->self_kind == SELF_REF_MUT)
                require_mut_receiver(c, e->operand, rt, derefs, e->operand->span);
            e->operand->adjust = new_adjust(derefs, 0, CO_NONE, ps[0]);
            check_args(c, e, e->name_span, &e->args, ps + 1, tm->nparams - 1, "method");
            return inst_ret(tm, in);
        }
    }
    if (!f) {
        if (b->kind == TY_PARAM) {
            if (cur_fn && b->param_index < cur_fn->ntparams) {
                List *bl = &cur_fn->tparam_bounds[b->param_index];
                for (int i = 0; i < bl->len && !decl; i++)
                    decl = trait_method(bl->items[i], e->name);
            }
        } else {
            for (int i = 0; i < prog->impls.len && !decl; i++) {
                ImplDef *ti = prog->impls.items[i];
                if (!ti->trait->builtin && impl_matches(ti, b, NULL)) {
                    FnDef *tm = trait_method(ti->trait, e->name);
                    if (tm && tm->item->body)
                        decl = tm;
                }
            }
        }
    }
    if (decl && decl->self_kind != SELF_NONE) {
        Inst *in = new_inst(c, decl, NULL, 1, e->span);
        unify(in->args[0], b);
        return user_method_call(c, e, decl, in, rt, derefs, true, mr);
    }
    if (f && f->self_kind != SELF_NONE && f->trait && !strcmp(f->trait->name, "Drop")) {
        Diag *d = diag_error("E0040", e->name_span, "explicit use of destructor method");
        diag_primary_label(d, "explicit destructor calls not allowed");
        diag_help(d, "consider using `drop` function: `drop(%s)`", diag_source_text(e->operand->span));
        return ty_unit();
    }
    if (f && f->self_kind != SELF_NONE)
        return user_method_call(c, e, f, impl_inst(c, f, im, e->span), rt, derefs, true, mr);
    return NULL;
}

/* `x.into()` through an `impl From`, and the formatting methods of a Display
 * or Debug impl's body: `v.fmt(f)` forwarded to a std type, `f.write_str(s)`;
 * NULL for any other call. */
static Type *conversion_or_fmt_call(Ctx *c, Expr *e, Type *b, int derefs, Type *expected, MethodRes *mr)
{
    if (!strcmp(e->name, "into") && e->args.len == 0 && expected) {
        FnDef *conv = op_impl("From", expected, b);
        if (conv) {
            mr->fn = conv;
            e->operand->adjust = new_adjust(derefs, 0, CO_NONE, b);
            return conv->ret;
        }
    }
    if (!strcmp(e->name, "fmt") && e->args.len == 1 && b->kind != TY_ADT) {
        bool dbg = cur_fn && cur_fn->trait && !strcmp(cur_fn->trait->name, "Debug");
        if (fmt_trait_ok(b, dbg ? FT_DEBUG : FT_DISPLAY, e->operand->span, true)) {
            mr->bm = dbg ? BM_FMT_DEBUG_FWD : BM_FMT_DISPLAY_FWD;
            e->operand->adjust = new_adjust(derefs, 1, CO_NONE, b);
            Type *p1[1] = {ty_ref(ty_adt(prog->formatter, NULL, 0), true)};
            check_margs(c, e, p1, 1);
            return fmt_result_type();
        }
    }
    if (b->kind == TY_ADT && b->adt == prog->formatter && !strcmp(e->name, "write_str")) {
        mr->bm = BM_FMT_WRITE_STR;
        e->operand->adjust = new_adjust(derefs, 2, CO_NONE, b);
        Type *p1[1] = {ty_ref(ty_prim(TY_STR), false)};
        check_margs(c, e, p1, 1);
        return fmt_result_type();
    }
    return NULL;
}

/* A std method mrsc implements for b's family, or E0599 (or "not supported"
 * for a std method mrsc lacks). */
static Type *std_method_call(Ctx *c, Expr *e, Type *b, Type *rt, int derefs, Type *expected, MethodRes *mr)
{
    const MethodEntry *me = find_builtin_method(b, e->name);
    if (!me && !(b->kind == TY_ADT && !b->adt->builtin) && std_method_name(e->name)) {
        /* a std method rustc has and mrsc does not implement yet */
        unsupported(e->name_span, xprintf("the method `%s` on `%s`", e->name, ty_str(b)));
        check_args_alone(c, e);
        return ty_error();
    }
    if (!me) {
        const char *what = b->kind == TY_ADT && !b->adt->builtin ? (b->adt->is_enum ? "enum" : "struct") : "type";
        Diag *d = diag_error("E0599", e->name_span, "no method named `%s` found for %s `%s` in the current scope",
                             e->name, what, ty_str(b));
        diag_primary_label(d, "method not found in `%s`", ty_str(b));
        check_args_alone(c, e);
        return ty_error();
    }
    mr->bm = me->bm;
    if (me->self_mode == 2)
        require_mut_receiver(c, e->operand, rt, derefs, e->operand->span);
    e->operand->adjust = new_adjust(derefs, me->self_mode, CO_NONE, b);
    if (b->nargs)
        mr->elem = b->args[0];
    if (b->kind == TY_ADT && me->fam == FAM_ITER)
        mr->elem = user_iter_item(b);
    return builtin_method_type(c, e, me, b, expected, mr);
}

Type *check_method(Ctx *c, Expr *e, Type *expected)
{
    Type *rt = check_expr(c, e->operand, NULL);
    int derefs = 0;
    Type *b = receiver_base(rt, e->name, &derefs);
    MethodRes *mr = NEW(MethodRes);
    mr->self_ty = b;
    e->sema = mr;
    if (b->kind == TY_ERROR) {
        check_args_alone(c, e);
        return b;
    }
    Type *t = ref_impl_method_call(c, e, rt, derefs, mr);
    if (t)
        return t;
    if (b->kind == TY_VAR) {
        b = literal_receiver(c, e, b, mr);
        if (!b)
            return ty_error();
    }
    if (b->kind == TY_ADT && !b->adt->builtin && (t = inherent_method_call(c, e, b, rt, derefs, mr)))
        return t;
    if ((t = trait_method_call(c, e, b, rt, derefs, mr)))
        return t;
    if ((t = conversion_or_fmt_call(c, e, b, derefs, expected, mr)))
        return t;
    return std_method_call(c, e, b, rt, derefs, expected, mr);
}
