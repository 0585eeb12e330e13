/* check_runtime.c — unit tests for libmrsrt outside formatting: String and &str, parse,
 * char, checked integer arithmetic, float casts, Vec growth, the stable sort, and the
 * panic texts (built by the message functions; the exiting ones are tested end to end).
 *
 * Expected values were printed by rustc 1.95 through shared/tools/rustc-oracle; the Rust
 * expression is in the comment next to each check. */
#include "../../runtime/mrs_rt.h" /* first: it sets the POSIX level */
#include <check.h>
#include <pthread.h>
#include <math.h>
#include <stdlib.h>
#include <unistd.h>



static MrsStr cs(const char *s)
{
    return (MrsStr){ (const uint8_t *)s, strlen(s) };
}

static bool str_is(MrsStr s, const char *expected)
{
    return mrs_str_eq(s, cs(expected));
}

/* compares, then frees the String */
static void check_string(MrsString *s, const char *expected, int line)
{
    ck_assert_msg(str_is(mrs_string_as_str(s), expected), "line %d: expected [%s], got [%.*s]",
                  line, expected, (int)s->len, s->ptr ? (const char *)s->ptr : "");
    mrs_string_drop(s);
}
#define CHECK_STRING(s, expected) check_string(&(s), (expected), __LINE__)

/* ---- String */

START_TEST(test_string_basics)
{
    MrsString s = mrs_string_from(cs("h\xc3\xa9llo")); /* String::from("héllo") */
    ck_assert_uint_eq(s.cap, 5 + 1);
    uint32_t a, b;
    ck_assert(mrs_string_pop(&s, &a)); /* s.pop() == Some('o') */
    ck_assert(mrs_string_pop(&s, &b)); /* then Some('l') */
    ck_assert_uint_eq(a, 'o');
    ck_assert_uint_eq(b, 'l');
    MrsString c = mrs_string_clone(&s);
    CHECK_STRING(c, "h\xc3\xa9l");        /* "hél" */
    mrs_string_push(&s, 0x20AC);
    mrs_string_insert(&s, 0, 'X', MRS_LOC("t.mrs", 1, 1));
    mrs_string_insert_str(&s, 1, cs("--"), MRS_LOC("t.mrs", 1, 1));
    ck_assert_uint_eq(mrs_string_remove(&s, 4, MRS_LOC("t.mrs", 1, 1)), 0xE9);
    mrs_string_truncate(&s, 100, MRS_LOC("t.mrs", 1, 1)); /* no effect past the end */
    CHECK_STRING(s, "X--hl\xe2\x82\xac");
    uint32_t ch;
    ck_assert(!mrs_string_pop(&s, &ch)); /* dropped strings are empty */
}
END_TEST

START_TEST(test_string_capacity)
{
    /* let mut s = String::new(); 20 x s.push_str("abc"), s.capacity() after each */
    static const size_t caps[] = { 8, 8, 16, 16, 16, 32, 32, 32, 32, 32,
                                   64, 64, 64, 64, 64, 64, 64, 64, 64, 64 };
    MrsString s = mrs_string_new();
    for (int i = 0; i < 20; i++) {
        mrs_string_push_str(&s, cs("abc"));
        ck_assert_uint_eq(s.cap, caps[i]);
    }
    mrs_string_drop(&s);
    s = mrs_string_with_capacity(3); /* then push_str("hello world"): capacity 11 */
    mrs_string_push_str(&s, cs("hello world"));
    ck_assert_uint_eq(s.cap, 11);
    mrs_string_drop(&s);
    s = mrs_string_from(cs("hello")); /* capacity 5, and 5 for its clone */
    MrsString c = mrs_string_clone(&s);
    ck_assert_uint_eq(s.cap, 5);
    ck_assert_uint_eq(c.cap, 5);
    mrs_string_drop(&s);
    mrs_string_drop(&c);
}
END_TEST

/* ---- &str */

START_TEST(test_str_search)
{
    size_t at = 99;
    ck_assert(mrs_str_find(cs("abc"), cs(""), &at) && at == 0);          /* Some(0) */
    ck_assert(mrs_str_find(cs("abcabc"), cs("ca"), &at) && at == 2);     /* Some(2) */
    ck_assert(!mrs_str_find(cs("abc"), cs("x"), &at));                   /* None */
    ck_assert(mrs_str_find_char(cs("h\xc3\xa9llo"), 'l', &at) && at == 3); /* "héllo".find('l') */
    ck_assert(mrs_str_starts_with(cs("hello"), cs("he")));
    ck_assert(mrs_str_ends_with(cs("hello"), cs("")));
    ck_assert(!mrs_str_contains(cs("hello"), cs("lol")));
    ck_assert(mrs_str_contains_char(cs("h\xc3\xa9"), 0xE9));
    ck_assert_int_lt(mrs_str_cmp(cs("ab"), cs("abc")), 0);
    ck_assert_int_gt(mrs_str_cmp(cs("b"), cs("abc")), 0);
    ck_assert_uint_eq(mrs_str_char_count(cs("h\xc3\xa9llo")), 5);
    /* "\u{a0}\u{3000} x \u{85}\u{2028}".trim() == "x" */
    ck_assert(str_is(mrs_str_trim(cs("\xc2\xa0\xe3\x80\x80 x \xc2\x85\xe2\x80\xa8")), "x"));
    ck_assert(str_is(mrs_str_trim_start(cs("  a ")), "a "));
    ck_assert(str_is(mrs_str_trim_end(cs("  a ")), "  a"));
}
END_TEST

START_TEST(test_str_transform)
{
    MrsString s = mrs_str_replace(cs("aaa"), cs("aa"), cs("b"));
    CHECK_STRING(s, "ba");
    s = mrs_str_replace(cs("abc"), cs(""), cs("-"));
    CHECK_STRING(s, "-a-b-c-");
    s = mrs_str_repeat(cs("ab"), 3);
    CHECK_STRING(s, "ababab");
    s = mrs_str_to_uppercase(cs("stra\xc3\x9f" "e \xc3\xbf")); /* "straße ÿ" -> "STRASSE Ÿ" */
    CHECK_STRING(s, "STRASSE \xc5\xb8");
    /* "ΟΔΥΣΣΕΥΣ".to_lowercase() == "οδυσσευς" (final sigma); "Σ" alone gives "σ" */
    s = mrs_str_to_lowercase(cs("\xce\x9f\xce\x94\xce\xa5\xce\xa3\xce\xa3\xce\x95\xce\xa5\xce\xa3"));
    CHECK_STRING(s, "\xce\xbf\xce\xb4\xcf\x85\xcf\x83\xcf\x83\xce\xb5\xcf\x85\xcf\x82");
    s = mrs_str_to_lowercase(cs("\xce\xa3"));
    CHECK_STRING(s, "\xcf\x83");
    s = mrs_str_to_ascii_uppercase(cs("\xc3\x9f" "ab")); /* "ßab".to_ascii_uppercase() */
    CHECK_STRING(s, "\xc3\x9f" "AB");
}
END_TEST

/* joins an iterator's pieces with '|' */
START_TEST(test_str_iterators)
{
    struct { const char *s, *sep, *want; } splits[] = {
        { "a,b,,c,", ",", "a|b||c|" },       /* ["a", "b", "", "c", ""] */
        { "", ",", "" },                     /* [""] */
        { "abc", "", "|a|b|c|" },            /* ["", "a", "b", "c", ""] */
        { "lion::tiger::", "::", "lion|tiger|" },
        { "aaa", "aa", "|a" },
    };
    for (size_t i = 0; i < sizeof splits / sizeof splits[0]; i++) {
        MrsString got = mrs_string_new();
        MrsSplit it = mrs_str_split(cs(splits[i].s), cs(splits[i].sep));
        MrsStr piece;
        for (bool first = true; mrs_split_next(&it, &piece); first = false) {
            if (!first)
                mrs_string_push(&got, '|');
            mrs_string_push_str(&got, piece);
        }
        CHECK_STRING(got, splits[i].want);
    }
    MrsSplit sc = mrs_str_split_char(cs("Mary had a"), ' ');
    MrsStr piece;
    ck_assert(mrs_split_next(&sc, &piece) && str_is(piece, "Mary"));
    ck_assert(mrs_split_next(&sc, &piece) && str_is(piece, "had"));
    ck_assert(mrs_split_next(&sc, &piece) && str_is(piece, "a"));
    ck_assert(!mrs_split_next(&sc, &piece));

    /* "  a  b\t\nc ".split_whitespace() == ["a", "b", "c"]; also splits at U+00A0/U+3000 */
    MrsSplitWs ws = mrs_str_split_whitespace(cs("a\tb\xc2\xa0" "c\xe3\x80\x80" "d "));
    const char *wwant[] = { "a", "b", "c", "d" };
    for (int i = 0; i < 4; i++)
        ck_assert(mrs_split_ws_next(&ws, &piece) && str_is(piece, wwant[i]));
    ck_assert(!mrs_split_ws_next(&ws, &piece));

    /* "a\nb\r\n\nc\n".lines() == ["a", "b", "", "c"]; "a\r\nb\r" -> ["a", "b\r"]; "\n" -> [""] */
    MrsLines ln = mrs_str_lines(cs("a\nb\r\n\nc\n"));
    const char *lwant[] = { "a", "b", "", "c" };
    for (int i = 0; i < 4; i++)
        ck_assert(mrs_lines_next(&ln, &piece) && str_is(piece, lwant[i]));
    ck_assert(!mrs_lines_next(&ln, &piece));
    ln = mrs_str_lines(cs("a\r\nb\r"));
    ck_assert(mrs_lines_next(&ln, &piece) && str_is(piece, "a"));
    ck_assert(mrs_lines_next(&ln, &piece) && str_is(piece, "b\r"));
    ck_assert(!mrs_lines_next(&ln, &piece));
    ln = mrs_str_lines(cs("\n"));
    ck_assert(mrs_lines_next(&ln, &piece) && piece.len == 0);
    ck_assert(!mrs_lines_next(&ln, &piece));
    ln = mrs_str_lines(cs(""));
    ck_assert(!mrs_lines_next(&ln, &piece));

    /* "héllo".chars().rev() == "olléh"; "abc".char_indices() */
    MrsChars ch = mrs_str_chars(cs("h\xc3\xa9llo"));
    MrsString rev = mrs_string_new();
    uint32_t c;
    while (mrs_chars_next_back(&ch, &c))
        mrs_string_push(&rev, c);
    CHECK_STRING(rev, "oll\xc3\xa9h");
    MrsCharIndices ci = mrs_str_char_indices(cs("h\xc3\xa9l"));
    size_t idx;
    ck_assert(mrs_char_indices_next(&ci, &idx, &c) && idx == 0 && c == 'h');
    ck_assert(mrs_char_indices_next(&ci, &idx, &c) && idx == 1 && c == 0xE9);
    ck_assert(mrs_char_indices_next(&ci, &idx, &c) && idx == 3 && c == 'l');
    ck_assert(!mrs_char_indices_next(&ci, &idx, &c));
}
END_TEST

START_TEST(test_str_slice_errors)
{
    static const char *l70 = "0123456789012345678901234567890123456789012345678901234567890123456789\xc3\xa9";
    struct { const char *s; size_t lo, hi; bool incl; const char *want; } cases[] = {
        { "hello", 0, 10, false, "end byte index 10 is out of bounds of `hello`" },
        { "hello", 4, 2, false, "begin > end (4 > 2) when slicing `hello`" },
        { "\xc3\xa9", 1, 2, false,
          "start byte index 1 is not a char boundary; it is inside '\xc3\xa9' (bytes 0..2) of `\xc3\xa9`" },
        { "hello", 7, 5, false, "start byte index 7 is out of bounds of `hello`" },
        { "a\xc3\xa9\xe2\x82\xac" "b", 0, 4, false,
          "end byte index 4 is not a char boundary; it is inside '\xe2\x82\xac' (bytes 3..6) of `a\xc3\xa9\xe2\x82\xac" "b`" },
        { "hello", 6, 7, false, "start byte index 6 is out of bounds of `hello`" },
        { "hello", 1, 6, true, "end byte index 5 is out of bounds of `hello`" },      /* &s[1..=5] */
        { "hello", 3, 2, true, "begin > end (3 > 2) when slicing `hello`" },          /* &s[3..=1] */
        { "\xc3\xa9", 0, 1, true,                                                    /* &s[0..=0] */
          "end byte index 1 is not a char boundary; it is inside '\xc3\xa9' (bytes 0..2) of `\xc3\xa9`" },
        { "a\xc3\xa9", 2, 1, false, "begin > end (2 > 1) when slicing `a\xc3\xa9`" },
        { "\xcc\x81", 1, 2, false, /* &"\u{301}"[1..] */
          "start byte index 1 is not a char boundary; it is inside '\\u{301}' (bytes 0..2) of `\xcc\x81`" },
        { NULL, 71, 72, false, NULL },
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        const char *s = cases[i].s ? cases[i].s : l70;
        MrsString m = mrs_str_slice_error(cs(s), cases[i].lo, cases[i].hi, cases[i].incl);
        if (cases[i].want) {
            CHECK_STRING(m, cases[i].want);
        } else {
            ck_assert(str_is(mrs_string_as_str(&m), "start byte index 71 is not a char boundary; it is inside "
                             "'\xc3\xa9' (bytes 70..72) of `0123456789012345678901234567890123456789"
                             "012345678901234567890123456789\xc3\xa9`"));
            mrs_string_drop(&m);
        }
    }
    /* "x".repeat(300)[0..301]: the string is cut at 256 bytes and "[...]" follows */
    MrsString big = mrs_str_repeat(cs("x"), 300);
    MrsString m = mrs_str_slice_error(mrs_string_as_str(&big), 0, 301, false);
    MrsString want = mrs_string_from(cs("end byte index 301 is out of bounds of `"));
    for (int i = 0; i < 256; i++)
        mrs_string_push(&want, 'x');
    mrs_string_push_str(&want, cs("`[...]"));
    ck_assert(mrs_str_eq(mrs_string_as_str(&m), mrs_string_as_str(&want)));
    mrs_string_drop(&m);
    mrs_string_drop(&want);
    mrs_string_drop(&big);
    /* successful slices */
    ck_assert(str_is(mrs_str_slice(cs("h\xc3\xa9llo"), 1, 3, MRS_LOC("t.mrs", 1, 1)), "\xc3\xa9"));
    ck_assert(str_is(mrs_str_slice_inclusive(cs("hello"), 1, 4, MRS_LOC("t.mrs", 1, 1)), "ello"));
    ck_assert(str_is(mrs_str_slice_from(cs("hello"), 5, MRS_LOC("t.mrs", 1, 1)), ""));
}
END_TEST

/* ---- panic text */

START_TEST(test_panic_message)
{
    /* x.unwrap() on None at p2.mrs:3:7, bytes as rustc 1.95 writes them to stderr */
    MrsString m = mrs_panic_message(MRS_LOC("p2.mrs", 3, 7), cs("called `Option::unwrap()` on a `None` value"));
    CHECK_STRING(m, "\nthread 'main' panicked at p2.mrs:3:7:\ncalled `Option::unwrap()` on a `None` value\n"
                    "note: run with `RUST_BACKTRACE=1` environment variable to display a backtrace\n");
}
END_TEST

/* ---- parse */

START_TEST(test_parse_int)
{
    /* s.parse::<i8>(), ::<u8>(), ::<i64>() */
    struct { const char *s; int i8, u8, i64; } cases[] = {
        { "", MRS_PARSE_EMPTY, MRS_PARSE_EMPTY, MRS_PARSE_EMPTY },
        { "+", MRS_PARSE_INVALID_DIGIT, MRS_PARSE_INVALID_DIGIT, MRS_PARSE_INVALID_DIGIT },
        { "-", MRS_PARSE_INVALID_DIGIT, MRS_PARSE_INVALID_DIGIT, MRS_PARSE_INVALID_DIGIT },
        { "0", 0, 0, 0 },
        { "-0", 0, MRS_PARSE_INVALID_DIGIT, 0 },
        { "+5", 0, 0, 0 },
        { "-5", 0, MRS_PARSE_INVALID_DIGIT, 0 },
        { "128", MRS_PARSE_POS_OVERFLOW, 0, 0 },
        { "-128", 0, MRS_PARSE_INVALID_DIGIT, 0 },
        { "-129", MRS_PARSE_NEG_OVERFLOW, MRS_PARSE_INVALID_DIGIT, 0 },
        { " 5", MRS_PARSE_INVALID_DIGIT, MRS_PARSE_INVALID_DIGIT, MRS_PARSE_INVALID_DIGIT },
        { "1_0", MRS_PARSE_INVALID_DIGIT, MRS_PARSE_INVALID_DIGIT, MRS_PARSE_INVALID_DIGIT },
        { "99999999999x", MRS_PARSE_POS_OVERFLOW, MRS_PARSE_POS_OVERFLOW, MRS_PARSE_INVALID_DIGIT },
        { "+-5", MRS_PARSE_INVALID_DIGIT, MRS_PARSE_INVALID_DIGIT, MRS_PARSE_INVALID_DIGIT },
        { "\xd9\xa3", MRS_PARSE_INVALID_DIGIT, MRS_PARSE_INVALID_DIGIT, MRS_PARSE_INVALID_DIGIT },
        { "00000000000000000000000127", 0, 0, 0 },
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        int64_t v;
        uint64_t u;
        ck_assert_int_eq(mrs_parse_i64(cs(cases[i].s), INT8_MIN, INT8_MAX, &v), cases[i].i8);
        ck_assert_int_eq(mrs_parse_u64(cs(cases[i].s), UINT8_MAX, &u), cases[i].u8);
        ck_assert_int_eq(mrs_parse_i64(cs(cases[i].s), INT64_MIN, INT64_MAX, &v), cases[i].i64);
    }
    int64_t v;
    ck_assert(mrs_parse_i64(cs("-128"), INT8_MIN, INT8_MAX, &v) == 0 && v == -128);
    ck_assert(mrs_parse_i64(cs("-9223372036854775808"), INT64_MIN, INT64_MAX, &v) == 0 && v == INT64_MIN);
    uint64_t u;
    ck_assert(mrs_parse_u64(cs("18446744073709551615"), UINT64_MAX, &u) == 0 && u == UINT64_MAX);
    ck_assert_int_eq(mrs_parse_u64(cs("18446744073709551616"), UINT64_MAX, &u), MRS_PARSE_POS_OVERFLOW);
    ck_assert_str_eq(mrs_parse_error_text(MRS_PARSE_INVALID_DIGIT), "invalid digit found in string");
    ck_assert_str_eq(mrs_parse_error_debug(MRS_PARSE_INVALID_DIGIT), "ParseIntError { kind: InvalidDigit }");
    bool b;
    ck_assert_int_eq(mrs_parse_bool(cs("yes"), &b), MRS_PARSE_BOOL_INVALID);
    ck_assert(mrs_parse_bool(cs("true"), &b) == 0 && b);
    ck_assert_str_eq(mrs_parse_error_text(MRS_PARSE_BOOL_INVALID), "provided string was not `true` or `false`");
}
END_TEST

START_TEST(test_parse_float)
{
    struct { const char *s; int err; double v; } cases[] = {
        { "", MRS_PARSE_FLOAT_EMPTY, 0 }, { "inf", 0, INFINITY }, { "-inf", 0, -INFINITY },
        { "+infinity", 0, INFINITY }, { "Inf", 0, INFINITY }, { "INFINITY", 0, INFINITY },
        { "1e5", 0, 100000.0 }, { "+3.5", 0, 3.5 }, { ".5", 0, 0.5 }, { "5.", 0, 5.0 },
        { ".", MRS_PARSE_FLOAT_INVALID, 0 }, { "e5", MRS_PARSE_FLOAT_INVALID, 0 },
        { "1e", MRS_PARSE_FLOAT_INVALID, 0 }, { "1e+", MRS_PARSE_FLOAT_INVALID, 0 },
        { "1.5E-3", 0, 0.0015 }, { " 1", MRS_PARSE_FLOAT_INVALID, 0 }, { "0x10", MRS_PARSE_FLOAT_INVALID, 0 },
        { "1_0", MRS_PARSE_FLOAT_INVALID, 0 }, { "1e400", 0, INFINITY }, { "2.5e", MRS_PARSE_FLOAT_INVALID, 0 },
        { "-.5e2", 0, -50.0 }, { "+.", MRS_PARSE_FLOAT_INVALID, 0 }, { "0.1", 0, 0.1 },
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        double v = -1;
        ck_assert_int_eq(mrs_parse_f64(cs(cases[i].s), &v), cases[i].err);
        if (cases[i].err == 0)
            ck_assert(v == cases[i].v);
    }
    double v;
    ck_assert(mrs_parse_f64(cs("NaN"), &v) == 0 && isnan(v));
    ck_assert(mrs_parse_f64(cs("-nan"), &v) == 0 && isnan(v));
    ck_assert(mrs_parse_f64(cs("-1e-400"), &v) == 0 && v == 0.0 && signbit(v)); /* Ok(-0.0) */
    float f;
    ck_assert(mrs_parse_f32(cs("0.1"), &f) == 0 && f == 0.1f);
    ck_assert_str_eq(mrs_parse_error_text(MRS_PARSE_FLOAT_INVALID), "invalid float literal");
    ck_assert_str_eq(mrs_parse_error_text(MRS_PARSE_FLOAT_EMPTY), "cannot parse float from empty string");
}
END_TEST

/* ---- char */

START_TEST(test_char)
{
    uint32_t d;
    ck_assert(mrs_char_to_digit('z', 36, &d) && d == 35);     /* Some(35) */
    ck_assert(mrs_char_to_digit('A', 16, &d) && d == 10);     /* Some(10) */
    ck_assert(!mrs_char_to_digit('g', 16, &d));
    ck_assert(mrs_char_from_digit(11, 16, &d) && d == 'b');   /* Some('b') */
    ck_assert(!mrs_char_from_u32(0xD800, &d));                /* None */
    ck_assert(mrs_char_is_lowercase(0xDF));                   /* 'ß'.is_lowercase() */
    ck_assert(!mrs_char_is_uppercase(0x1C5));                 /* 'ǅ' is titlecase */
    ck_assert(mrs_char_is_numeric(0x661));                    /* '١' */
    ck_assert(mrs_char_is_alphabetic(0x216B));                /* 'Ⅻ' */
    ck_assert(!mrs_char_is_ascii_whitespace(0x0B));           /* '\u{b}' */
    ck_assert(mrs_char_is_whitespace(0x0B));
    ck_assert(mrs_char_is_alphanumeric(0xE9));
    ck_assert(!mrs_char_is_alphabetic('_'));
    ck_assert_uint_eq(mrs_char_to_uppercase(0xFF), 0x178);    /* ÿ -> Ÿ */
    ck_assert_uint_eq(mrs_char_to_lowercase(0x416), 0x436);   /* Ж -> ж */
    ck_assert_uint_eq(mrs_char_len_utf8(0x20AC), 3);
    uint32_t up[3];
    ck_assert_uint_eq(mrs_char_to_uppercase_full(0xDF, up), 2);
}
END_TEST

/* ---- integers: values and panic-free paths; the panics are run-fail tests */

START_TEST(test_int_methods)
{
    MrsLoc loc = MRS_LOC("t.mrs", 1, 1);
    /* (-7i32).rem_euclid(3), div_euclid(3), 7.rem_euclid(-3), 7.div_euclid(-3): 2 -3 1 -2 */
    ck_assert_int_eq(mrs_rem_euclid_i32(-7, 3, loc), 2);
    ck_assert_int_eq(mrs_div_euclid_i32(-7, 3, loc), -3);
    ck_assert_int_eq(mrs_rem_euclid_i32(7, -3, loc), 1);
    ck_assert_int_eq(mrs_div_euclid_i32(7, -3, loc), -2);
    ck_assert_int_eq(mrs_signum_i32(-7), -1);
    /* (-1i32).count_ones(), 5u8.count_zeros(), 1u16.leading_zeros(), 0u32.trailing_zeros(), 0i64.leading_zeros() */
    ck_assert_uint_eq(mrs_count_ones_i32(-1), 32);
    ck_assert_uint_eq(mrs_count_zeros_u8(5), 6);
    ck_assert_uint_eq(mrs_leading_zeros_u16(1), 15);
    ck_assert_uint_eq(mrs_trailing_zeros_u32(0), 32);
    ck_assert_uint_eq(mrs_leading_zeros_i64(0), 64);
    ck_assert(!mrs_is_power_of_two_u32(0) && mrs_is_power_of_two_u32(1) && mrs_is_power_of_two_u8(64));
    int32_t r;
    ck_assert(!mrs_checked_div_i32(INT32_MIN, -1, &r));      /* None */
    ck_assert(!mrs_checked_rem_i32(5, 0, &r));               /* None */
    ck_assert(!mrs_checked_pow_i32(2, 31, &r));              /* None */
    ck_assert(mrs_checked_pow_i32(2, 30, &r) && r == 1073741824);
    uint8_t u;
    ck_assert(!mrs_checked_sub_u8(3, 4, &u));
    /* i32::MIN.wrapping_neg(), 3i32.wrapping_pow(40), 200u8.wrapping_mul(3), i32::MIN.wrapping_abs() */
    ck_assert_int_eq(mrs_wrapping_neg_i32(INT32_MIN), INT32_MIN);
    ck_assert_int_eq(mrs_wrapping_pow_i32(3, 40), 689956897);
    ck_assert_uint_eq(mrs_wrapping_mul_u8(200, 3), 88);
    ck_assert_int_eq(mrs_wrapping_abs_i32(INT32_MIN), INT32_MIN);
    /* saturating: i32::MAX+1, i32::MIN-1, (-2i32).pow(63), i32::MIN * -1, 5u8 - 9 */
    ck_assert_int_eq(mrs_saturating_add_i32(INT32_MAX, 1), INT32_MAX);
    ck_assert_int_eq(mrs_saturating_sub_i32(INT32_MIN, 1), INT32_MIN);
    ck_assert_int_eq(mrs_saturating_pow_i32(-2, 63), INT32_MIN);
    ck_assert_int_eq(mrs_saturating_mul_i32(INT32_MIN, -1), INT32_MAX);
    ck_assert_uint_eq(mrs_saturating_sub_u8(5, 9), 0);
    /* 0i32.pow(0), (-1i64).pow(u32::MAX), (-2i32).pow(31) */
    ck_assert_int_eq(mrs_pow_i32(0, 0), 1);
    ck_assert_int_eq(mrs_pow_i64(-1, UINT32_MAX), -1);
    ck_assert_int_eq(mrs_pow_i32(-2, 31), INT32_MIN);
    /* rustc -O: i32::MAX + 1, 0u8 - 1, i64::MAX * 2, -i8::MIN, 1i32 << 32, 1u8 >> 8, 1i32 << -1 */
    ck_assert_int_eq(mrs_wadd_i32(INT32_MAX, 1), INT32_MIN);
    ck_assert_uint_eq(mrs_wsub_u8(0, 1), 255);
    ck_assert_int_eq(mrs_wmul_i64(INT64_MAX, 2), -2);
    ck_assert_int_eq(mrs_wneg_i8(INT8_MIN), INT8_MIN);
    ck_assert_int_eq(mrs_wshl_i32(1, 32), 1);
    ck_assert_uint_eq(mrs_wshr_u8(1, 8), 1);
    ck_assert_int_eq(mrs_wshl_i32(1, (uint64_t)(int64_t)-1), INT32_MIN);
    ck_assert_int_eq(mrs_shl_i32(1, 3, loc), 8);             /* 1i32 << 3u64 */
    ck_assert_int_eq(mrs_shr_i32(-16, 2, loc), -4);
    ck_assert_int_eq(mrs_wshr_i8(-128, 7), -1);
    ck_assert_uint_eq(mrs_shl_u16(0xFFFF, 15, loc), 0x8000);
}
END_TEST

START_TEST(test_float_methods)
{
    /* f64::NAN as i32, 1e20 as i32, -1e20 as u8, -0.9 as u32, 255.9f32 as u8, inf as i64 */
    ck_assert_int_eq(mrs_f64_to_i32(NAN), 0);
    ck_assert_int_eq(mrs_f64_to_i32(1e20), INT32_MAX);
    ck_assert_uint_eq(mrs_f64_to_u8(-1e20), 0);
    ck_assert_uint_eq(mrs_f64_to_u32(-0.9), 0);
    ck_assert_uint_eq(mrs_f32_to_u8(255.9f), 255);
    ck_assert_int_eq(mrs_f64_to_i64(INFINITY), INT64_MAX);
    /* 9.3e18 as i64, 1.8446744073709552e19 as u64 */
    ck_assert_int_eq(mrs_f64_to_i64(9.3e18), INT64_MAX);
    ck_assert_uint_eq(mrs_f64_to_u64(1.8446744073709552e19), UINT64_MAX);
    ck_assert_int_eq(mrs_f64_to_i64(-9223372036854775808.0), INT64_MIN);
    ck_assert_int_eq(mrs_f64_to_i8(-128.7), -128);
    /* [1.5, 2.5, -2.5, 0.5, -0.5].round() == [2.0, 3.0, -3.0, 1.0, -1.0] */
    ck_assert(mrs_f64_round(2.5) == 3.0 && mrs_f64_round(-2.5) == -3.0 && mrs_f64_round(-0.5) == -1.0);
    /* 1.1f64.powi(10) == 2.593742460100002, 1.1f32.powi(10) == 2.593743, 2.0.powi(-3) == 0.125 */
    ck_assert(mrs_f64_powi(1.1, 10) == 2.593742460100002);
    ck_assert(mrs_f32_powi(1.1f, 10) == 2.593743f);
    ck_assert(mrs_f64_powi(2.0, -3) == 0.125);
    ck_assert(mrs_f64_min(3.0, NAN) == 3.0);                  /* 3.0.min(NAN) == 3 */
    ck_assert(mrs_f64_rem_euclid(-7.5, 2.0) == 0.5);
    ck_assert(mrs_f64_signum(-0.0) == -1.0);
}
END_TEST

/* ---- Vec */

START_TEST(test_vec_grow)
{
    /* Vec<i32>: capacity after each of 20 pushes */
    static const size_t caps[] = { 4, 4, 4, 4, 8, 8, 8, 8, 16, 16, 16, 16, 16, 16, 16, 16, 32, 32, 32, 32 };
    int32_t *v = NULL;
    size_t len = 0, cap = 0;
    for (int i = 0; i < 20; i++) {
        if (len == cap)
            v = mrs_vec_grow(v, &cap, sizeof *v, len + 1);
        v[len++] = i;
        ck_assert_uint_eq(cap, caps[i]);
    }
    mrs_vec_free(v);
    /* Vec<u8> after one push: 8; Vec<[u8; 2000]> after one and two pushes: 1 then 2 */
    cap = 0;
    void *b = mrs_vec_grow(NULL, &cap, 1, 1);
    ck_assert_uint_eq(cap, 8);
    mrs_vec_free(b);
    cap = 0;
    b = mrs_vec_grow(NULL, &cap, 2000, 1);
    ck_assert_uint_eq(cap, 1);
    b = mrs_vec_grow(b, &cap, 2000, 2);
    ck_assert_uint_eq(cap, 2);
    mrs_vec_free(b);
}
END_TEST

/* ---- std's sorts: the template mrs_sort.h, typed for a (key, seq) pair */

typedef struct Item {
    int key;
    int seq;
} Item;

static long item_compares;

static bool item_less(const Item *a, const Item *b, const void *f)
{
    (void)f;
    item_compares++;
    return a->key < b->key;
}

#define MRS_SORT_NAME items
#define MRS_SORT_T Item
#define MRS_SORT_CTX const void *
#define MRS_SORT_LESS item_less
#define MRS_SORT_SIZE 8
#define MRS_SORT_FREEZE 1
#define MRS_SORT_COPY 1
#include "../../runtime/mrs_sort.h"

static void fill_items(Item *v, int n, unsigned seed, int keys)
{
    for (int i = 0; i < n; i++) {
        seed = seed * 1103515245u + 12345u;
        v[i] = (Item){(int)((seed >> 16) % (unsigned)keys), i};
    }
}

/* every seq of 0..n-1 once */
static bool is_permutation(const Item *v, int n)
{
    bool *seen = calloc((size_t)n + 1, 1);
    bool ok = true;
    for (int i = 0; i < n && ok; i++) {
        ok = v[i].seq >= 0 && v[i].seq < n && !seen[v[i].seq];
        if (ok)
            seen[v[i].seq] = true;
    }
    free(seen);
    return ok;
}

START_TEST(test_sort_std)
{
    for (int n = 0; n < 6000; n += n < 300 ? 7 : 1931) {
        Item *v = malloc(sizeof(Item) * (size_t)(n + 1));
        for (int unstable = 0; unstable < 2; unstable++) {
            fill_items(v, n, 12345u + (unsigned)n, n % 2 ? 10 : 1000);
            if (unstable)
                items_unstable(v, (size_t)n, NULL);
            else
                items_stable(v, (size_t)n, NULL);
            ck_assert(is_permutation(v, n));
            for (int i = 1; i < n; i++) {
                ck_assert_int_le(v[i - 1].key, v[i].key);
                if (!unstable && v[i - 1].key == v[i].key)
                    ck_assert_int_lt(v[i - 1].seq, v[i].seq); /* equal keys keep their order */
            }
        }
        free(v);
    }
    /* a run in order, or strictly descending, takes n - 1 comparisons (std's run detection) */
    Item w[1000];
    for (int unstable = 0; unstable < 2; unstable++)
        for (int down = 0; down < 2; down++) {
            for (int i = 0; i < 1000; i++)
                w[i] = (Item){down ? 1000 - i : i, i};
            item_compares = 0;
            if (unstable)
                items_unstable(w, 1000, NULL);
            else
                items_stable(w, 1000, NULL);
            ck_assert_int_eq(item_compares, 999);
            ck_assert_int_eq(w[0].key, down ? 1 : 0);
            ck_assert_int_eq(w[999].key, down ? 1000 : 999);
        }
}
END_TEST

/* A "comparison" that is not an order: now and then it says less at random. */
static bool chaos_less(const Item *a, const Item *b, unsigned *state)
{
    *state = *state * 1103515245u + 12345u;
    return (*state >> 28) == 0 ? true : a->key < b->key;
}

#define MRS_SORT_NAME chaos
#define MRS_SORT_T Item
#define MRS_SORT_CTX unsigned *
#define MRS_SORT_LESS chaos_less
#define MRS_SORT_SIZE 8
#define MRS_SORT_FREEZE 1
#define MRS_SORT_COPY 1
#include "../../runtime/mrs_sort.h"

static Item chaos_items[1000];

/* run by the unwinding: the slice must hold every element once, or the exit status says so */
static void check_chaos_items(void *obj)
{
    (void)obj;
    if (!is_permutation(chaos_items, 1000))
        _exit(3);
}

/* std notices the inconsistency and panics (exit status 101), leaving a permutation */
START_TEST(test_sort_order_violation)
{
    unsigned state = 7;
    fill_items(chaos_items, 1000, 99u, 50);
    MrsUnwindGuard g = {mrs_unwind_top, NULL, check_chaos_items, NULL};
    mrs_unwind_top = &g;
    if (_i == 0)
        chaos_stable(chaos_items, 1000, &state);
    else
        chaos_unstable(chaos_items, 1000, &state);
}
END_TEST

/* ---- unwinding: the guard chain */

static int unwind_log[8];
static int unwind_n;

static void record_drop(void *obj)
{
    unwind_log[unwind_n++] = *(int *)obj;
}

START_TEST(test_unwind_chain)
{
    int a = 1, b = 2, c = 3;
    bool b_live = false; /* moved away: not dropped */
    unwind_n = 0;
    MrsUnwindGuard ga = { mrs_unwind_top, &a, record_drop, NULL };
    mrs_unwind_top = &ga;
    MrsUnwindGuard gb = { mrs_unwind_top, &b, record_drop, &b_live };
    mrs_unwind_top = &gb;
    MrsUnwindGuard gc = { mrs_unwind_top, &c, record_drop, NULL };
    mrs_unwind_top = &gc;
    mrs_unwind();
    ck_assert_int_eq(unwind_n, 2);
    ck_assert_int_eq(unwind_log[0], 3); /* innermost first */
    ck_assert_int_eq(unwind_log[1], 1);
    ck_assert_ptr_null(mrs_unwind_top);
}
END_TEST

START_TEST(test_refcell_flag)
{
    intptr_t flag = 0;
    ck_assert_ptr_eq(mrs_refcell_try_borrow(&flag), &flag); /* a reader */
    ck_assert_ptr_eq(mrs_refcell_try_borrow(&flag), &flag); /* and another */
    ck_assert_int_eq(flag, 2);
    ck_assert_ptr_null(mrs_refcell_try_borrow_mut(&flag)); /* no writer while read */
    flag -= 2;
    ck_assert_ptr_eq(mrs_refcell_try_borrow_mut(&flag), &flag);
    ck_assert_int_eq(flag, -1);
    ck_assert_ptr_null(mrs_refcell_try_borrow(&flag)); /* no reader while written */
    ck_assert_ptr_null(mrs_refcell_try_borrow_mut(&flag));
}
END_TEST

START_TEST(test_arc_counts)
{
    atomic_size_t n;
    atomic_init(&n, 1);
    mrs_arc_inc(&n);
    ck_assert(!mrs_arc_dec(&n)); /* 2 -> 1: not the last */
    ck_assert(mrs_arc_dec(&n));  /* 1 -> 0: the last owner */
}
END_TEST

START_TEST(test_channel)
{
    MrsChannel *ch = mrs_channel_new(sizeof(int), NULL);
    int v = 0;
    ck_assert_int_eq(mrs_channel_try_recv(ch, &v), 1); /* empty */
    for (int i = 1; i <= 20; i++) /* past the first capacity: the ring grows */
        ck_assert(mrs_channel_send(ch, &i));
    for (int i = 1; i <= 20; i++) {
        ck_assert(mrs_channel_recv(ch, &v));
        ck_assert_int_eq(v, i); /* in order */
    }
    mrs_channel_add_sender(ch);
    mrs_channel_drop_sender(ch);
    ck_assert_int_eq(mrs_channel_try_recv(ch, &v), 1); /* one Sender left */
    mrs_channel_drop_sender(ch);
    ck_assert_int_eq(mrs_channel_try_recv(ch, &v), 2); /* disconnected */
    ck_assert(!mrs_channel_recv(ch, &v));
    mrs_channel_drop_receiver(ch); /* both ends gone: freed */
}
END_TEST

static void add_one(void *env, void *result)
{
    *(int *)result = *(int *)env + 1;
}

START_TEST(test_thread_join)
{
    int x = 41, r = 0;
    MrsThread *t = mrs_thread_spawn(add_one, &x, sizeof x, sizeof r);
    ck_assert(mrs_thread_join(t, &r));
    ck_assert_int_eq(r, 42);
    MrsMutex m = MRS_MUTEX_INIT;
    MrsMutex *held = mrs_mutex_lock(&m);
    ck_assert(!mrs_mutex_try_lock(&m));
    mrs_mutex_unlock(held);
    ck_assert(!m.poisoned);
    ck_assert(mrs_mutex_try_lock(&m));
    mrs_mutex_unlock(&m);
}
END_TEST

/* A Waker woken from another thread unparks block_on's executor. */
static void *wake_later(void *arg)
{
    MrsWaker *w = arg;
    mrs_thread_sleep(mrs_duration_from_millis(20));
    mrs_waker_wake(*w); /* (consumes the clone) */
    return NULL;
}

START_TEST(test_waker_executor)
{
    MrsExecutor ex;
    mrs_executor_init(&ex);
    /* woken before parking: park returns at once, and the flag is cleared */
    mrs_waker_wake_by_ref(ex.cx.waker);
    mrs_executor_park(&ex);
    /* a clone is one more handle on the same flag */
    MrsWaker w = mrs_waker_clone(ex.cx.waker);
    ck_assert(mrs_waker_will_wake(&w, &ex.waker));
    pthread_t th;
    ck_assert_int_eq(pthread_create(&th, NULL, wake_later, &w), 0);
    mrs_executor_park(&ex); /* returns once the other thread wakes it */
    pthread_join(th, NULL);
    /* the noop waker wakes nothing and owns nothing */
    const MrsWaker *noop = mrs_waker_noop();
    mrs_waker_wake_by_ref(noop);
    MrsWaker nc = mrs_waker_clone(noop);
    mrs_waker_drop(&nc);
    mrs_executor_done(&ex);
}
END_TEST

/* The HashMap index: entries appended and removed (the last moving into the hole),
 * with many hashes in the same slots, always found where the table says. */
typedef struct TestEntry {
    uint64_t hash;
    int key;
} TestEntry;

static ptrdiff_t test_find(const MrsMapIndex *ix, const TestEntry *es, int key, uint64_t h)
{
    if (!ix->cap)
        return -1;
    for (size_t s = (size_t)h & (ix->cap - 1);; s = (s + 1) & (ix->cap - 1)) {
        uint32_t n = ix->slots[s];
        if (!n)
            return -1;
        if (es[n - 1].hash == h && es[n - 1].key == key)
            return (ptrdiff_t)(n - 1);
    }
}

START_TEST(test_map_index)
{
    TestEntry es[200];
    size_t n = 0;
    MrsMapIndex ix = {0};
    for (int k = 0; k < 200; k++) { /* hashes collide in groups of 8 */
        es[n] = (TestEntry){(uint64_t)(k / 8) * 7, k};
        n++;
        mrs_map_index_add(&ix, es, sizeof es[0], n);
    }
    for (int k = 0; k < 200; k++)
        ck_assert_int_eq(test_find(&ix, es, k, (uint64_t)(k / 8) * 7), k);
    for (int k = 0; k < 200; k += 3) { /* remove every third key */
        ptrdiff_t i = test_find(&ix, es, k, (uint64_t)(k / 8) * 7);
        ck_assert(i >= 0);
        mrs_map_index_remove(&ix, es, sizeof es[0], (size_t)i, n);
        es[i] = es[n - 1];
        n--;
    }
    for (int k = 0; k < 200; k++) {
        ptrdiff_t i = test_find(&ix, es, k, (uint64_t)(k / 8) * 7);
        if (k % 3 == 0)
            ck_assert_int_eq(i, -1);
        else
            ck_assert(i >= 0 && es[i].key == k);
    }
    ck_assert(mrs_hash_bytes("abc", 3) == mrs_hash_bytes("abc", 3));
    ck_assert(mrs_hash_bytes("abc", 3) != mrs_hash_bytes("abd", 3));
    mrs_map_index_free(&ix);
}
END_TEST

START_TEST(test_instant_and_duration_math)
{
    MrsInstant a = {10, 900000000u}, b = {12, 100000000u};
    MrsDuration d = mrs_instant_since(b, a);
    ck_assert_uint_eq(d.secs, 1);
    ck_assert_uint_eq(d.nanos, 200000000u);
    d = mrs_instant_since(a, b); /* saturates at zero, as duration_since does */
    ck_assert_uint_eq(d.secs, 0);
    ck_assert_uint_eq(d.nanos, 0);
    MrsDuration s = mrs_duration_add(mrs_duration_from_millis(1500), mrs_duration_from_millis(700), MRS_LOC("t", 1, 1));
    ck_assert_uint_eq(s.secs, 2);
    ck_assert_uint_eq(s.nanos, 200000000u);
    s = mrs_duration_sub(s, mrs_duration_from_millis(300), MRS_LOC("t", 1, 1));
    ck_assert_uint_eq(s.secs, 1);
    ck_assert_uint_eq(s.nanos, 900000000u);
    ck_assert_int_lt(mrs_duration_cmp(mrs_duration_from_millis(999), mrs_duration_from_secs(1)), 0);
    ck_assert_int_eq(mrs_duration_cmp(mrs_duration_from_micros(1000), mrs_duration_from_millis(1)), 0);
    MrsInstant now = mrs_instant_now(), later = mrs_instant_now();
    ck_assert_int_le(mrs_duration_cmp(now, later), 0); /* monotonic */
}
END_TEST

Suite *runtime_suite(void)
{
    Suite *s = suite_create("runtime");
    TCase *tc = tcase_create("core");
    tcase_add_test(tc, test_string_basics);
    tcase_add_test(tc, test_string_capacity);
    tcase_add_test(tc, test_str_search);
    tcase_add_test(tc, test_str_transform);
    tcase_add_test(tc, test_str_iterators);
    tcase_add_test(tc, test_str_slice_errors);
    tcase_add_test(tc, test_panic_message);
    tcase_add_test(tc, test_parse_int);
    tcase_add_test(tc, test_parse_float);
    tcase_add_test(tc, test_char);
    tcase_add_test(tc, test_int_methods);
    tcase_add_test(tc, test_float_methods);
    tcase_add_test(tc, test_vec_grow);
    tcase_add_test(tc, test_sort_std);
    tcase_add_loop_exit_test(tc, test_sort_order_violation, 101, 0, 2);
    tcase_add_test(tc, test_unwind_chain);
    tcase_add_test(tc, test_refcell_flag);
    tcase_add_test(tc, test_arc_counts);
    tcase_add_test(tc, test_channel);
    tcase_add_test(tc, test_thread_join);
    tcase_add_test(tc, test_waker_executor);
    tcase_add_test(tc, test_instant_and_duration_math);
    tcase_add_test(tc, test_map_index);
    suite_add_tcase(s, tc);
    return s;
}
