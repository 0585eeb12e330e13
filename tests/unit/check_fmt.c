/* check_fmt.c — unit tests for the formatting engine (runtime/fmt.c, fmt_float.c,
 * fmt_debug.c).
 *
 * Every expected string was printed by rustc 1.95 through shared/tools/rustc-oracle for
 * the format and value in the comment above the case (the table was generated from one
 * Rust program, one println! per case); none is typed from memory. */
#include <check.h>
#include <float.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include "../../runtime/mrs_rt.h"

/* MrsFmtSpec fields in order: fill, align, sign, alternate, zero_pad, width, precision */
#define SPEC(...) ((MrsFmtSpec){ __VA_ARGS__ })

/* Formats through a fresh formatter with the given spec, then compares. */
#define CASE(spec_, call, expected)                                                        \
    do {                                                                                  \
        MrsString out = mrs_string_new();                                                 \
        MrsFormatter f = mrs_fmt_new(&out);                                               \
        f.spec = (spec_);                                                                 \
        call;                                                                             \
        check_output(&out, (expected), __LINE__);                                         \
    } while (0)

static void check_output(MrsString *out, const char *expected, int line)
{
    size_t n = strlen(expected);
    bool same = out->len == n && (n == 0 || memcmp(out->ptr, expected, n) == 0);
    ck_assert_msg(same, "line %d: expected [%s], got [%.*s]", line, expected, (int)out->len,
                  out->ptr ? (const char *)out->ptr : "");
    mrs_string_drop(out);
}

START_TEST(test_f64_display)
{
    /* "{}" of (0.1+0.2) as f64 */
    CASE(SPEC(' ', 0, 0, false, false, -1, -1), { double v = 0.1+0.2; mrs_fmt_f64(&f, v); }, "0.30000000000000004");
    /* "{}" of (1e21) as f64 */
    CASE(SPEC(' ', 0, 0, false, false, -1, -1), { double v = 1e21; mrs_fmt_f64(&f, v); }, "1000000000000000000000");
    /* "{}" of (1e-7) as f64 */
    CASE(SPEC(' ', 0, 0, false, false, -1, -1), { double v = 1e-7; mrs_fmt_f64(&f, v); }, "0.0000001");
    /* "{}" of (1.0) as f64 */
    CASE(SPEC(' ', 0, 0, false, false, -1, -1), { double v = 1.0; mrs_fmt_f64(&f, v); }, "1");
    /* "{}" of (-0.0) as f64 */
    CASE(SPEC(' ', 0, 0, false, false, -1, -1), { double v = -0.0; mrs_fmt_f64(&f, v); }, "-0");
    /* "{}" of (1e15) as f64 */
    CASE(SPEC(' ', 0, 0, false, false, -1, -1), { double v = 1e15; mrs_fmt_f64(&f, v); }, "1000000000000000");
    /* "{}" of (1e16) as f64 */
    CASE(SPEC(' ', 0, 0, false, false, -1, -1), { double v = 1e16; mrs_fmt_f64(&f, v); }, "10000000000000000");
    /* "{}" of (123456789.125) as f64 */
    CASE(SPEC(' ', 0, 0, false, false, -1, -1), { double v = 123456789.125; mrs_fmt_f64(&f, v); }, "123456789.125");
    /* "{}" of (5e-324) as f64 */
    CASE(SPEC(' ', 0, 0, false, false, -1, -1), { double v = 5e-324; mrs_fmt_f64(&f, v); }, "0.000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000005");
    /* "{}" of (1.7976931348623157e308) as f64 */
    CASE(SPEC(' ', 0, 0, false, false, -1, -1), { double v = 1.7976931348623157e308; mrs_fmt_f64(&f, v); }, "179769313486231570000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000");
    /* "{}" of (f64::NAN) as f64 */
    CASE(SPEC(' ', 0, 0, false, false, -1, -1), { double v = NAN; mrs_fmt_f64(&f, v); }, "NaN");
    /* "{}" of (f64::INFINITY) as f64 */
    CASE(SPEC(' ', 0, 0, false, false, -1, -1), { double v = INFINITY; mrs_fmt_f64(&f, v); }, "inf");
    /* "{}" of (-f64::INFINITY) as f64 */
    CASE(SPEC(' ', 0, 0, false, false, -1, -1), { double v = -INFINITY; mrs_fmt_f64(&f, v); }, "-inf");
    /* "{}" of (0.0) as f64 */
    CASE(SPEC(' ', 0, 0, false, false, -1, -1), { double v = 0.0; mrs_fmt_f64(&f, v); }, "0");
    /* "{}" of (100.0) as f64 */
    CASE(SPEC(' ', 0, 0, false, false, -1, -1), { double v = 100.0; mrs_fmt_f64(&f, v); }, "100");
    /* "{}" of (0.3) as f64 */
    CASE(SPEC(' ', 0, 0, false, false, -1, -1), { double v = 0.3; mrs_fmt_f64(&f, v); }, "0.3");
    /* "{}" of (2.2250738585072014e-308) as f64 */
    CASE(SPEC(' ', 0, 0, false, false, -1, -1), { double v = 2.2250738585072014e-308; mrs_fmt_f64(&f, v); }, "0.000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000022250738585072014");
    /* "{}" of (1e-5) as f64 */
    CASE(SPEC(' ', 0, 0, false, false, -1, -1), { double v = 1e-5; mrs_fmt_f64(&f, v); }, "0.00001");
    /* "{}" of (123e18) as f64 */
    CASE(SPEC(' ', 0, 0, false, false, -1, -1), { double v = 123e18; mrs_fmt_f64(&f, v); }, "123000000000000000000");
    /* "{}" of (-1.5) as f64 */
    CASE(SPEC(' ', 0, 0, false, false, -1, -1), { double v = -1.5; mrs_fmt_f64(&f, v); }, "-1.5");
    /* "{}" of (0.000123) as f64 */
    CASE(SPEC(' ', 0, 0, false, false, -1, -1), { double v = 0.000123; mrs_fmt_f64(&f, v); }, "0.000123");
    /* "{}" of (4503599627370496.5) as f64 */
    CASE(SPEC(' ', 0, 0, false, false, -1, -1), { double v = 4503599627370496.5; mrs_fmt_f64(&f, v); }, "4503599627370496");
    /* "{}" of (9007199254740993.0) as f64 */
    CASE(SPEC(' ', 0, 0, false, false, -1, -1), { double v = 9007199254740993.0; mrs_fmt_f64(&f, v); }, "9007199254740992");
}
END_TEST

START_TEST(test_f64_debug)
{
    /* "{:?}" of (1.0) as f64 */
    CASE(SPEC(' ', 0, 0, false, false, -1, -1), { double v = 1.0; mrs_fmt_debug_f64(&f, v); }, "1.0");
    /* "{:?}" of (-0.0) as f64 */
    CASE(SPEC(' ', 0, 0, false, false, -1, -1), { double v = -0.0; mrs_fmt_debug_f64(&f, v); }, "-0.0");
    /* "{:?}" of (1e16) as f64 */
    CASE(SPEC(' ', 0, 0, false, false, -1, -1), { double v = 1e16; mrs_fmt_debug_f64(&f, v); }, "1e16");
    /* "{:?}" of (9999999999999998.0) as f64 */
    CASE(SPEC(' ', 0, 0, false, false, -1, -1), { double v = 9999999999999998.0; mrs_fmt_debug_f64(&f, v); }, "9999999999999998.0");
    /* "{:?}" of (1e-4) as f64 */
    CASE(SPEC(' ', 0, 0, false, false, -1, -1), { double v = 1e-4; mrs_fmt_debug_f64(&f, v); }, "0.0001");
    /* "{:?}" of (9.9e-5) as f64 */
    CASE(SPEC(' ', 0, 0, false, false, -1, -1), { double v = 9.9e-5; mrs_fmt_debug_f64(&f, v); }, "9.9e-5");
    /* "{:?}" of (0.00012) as f64 */
    CASE(SPEC(' ', 0, 0, false, false, -1, -1), { double v = 0.00012; mrs_fmt_debug_f64(&f, v); }, "0.00012");
    /* "{:?}" of (1e21) as f64 */
    CASE(SPEC(' ', 0, 0, false, false, -1, -1), { double v = 1e21; mrs_fmt_debug_f64(&f, v); }, "1e21");
    /* "{:?}" of (1e-7) as f64 */
    CASE(SPEC(' ', 0, 0, false, false, -1, -1), { double v = 1e-7; mrs_fmt_debug_f64(&f, v); }, "1e-7");
    /* "{:?}" of (0.1+0.2) as f64 */
    CASE(SPEC(' ', 0, 0, false, false, -1, -1), { double v = 0.1+0.2; mrs_fmt_debug_f64(&f, v); }, "0.30000000000000004");
    /* "{:?}" of (1e300*10.0) as f64 */
    CASE(SPEC(' ', 0, 0, false, false, -1, -1), { double v = 1e300*10.0; mrs_fmt_debug_f64(&f, v); }, "1e301");
    /* "{:?}" of (f64::NAN) as f64 */
    CASE(SPEC(' ', 0, 0, false, false, -1, -1), { double v = NAN; mrs_fmt_debug_f64(&f, v); }, "NaN");
    /* "{:?}" of (-f64::INFINITY) as f64 */
    CASE(SPEC(' ', 0, 0, false, false, -1, -1), { double v = -INFINITY; mrs_fmt_debug_f64(&f, v); }, "-inf");
    /* "{:?}" of (0.0) as f64 */
    CASE(SPEC(' ', 0, 0, false, false, -1, -1), { double v = 0.0; mrs_fmt_debug_f64(&f, v); }, "0.0");
    /* "{:?}" of (1e15) as f64 */
    CASE(SPEC(' ', 0, 0, false, false, -1, -1), { double v = 1e15; mrs_fmt_debug_f64(&f, v); }, "1000000000000000.0");
    /* "{:?}" of (-1.5e-10) as f64 */
    CASE(SPEC(' ', 0, 0, false, false, -1, -1), { double v = -1.5e-10; mrs_fmt_debug_f64(&f, v); }, "-1.5e-10");
    /* "{:?}" of (5e-324) as f64 */
    CASE(SPEC(' ', 0, 0, false, false, -1, -1), { double v = 5e-324; mrs_fmt_debug_f64(&f, v); }, "5e-324");
    /* "{:?}" of (f64::MAX) as f64 */
    CASE(SPEC(' ', 0, 0, false, false, -1, -1), { double v = DBL_MAX; mrs_fmt_debug_f64(&f, v); }, "1.7976931348623157e308");
    /* "{:?}" of (f64::MIN_POSITIVE) as f64 */
    CASE(SPEC(' ', 0, 0, false, false, -1, -1), { double v = DBL_MIN; mrs_fmt_debug_f64(&f, v); }, "2.2250738585072014e-308");
    /* "{:?}" of (f64::EPSILON) as f64 */
    CASE(SPEC(' ', 0, 0, false, false, -1, -1), { double v = DBL_EPSILON; mrs_fmt_debug_f64(&f, v); }, "2.220446049250313e-16");
}
END_TEST

START_TEST(test_f64_precision_padding)
{
    /* "{:.1}" of (0.25) as f64 */
    CASE(SPEC(' ', 0, 0, false, false, -1, 1), { double v = 0.25; mrs_fmt_f64(&f, v); }, "0.2");
    /* "{:.1}" of (0.35) as f64 */
    CASE(SPEC(' ', 0, 0, false, false, -1, 1), { double v = 0.35; mrs_fmt_f64(&f, v); }, "0.3");
    /* "{:.0}" of (2.5) as f64 */
    CASE(SPEC(' ', 0, 0, false, false, -1, 0), { double v = 2.5; mrs_fmt_f64(&f, v); }, "2");
    /* "{:.0}" of (3.5) as f64 */
    CASE(SPEC(' ', 0, 0, false, false, -1, 0), { double v = 3.5; mrs_fmt_f64(&f, v); }, "4");
    /* "{:.0}" of (0.5) as f64 */
    CASE(SPEC(' ', 0, 0, false, false, -1, 0), { double v = 0.5; mrs_fmt_f64(&f, v); }, "0");
    /* "{:.0}" of (1.5) as f64 */
    CASE(SPEC(' ', 0, 0, false, false, -1, 0), { double v = 1.5; mrs_fmt_f64(&f, v); }, "2");
    /* "{:.2}" of (0.125) as f64 */
    CASE(SPEC(' ', 0, 0, false, false, -1, 2), { double v = 0.125; mrs_fmt_f64(&f, v); }, "0.12");
    /* "{:.2}" of (0.375) as f64 */
    CASE(SPEC(' ', 0, 0, false, false, -1, 2), { double v = 0.375; mrs_fmt_f64(&f, v); }, "0.38");
    /* "{:.1}" of (-0.05) as f64 */
    CASE(SPEC(' ', 0, 0, false, false, -1, 1), { double v = -0.05; mrs_fmt_f64(&f, v); }, "-0.1");
    /* "{:.3}" of (1.0005) as f64 */
    CASE(SPEC(' ', 0, 0, false, false, -1, 3), { double v = 1.0005; mrs_fmt_f64(&f, v); }, "1.000");
    /* "{:.2}" of (1e21) as f64 */
    CASE(SPEC(' ', 0, 0, false, false, -1, 2), { double v = 1e21; mrs_fmt_f64(&f, v); }, "1000000000000000000000.00");
    /* "{:.30}" of (0.1) as f64 */
    CASE(SPEC(' ', 0, 0, false, false, -1, 30), { double v = 0.1; mrs_fmt_f64(&f, v); }, "0.100000000000000005551115123126");
    /* "{:.20}" of (1e-10) as f64 */
    CASE(SPEC(' ', 0, 0, false, false, -1, 20), { double v = 1e-10; mrs_fmt_f64(&f, v); }, "0.00000000010000000000");
    /* "{:.5}" of (1e21) as f64 */
    CASE(SPEC(' ', 0, 0, false, false, -1, 5), { double v = 1e21; mrs_fmt_f64(&f, v); }, "1000000000000000000000.00000");
    /* "{:.3}" of (f64::NAN) as f64 */
    CASE(SPEC(' ', 0, 0, false, false, -1, 3), { double v = NAN; mrs_fmt_f64(&f, v); }, "NaN");
    /* "{:.0}" of (-0.4) as f64 */
    CASE(SPEC(' ', 0, 0, false, false, -1, 0), { double v = -0.4; mrs_fmt_f64(&f, v); }, "-0");
    /* "{:.1}" of (-0.0) as f64 */
    CASE(SPEC(' ', 0, 0, false, false, -1, 1), { double v = -0.0; mrs_fmt_f64(&f, v); }, "-0.0");
    /* "{:.2}" of (2.675) as f64 */
    CASE(SPEC(' ', 0, 0, false, false, -1, 2), { double v = 2.675; mrs_fmt_f64(&f, v); }, "2.67");
    /* "{:.1}" of (0.05) as f64 */
    CASE(SPEC(' ', 0, 0, false, false, -1, 1), { double v = 0.05; mrs_fmt_f64(&f, v); }, "0.1");
    /* "{:.3}" of (2.0) as f64 */
    CASE(SPEC(' ', 0, 0, false, false, -1, 3), { double v = 2.0; mrs_fmt_f64(&f, v); }, "2.000");
    /* "{:.0}" of (1e300) as f64 */
    CASE(SPEC(' ', 0, 0, false, false, -1, 0), { double v = 1e300; mrs_fmt_f64(&f, v); }, "1000000000000000052504760255204420248704468581108159154915854115511802457988908195786371375080447864043704443832883878176942523235360430575644792184786706982848387200926575803737830233794788090059368953234970799945081119038967640880074652742780142494579258788820056842838115669472196386865459400540160");
    /* "{:8.2}" of (3.14159) as f64 */
    CASE(SPEC(' ', 0, 0, false, false, 8, 2), { double v = 3.14159; mrs_fmt_f64(&f, v); }, "    3.14");
    /* "{:<8.2}" of (3.14159) as f64 */
    CASE(SPEC(' ', '<', 0, false, false, 8, 2), { double v = 3.14159; mrs_fmt_f64(&f, v); }, "3.14    ");
    /* "{:^8.2}" of (3.14159) as f64 */
    CASE(SPEC(' ', '^', 0, false, false, 8, 2), { double v = 3.14159; mrs_fmt_f64(&f, v); }, "  3.14  ");
    /* "{:>8}" of (2.5) as f64 */
    CASE(SPEC(' ', '>', 0, false, false, 8, -1), { double v = 2.5; mrs_fmt_f64(&f, v); }, "     2.5");
    /* "{:08.2}" of (-3.14159) as f64 */
    CASE(SPEC(' ', 0, 0, false, true, 8, 2), { double v = -3.14159; mrs_fmt_f64(&f, v); }, "-0003.14");
    /* "{:+08.2}" of (3.14159) as f64 */
    CASE(SPEC(' ', 0, '+', false, true, 8, 2), { double v = 3.14159; mrs_fmt_f64(&f, v); }, "+0003.14");
    /* "{:+}" of (0.0) as f64 */
    CASE(SPEC(' ', 0, '+', false, false, -1, -1), { double v = 0.0; mrs_fmt_f64(&f, v); }, "+0");
    /* "{:+}" of (-0.0) as f64 */
    CASE(SPEC(' ', 0, '+', false, false, -1, -1), { double v = -0.0; mrs_fmt_f64(&f, v); }, "-0");
    /* "{:+.1}" of (1.0) as f64 */
    CASE(SPEC(' ', 0, '+', false, false, -1, 1), { double v = 1.0; mrs_fmt_f64(&f, v); }, "+1.0");
    /* "{:08}" of (f64::NAN) as f64 */
    CASE(SPEC(' ', 0, 0, false, true, 8, -1), { double v = NAN; mrs_fmt_f64(&f, v); }, "00000NaN");
    /* "{:+08}" of (f64::INFINITY) as f64 */
    CASE(SPEC(' ', 0, '+', false, true, 8, -1), { double v = INFINITY; mrs_fmt_f64(&f, v); }, "+0000inf");
    /* "{:8}" of (f64::NAN) as f64 */
    CASE(SPEC(' ', 0, 0, false, false, 8, -1), { double v = NAN; mrs_fmt_f64(&f, v); }, "     NaN");
    /* "{:<8?}" of (-0.0) as f64 */
    CASE(SPEC(' ', '<', 0, false, false, 8, -1), { double v = -0.0; mrs_fmt_debug_f64(&f, v); }, "-0.0    ");
    /* "{:08?}" of (1.5) as f64 */
    CASE(SPEC(' ', 0, 0, false, true, 8, -1), { double v = 1.5; mrs_fmt_debug_f64(&f, v); }, "000001.5");
    /* "{:+}" of (f64::NAN) as f64 */
    CASE(SPEC(' ', 0, '+', false, false, -1, -1), { double v = NAN; mrs_fmt_f64(&f, v); }, "NaN");
    /* "{:*^9}" of (-1.5) as f64 */
    CASE(SPEC('*', '^', 0, false, false, 9, -1), { double v = -1.5; mrs_fmt_f64(&f, v); }, "**-1.5***");
    /* "{:08}" of (-f64::INFINITY) as f64 */
    CASE(SPEC(' ', 0, 0, false, true, 8, -1), { double v = -INFINITY; mrs_fmt_f64(&f, v); }, "-0000inf");
    /* "{:+}" of (f64::INFINITY) as f64 */
    CASE(SPEC(' ', 0, '+', false, false, -1, -1), { double v = INFINITY; mrs_fmt_f64(&f, v); }, "+inf");
    /* "{:<05}" of (1.5) as f64 */
    CASE(SPEC(' ', '<', 0, false, true, 5, -1), { double v = 1.5; mrs_fmt_f64(&f, v); }, "001.5");
    /* "{:^+9.1}" of (2.25) as f64 */
    CASE(SPEC(' ', '^', '+', false, false, 9, 1), { double v = 2.25; mrs_fmt_f64(&f, v); }, "  +2.2   ");
    /* "{:#>6}" of (1.0) as f64 */
    CASE(SPEC('#', '>', 0, false, false, 6, -1), { double v = 1.0; mrs_fmt_f64(&f, v); }, "#####1");
    /* "{:-^7}" of (0.5) as f64 */
    CASE(SPEC('-', '^', 0, false, false, 7, -1), { double v = 0.5; mrs_fmt_f64(&f, v); }, "--0.5--");
    /* "{:010.3?}" of (-2.0) as f64 */
    CASE(SPEC(' ', 0, 0, false, true, 10, 3), { double v = -2.0; mrs_fmt_debug_f64(&f, v); }, "-00002.000");
    /* "{:+?}" of (1e20) as f64 */
    CASE(SPEC(' ', 0, '+', false, false, -1, -1), { double v = 1e20; mrs_fmt_debug_f64(&f, v); }, "+1e20");
    /* "{:12?}" of (1e-9) as f64 */
    CASE(SPEC(' ', 0, 0, false, false, 12, -1), { double v = 1e-9; mrs_fmt_debug_f64(&f, v); }, "        1e-9");
}
END_TEST

START_TEST(test_f64_exp)
{
    /* "{:e}" of (0.1+0.2) as f64 */
    CASE(SPEC(' ', 0, 0, false, false, -1, -1), { double v = 0.1+0.2; mrs_fmt_exp_f64(&f, v, false); }, "3.0000000000000004e-1");
    /* "{:e}" of (1e21) as f64 */
    CASE(SPEC(' ', 0, 0, false, false, -1, -1), { double v = 1e21; mrs_fmt_exp_f64(&f, v, false); }, "1e21");
    /* "{:e}" of (1e-7) as f64 */
    CASE(SPEC(' ', 0, 0, false, false, -1, -1), { double v = 1e-7; mrs_fmt_exp_f64(&f, v, false); }, "1e-7");
    /* "{:e}" of (1.0) as f64 */
    CASE(SPEC(' ', 0, 0, false, false, -1, -1), { double v = 1.0; mrs_fmt_exp_f64(&f, v, false); }, "1e0");
    /* "{:e}" of (-0.0) as f64 */
    CASE(SPEC(' ', 0, 0, false, false, -1, -1), { double v = -0.0; mrs_fmt_exp_f64(&f, v, false); }, "-0e0");
    /* "{:e}" of (1234.5) as f64 */
    CASE(SPEC(' ', 0, 0, false, false, -1, -1), { double v = 1234.5; mrs_fmt_exp_f64(&f, v, false); }, "1.2345e3");
    /* "{:E}" of (1234.5) as f64 */
    CASE(SPEC(' ', 0, 0, false, false, -1, -1), { double v = 1234.5; mrs_fmt_exp_f64(&f, v, true); }, "1.2345E3");
    /* "{:e}" of (5e-324) as f64 */
    CASE(SPEC(' ', 0, 0, false, false, -1, -1), { double v = 5e-324; mrs_fmt_exp_f64(&f, v, false); }, "5e-324");
    /* "{:.3e}" of (5e-324) as f64 */
    CASE(SPEC(' ', 0, 0, false, false, -1, 3), { double v = 5e-324; mrs_fmt_exp_f64(&f, v, false); }, "4.941e-324");
    /* "{:.3e}" of (9999999999999998.0) as f64 */
    CASE(SPEC(' ', 0, 0, false, false, -1, 3), { double v = 9999999999999998.0; mrs_fmt_exp_f64(&f, v, false); }, "1.000e16");
    /* "{:10.3e}" of (1234.5) as f64 */
    CASE(SPEC(' ', 0, 0, false, false, 10, 3), { double v = 1234.5; mrs_fmt_exp_f64(&f, v, false); }, "   1.234e3");
    /* "{:<12e}" of (0.00012) as f64 */
    CASE(SPEC(' ', '<', 0, false, false, 12, -1), { double v = 0.00012; mrs_fmt_exp_f64(&f, v, false); }, "1.2e-4      ");
    /* "{:+e}" of (5.0) as f64 */
    CASE(SPEC(' ', 0, '+', false, false, -1, -1), { double v = 5.0; mrs_fmt_exp_f64(&f, v, false); }, "+5e0");
    /* "{:012e}" of (-1234.5) as f64 */
    CASE(SPEC(' ', 0, 0, false, true, 12, -1), { double v = -1234.5; mrs_fmt_exp_f64(&f, v, false); }, "-0001.2345e3");
    /* "{:.0e}" of (2.5) as f64 */
    CASE(SPEC(' ', 0, 0, false, false, -1, 0), { double v = 2.5; mrs_fmt_exp_f64(&f, v, false); }, "2e0");
    /* "{:.0e}" of (3.5) as f64 */
    CASE(SPEC(' ', 0, 0, false, false, -1, 0), { double v = 3.5; mrs_fmt_exp_f64(&f, v, false); }, "4e0");
    /* "{:e}" of (0.0) as f64 */
    CASE(SPEC(' ', 0, 0, false, false, -1, -1), { double v = 0.0; mrs_fmt_exp_f64(&f, v, false); }, "0e0");
    /* "{:.2E}" of (123456.0) as f64 */
    CASE(SPEC(' ', 0, 0, false, false, -1, 2), { double v = 123456.0; mrs_fmt_exp_f64(&f, v, true); }, "1.23E5");
    /* "{:e}" of (f64::NAN) as f64 */
    CASE(SPEC(' ', 0, 0, false, false, -1, -1), { double v = NAN; mrs_fmt_exp_f64(&f, v, false); }, "NaN");
    /* "{:E}" of (f64::INFINITY) as f64 */
    CASE(SPEC(' ', 0, 0, false, false, -1, -1), { double v = INFINITY; mrs_fmt_exp_f64(&f, v, true); }, "inf");
}
END_TEST

START_TEST(test_f32)
{
    /* "{}" of (0.1) as f32 */
    CASE(SPEC(' ', 0, 0, false, false, -1, -1), { float v = (0.1f); mrs_fmt_f32(&f, v); }, "0.1");
    /* "{}" of (1e16) as f32 */
    CASE(SPEC(' ', 0, 0, false, false, -1, -1), { float v = (1e16f); mrs_fmt_f32(&f, v); }, "10000000000000000");
    /* "{}" of (16777216.0) as f32 */
    CASE(SPEC(' ', 0, 0, false, false, -1, -1), { float v = (16777216.0f); mrs_fmt_f32(&f, v); }, "16777216");
    /* "{}" of (3.4028235e38) as f32 */
    CASE(SPEC(' ', 0, 0, false, false, -1, -1), { float v = (3.4028235e38f); mrs_fmt_f32(&f, v); }, "340282350000000000000000000000000000000");
    /* "{}" of (1e-45) as f32 */
    CASE(SPEC(' ', 0, 0, false, false, -1, -1), { float v = (1e-45f); mrs_fmt_f32(&f, v); }, "0.000000000000000000000000000000000000000000001");
    /* "{}" of (1.0/3.0) as f32 */
    CASE(SPEC(' ', 0, 0, false, false, -1, -1), { float v = (1.0f/3.0f); mrs_fmt_f32(&f, v); }, "0.33333334");
    /* "{}" of (-0.0) as f32 */
    CASE(SPEC(' ', 0, 0, false, false, -1, -1), { float v = (-0.0f); mrs_fmt_f32(&f, v); }, "-0");
    /* "{}" of (7.0e-5) as f32 */
    CASE(SPEC(' ', 0, 0, false, false, -1, -1), { float v = (7.0e-5f); mrs_fmt_f32(&f, v); }, "0.00007");
    /* "{}" of (0.1+0.2) as f32 */
    CASE(SPEC(' ', 0, 0, false, false, -1, -1), { float v = (0.1f+0.2f); mrs_fmt_f32(&f, v); }, "0.3");
    /* "{}" of (1765629.25) as f32 */
    CASE(SPEC(' ', 0, 0, false, false, -1, -1), { float v = (1765629.25f); mrs_fmt_f32(&f, v); }, "1765629.3");
    /* "{}" of (f32::MAX) as f32 */
    CASE(SPEC(' ', 0, 0, false, false, -1, -1), { float v = (FLT_MAX); mrs_fmt_f32(&f, v); }, "340282350000000000000000000000000000000");
    /* "{}" of (1.2e-38) as f32 */
    CASE(SPEC(' ', 0, 0, false, false, -1, -1), { float v = (1.2e-38f); mrs_fmt_f32(&f, v); }, "0.000000000000000000000000000000000000012");
    /* "{:?}" of (1e16) as f32 */
    CASE(SPEC(' ', 0, 0, false, false, -1, -1), { float v = (1e16f); mrs_fmt_debug_f32(&f, v); }, "1e16");
    /* "{:?}" of (9.999999e15) as f32 */
    CASE(SPEC(' ', 0, 0, false, false, -1, -1), { float v = (9.999999e15f); mrs_fmt_debug_f32(&f, v); }, "9999999000000000.0");
    /* "{:?}" of (1e-4) as f32 */
    CASE(SPEC(' ', 0, 0, false, false, -1, -1), { float v = (1e-4f); mrs_fmt_debug_f32(&f, v); }, "0.0001");
    /* "{:?}" of (9.9e-5) as f32 */
    CASE(SPEC(' ', 0, 0, false, false, -1, -1), { float v = (9.9e-5f); mrs_fmt_debug_f32(&f, v); }, "9.9e-5");
    /* "{:?}" of (16777217.0) as f32 */
    CASE(SPEC(' ', 0, 0, false, false, -1, -1), { float v = (16777217.0f); mrs_fmt_debug_f32(&f, v); }, "16777216.0");
    /* "{:?}" of (1.0) as f32 */
    CASE(SPEC(' ', 0, 0, false, false, -1, -1), { float v = (1.0f); mrs_fmt_debug_f32(&f, v); }, "1.0");
    /* "{:?}" of (f32::MIN_POSITIVE) as f32 */
    CASE(SPEC(' ', 0, 0, false, false, -1, -1), { float v = (FLT_MIN); mrs_fmt_debug_f32(&f, v); }, "1.1754944e-38");
    /* "{:?}" of (1.54742505e26) as f32 */
    CASE(SPEC(' ', 0, 0, false, false, -1, -1), { float v = (1.54742505e26f); mrs_fmt_debug_f32(&f, v); }, "1.5474251e26");
    /* "{:?}" of (0.3) as f32 */
    CASE(SPEC(' ', 0, 0, false, false, -1, -1), { float v = (0.3f); mrs_fmt_debug_f32(&f, v); }, "0.3");
    /* "{:?}" of (f32::EPSILON) as f32 */
    CASE(SPEC(' ', 0, 0, false, false, -1, -1), { float v = (FLT_EPSILON); mrs_fmt_debug_f32(&f, v); }, "1.1920929e-7");
    /* "{:.2}" of (1e16) as f32 */
    CASE(SPEC(' ', 0, 0, false, false, -1, 2), { float v = (1e16f); mrs_fmt_f32(&f, v); }, "10000000272564224.00");
    /* "{:.10}" of (0.1) as f32 */
    CASE(SPEC(' ', 0, 0, false, false, -1, 10), { float v = (0.1f); mrs_fmt_f32(&f, v); }, "0.1000000015");
    /* "{:.1}" of (0.25) as f32 */
    CASE(SPEC(' ', 0, 0, false, false, -1, 1), { float v = (0.25f); mrs_fmt_f32(&f, v); }, "0.2");
    /* "{:.0}" of (2.5) as f32 */
    CASE(SPEC(' ', 0, 0, false, false, -1, 0), { float v = (2.5f); mrs_fmt_f32(&f, v); }, "2");
    /* "{:.3}" of (1.0/3.0) as f32 */
    CASE(SPEC(' ', 0, 0, false, false, -1, 3), { float v = (1.0f/3.0f); mrs_fmt_f32(&f, v); }, "0.333");
    /* "{:e}" of (0.1) as f32 */
    CASE(SPEC(' ', 0, 0, false, false, -1, -1), { float v = (0.1f); mrs_fmt_exp_f32(&f, v, false); }, "1e-1");
    /* "{:e}" of (16777216.0) as f32 */
    CASE(SPEC(' ', 0, 0, false, false, -1, -1), { float v = (16777216.0f); mrs_fmt_exp_f32(&f, v, false); }, "1.6777216e7");
    /* "{:.2e}" of (0.1) as f32 */
    CASE(SPEC(' ', 0, 0, false, false, -1, 2), { float v = (0.1f); mrs_fmt_exp_f32(&f, v, false); }, "1.00e-1");
    /* "{:E}" of (3.4028235e38) as f32 */
    CASE(SPEC(' ', 0, 0, false, false, -1, -1), { float v = (3.4028235e38f); mrs_fmt_exp_f32(&f, v, true); }, "3.4028235E38");
    /* "{:+10.2}" of (1.5) as f32 */
    CASE(SPEC(' ', 0, '+', false, false, 10, 2), { float v = (1.5f); mrs_fmt_f32(&f, v); }, "     +1.50");
}
END_TEST

START_TEST(test_int_display)
{
    /* "{}" of -42i32 */
    CASE(SPEC(' ', 0, 0, false, false, -1, -1), { int32_t v = -42; mrs_fmt_i64(&f, v); }, "-42");
    /* "{:08}" of -42i32 */
    CASE(SPEC(' ', 0, 0, false, true, 8, -1), { int32_t v = -42; mrs_fmt_i64(&f, v); }, "-0000042");
    /* "{:+}" of 7i32 */
    CASE(SPEC(' ', 0, '+', false, false, -1, -1), { int32_t v = 7; mrs_fmt_i64(&f, v); }, "+7");
    /* "{:+05}" of 7i32 */
    CASE(SPEC(' ', 0, '+', false, true, 5, -1), { int32_t v = 7; mrs_fmt_i64(&f, v); }, "+0007");
    /* "{:<05}" of 7i32 */
    CASE(SPEC(' ', '<', 0, false, true, 5, -1), { int32_t v = 7; mrs_fmt_i64(&f, v); }, "00007");
    /* "{:^+9}" of -7i32 */
    CASE(SPEC(' ', '^', '+', false, false, 9, -1), { int32_t v = -7; mrs_fmt_i64(&f, v); }, "   -7    ");
    /* "{:5}" of 42i32 */
    CASE(SPEC(' ', 0, 0, false, false, 5, -1), { int32_t v = 42; mrs_fmt_i64(&f, v); }, "   42");
    /* "{:<5}" of 42i32 */
    CASE(SPEC(' ', '<', 0, false, false, 5, -1), { int32_t v = 42; mrs_fmt_i64(&f, v); }, "42   ");
    /* "{:^5}" of 42i32 */
    CASE(SPEC(' ', '^', 0, false, false, 5, -1), { int32_t v = 42; mrs_fmt_i64(&f, v); }, " 42  ");
    /* "{:*>6}" of -3i32 */
    CASE(SPEC('*', '>', 0, false, false, 6, -1), { int32_t v = -3; mrs_fmt_i64(&f, v); }, "****-3");
    /* "{:.3}" of 12i32 */
    CASE(SPEC(' ', 0, 0, false, false, -1, 3), { int32_t v = 12; mrs_fmt_i64(&f, v); }, "12");
    /* "{:?}" of -5i32 */
    CASE(SPEC(' ', 0, 0, false, false, -1, -1), { int32_t v = -5; mrs_fmt_i64(&f, v); }, "-5");
    /* "{}" of i64::MIN */
    CASE(SPEC(' ', 0, 0, false, false, -1, -1), { int64_t v = INT64_MIN; mrs_fmt_i64(&f, v); }, "-9223372036854775808");
    /* "{}" of u64::MAX */
    CASE(SPEC(' ', 0, 0, false, false, -1, -1), { uint64_t v = UINT64_MAX; mrs_fmt_u64(&f, v); }, "18446744073709551615");
    /* "{}" of -128i8 */
    CASE(SPEC(' ', 0, 0, false, false, -1, -1), { int8_t v = -128; mrs_fmt_i64(&f, v); }, "-128");
    /* "{:_^8?}" of 255u8 */
    CASE(SPEC('_', '^', 0, false, false, 8, -1), { uint8_t v = 255; mrs_fmt_u64(&f, v); }, "__255___");
    /* "{:+}" of 0i32 */
    CASE(SPEC(' ', 0, '+', false, false, -1, -1), { int32_t v = 0; mrs_fmt_i64(&f, v); }, "+0");
    /* "{:03}" of -100i32 */
    CASE(SPEC(' ', 0, 0, false, true, 3, -1), { int32_t v = -100; mrs_fmt_i64(&f, v); }, "-100");
}
END_TEST

START_TEST(test_int_radix)
{
    /* "{:x}" of 255i32 */
    CASE(SPEC(' ', 0, 0, false, false, -1, -1), { int32_t v = 255; mrs_fmt_radix_u64(&f, (uint32_t)v, 16, false); }, "ff");
    /* "{:#x}" of 255i32 */
    CASE(SPEC(' ', 0, 0, true, false, -1, -1), { int32_t v = 255; mrs_fmt_radix_u64(&f, (uint32_t)v, 16, false); }, "0xff");
    /* "{:#010x}" of 255i32 */
    CASE(SPEC(' ', 0, 0, true, true, 10, -1), { int32_t v = 255; mrs_fmt_radix_u64(&f, (uint32_t)v, 16, false); }, "0x000000ff");
    /* "{:#b}" of 5i32 */
    CASE(SPEC(' ', 0, 0, true, false, -1, -1), { int32_t v = 5; mrs_fmt_radix_u64(&f, (uint32_t)v, 2, false); }, "0b101");
    /* "{:o}" of 8i32 */
    CASE(SPEC(' ', 0, 0, false, false, -1, -1), { int32_t v = 8; mrs_fmt_radix_u64(&f, (uint32_t)v, 8, false); }, "10");
    /* "{:X}" of 0xabcu32 */
    CASE(SPEC(' ', 0, 0, false, false, -1, -1), { uint32_t v = 0xabc; mrs_fmt_radix_u64(&f, (uint32_t)v, 16, true); }, "ABC");
    /* "{:#X}" of 255u8 */
    CASE(SPEC(' ', 0, 0, true, false, -1, -1), { uint8_t v = 255; mrs_fmt_radix_u64(&f, (uint8_t)v, 16, true); }, "0xFF");
    /* "{:x}" of -1i8 */
    CASE(SPEC(' ', 0, 0, false, false, -1, -1), { int8_t v = -1; mrs_fmt_radix_u64(&f, (uint8_t)v, 16, false); }, "ff");
    /* "{:08b}" of 5u8 */
    CASE(SPEC(' ', 0, 0, false, true, 8, -1), { uint8_t v = 5; mrs_fmt_radix_u64(&f, (uint8_t)v, 2, false); }, "00000101");
    /* "{:>#8o}" of 8i32 */
    CASE(SPEC(' ', '>', 0, true, false, 8, -1), { int32_t v = 8; mrs_fmt_radix_u64(&f, (uint32_t)v, 8, false); }, "    0o10");
    /* "{:+x}" of 255i32 */
    CASE(SPEC(' ', 0, '+', false, false, -1, -1), { int32_t v = 255; mrs_fmt_radix_u64(&f, (uint32_t)v, 16, false); }, "+ff");
    /* "{:b}" of -1i64 */
    CASE(SPEC(' ', 0, 0, false, false, -1, -1), { int64_t v = -1; mrs_fmt_radix_u64(&f, (uint64_t)v, 2, false); }, "1111111111111111111111111111111111111111111111111111111111111111");
    /* "{:x}" of -255i32 */
    CASE(SPEC(' ', 0, 0, false, false, -1, -1), { int32_t v = -255; mrs_fmt_radix_u64(&f, (uint32_t)v, 16, false); }, "ffffff01");
    /* "{:#o}" of 0u16 */
    CASE(SPEC(' ', 0, 0, true, false, -1, -1), { uint16_t v = 0; mrs_fmt_radix_u64(&f, (uint16_t)v, 8, false); }, "0o0");
    /* "{:<#6x}" of 26i32 */
    CASE(SPEC(' ', '<', 0, true, false, 6, -1), { int32_t v = 26; mrs_fmt_radix_u64(&f, (uint32_t)v, 16, false); }, "0x1a  ");
    /* "{:^#12b}" of 10i32 */
    CASE(SPEC(' ', '^', 0, true, false, 12, -1), { int32_t v = 10; mrs_fmt_radix_u64(&f, (uint32_t)v, 2, false); }, "   0b1010   ");
    /* "{:#06x}" of -1i32 */
    CASE(SPEC(' ', 0, 0, true, true, 6, -1), { int32_t v = -1; mrs_fmt_radix_u64(&f, (uint32_t)v, 16, false); }, "0xffffffff");
    /* "{:X}" of 3054usize */
    CASE(SPEC(' ', 0, 0, false, false, -1, -1), { uint64_t v = 3054; mrs_fmt_radix_u64(&f, (uint64_t)v, 16, true); }, "BEE");
}
END_TEST

START_TEST(test_int_exp)
{
    /* "{:e}" of 1500i32 */
    CASE(SPEC(' ', 0, 0, false, false, -1, -1), { int32_t v = 1500; mrs_fmt_exp_i64(&f, v, false); }, "1.5e3");
    /* "{:e}" of 100u64 */
    CASE(SPEC(' ', 0, 0, false, false, -1, -1), { uint64_t v = 100; mrs_fmt_exp_u64(&f, v, false); }, "1e2");
    /* "{:e}" of -7i32 */
    CASE(SPEC(' ', 0, 0, false, false, -1, -1), { int32_t v = -7; mrs_fmt_exp_i64(&f, v, false); }, "-7e0");
    /* "{:.1e}" of 15i32 */
    CASE(SPEC(' ', 0, 0, false, false, -1, 1), { int32_t v = 15; mrs_fmt_exp_i64(&f, v, false); }, "1.5e1");
    /* "{:.0e}" of 25i32 */
    CASE(SPEC(' ', 0, 0, false, false, -1, 0), { int32_t v = 25; mrs_fmt_exp_i64(&f, v, false); }, "2e1");
    /* "{:.0e}" of 35i32 */
    CASE(SPEC(' ', 0, 0, false, false, -1, 0), { int32_t v = 35; mrs_fmt_exp_i64(&f, v, false); }, "4e1");
    /* "{:.1e}" of 125i32 */
    CASE(SPEC(' ', 0, 0, false, false, -1, 1), { int32_t v = 125; mrs_fmt_exp_i64(&f, v, false); }, "1.2e2");
    /* "{:.1e}" of 1251i32 */
    CASE(SPEC(' ', 0, 0, false, false, -1, 1), { int32_t v = 1251; mrs_fmt_exp_i64(&f, v, false); }, "1.3e3");
    /* "{:.1e}" of 999i32 */
    CASE(SPEC(' ', 0, 0, false, false, -1, 1), { int32_t v = 999; mrs_fmt_exp_i64(&f, v, false); }, "1.0e3");
    /* "{:.0e}" of 95i32 */
    CASE(SPEC(' ', 0, 0, false, false, -1, 0), { int32_t v = 95; mrs_fmt_exp_i64(&f, v, false); }, "1e2");
    /* "{:.3e}" of 7i32 */
    CASE(SPEC(' ', 0, 0, false, false, -1, 3), { int32_t v = 7; mrs_fmt_exp_i64(&f, v, false); }, "7.000e0");
    /* "{:e}" of u64::MAX */
    CASE(SPEC(' ', 0, 0, false, false, -1, -1), { uint64_t v = UINT64_MAX; mrs_fmt_exp_u64(&f, v, false); }, "1.8446744073709551615e19");
    /* "{:E}" of 0i32 */
    CASE(SPEC(' ', 0, 0, false, false, -1, -1), { int32_t v = 0; mrs_fmt_exp_i64(&f, v, true); }, "0E0");
    /* "{:10e}" of 1200i32 */
    CASE(SPEC(' ', 0, 0, false, false, 10, -1), { int32_t v = 1200; mrs_fmt_exp_i64(&f, v, false); }, "     1.2e3");
    /* "{:+e}" of 5i32 */
    CASE(SPEC(' ', 0, '+', false, false, -1, -1), { int32_t v = 5; mrs_fmt_exp_i64(&f, v, false); }, "+5e0");
    /* "{:010e}" of -42i64 */
    CASE(SPEC(' ', 0, 0, false, true, 10, -1), { int64_t v = -42; mrs_fmt_exp_i64(&f, v, false); }, "-00004.2e1");
}
END_TEST

START_TEST(test_str_char_bool)
{
    /* "{}" of "héllo" */
    CASE(SPEC(' ', 0, 0, false, false, -1, -1), mrs_fmt_str(&f, MRS_STR("h\xc3\xa9llo")), "h\303\251llo");
    /* "{:>10}" of "héllo" */
    CASE(SPEC(' ', '>', 0, false, false, 10, -1), mrs_fmt_str(&f, MRS_STR("h\xc3\xa9llo")), "     h\303\251llo");
    /* "{:*<8}" of "ab" */
    CASE(SPEC('*', '<', 0, false, false, 8, -1), mrs_fmt_str(&f, MRS_STR("ab")), "ab******");
    /* "{:.3}" of "abcdef" */
    CASE(SPEC(' ', 0, 0, false, false, -1, 3), mrs_fmt_str(&f, MRS_STR("abcdef")), "abc");
    /* "{:8.3}" of "abcdef" */
    CASE(SPEC(' ', 0, 0, false, false, 8, 3), mrs_fmt_str(&f, MRS_STR("abcdef")), "abc     ");
    /* "{:^9.2}" of "xyz" */
    CASE(SPEC(' ', '^', 0, false, false, 9, 2), mrs_fmt_str(&f, MRS_STR("xyz")), "   xy    ");
    /* "{:.1}" of "héllo" */
    CASE(SPEC(' ', 0, 0, false, false, -1, 1), mrs_fmt_str(&f, MRS_STR("h\xc3\xa9llo")), "h");
    /* "{:^6}" of "é" */
    CASE(SPEC(' ', '^', 0, false, false, 6, -1), mrs_fmt_str(&f, MRS_STR("\xc3\xa9")), "  \303\251   ");
    /* "{:10?}" of "ab" */
    CASE(SPEC(' ', 0, 0, false, false, 10, -1), mrs_fmt_debug_str(&f, MRS_STR("ab")), "\"ab\"");
    /* "{:?}" of "a\"b\\c\n\t\r\0\u{1}\u{7f}é\u{a0}\u{200b}\u{301}x\u{301}\u{ad}\u{2028}\u{e000}\u{fffd}\u{10ffff}\'" */
    CASE(SPEC(' ', 0, 0, false, false, -1, -1), mrs_fmt_debug_str(&f, MRS_STR("a\"b\\c\n\t\r\0\x01\x7f\xc3\xa9\xc2\xa0\xe2\x80\x8b\xcc\x81x\xcc\x81\xc2\xad\xe2\x80\xa8\xee\x80\x80\xef\xbf\xbd\xf4\x8f\xbf\xbf\'")), "\"a\\\"b\\\\c\\n\\t\\r\\0\\u{1}\\u{7f}\303\251\\u{a0}\\u{200b}\\u{301}x\\u{301}\\u{ad}\\u{2028}\\u{e000}\357\277\275\\u{10ffff}'\"");
    /* "{:?}" of "tab\there \u{1b}[0m" */
    CASE(SPEC(' ', 0, 0, false, false, -1, -1), mrs_fmt_debug_str(&f, MRS_STR("tab\there \x1b[0m")), "\"tab\\there \\u{1b}[0m\"");
    /* "{:?}" of "日本語 ü" */
    CASE(SPEC(' ', 0, 0, false, false, -1, -1), mrs_fmt_debug_str(&f, MRS_STR("\xe6\x97\xa5\xe6\x9c\xac\xe8\xaa\x9e \xc3\xbc")), "\"\346\227\245\346\234\254\350\252\236 \303\274\"");
    /* "{}" of 'x' */
    CASE(SPEC(' ', 0, 0, false, false, -1, -1), mrs_fmt_char(&f, 'x'), "x");
    /* "{:^7}" of 'x' */
    CASE(SPEC(' ', '^', 0, false, false, 7, -1), mrs_fmt_char(&f, 'x'), "   x   ");
    /* "{:<6?}" of 'x' */
    CASE(SPEC(' ', '<', 0, false, false, 6, -1), mrs_fmt_debug_char(&f, 'x'), "'x'");
    /* "{:?}" of '\'' */
    CASE(SPEC(' ', 0, 0, false, false, -1, -1), mrs_fmt_debug_char(&f, '\''), "'\\''");
    /* "{:?}" of '"' */
    CASE(SPEC(' ', 0, 0, false, false, -1, -1), mrs_fmt_debug_char(&f, '"'), "'\"'");
    /* "{:?}" of '\u{301}' */
    CASE(SPEC(' ', 0, 0, false, false, -1, -1), mrs_fmt_debug_char(&f, 0x301), "'\\u{301}'");
    /* "{:?}" of '\n' */
    CASE(SPEC(' ', 0, 0, false, false, -1, -1), mrs_fmt_debug_char(&f, '\n'), "'\\n'");
    /* "{:?}" of 'é' */
    CASE(SPEC(' ', 0, 0, false, false, -1, -1), mrs_fmt_debug_char(&f, 0xe9), "'\303\251'");
    /* "{:?}" of '\u{a0}' */
    CASE(SPEC(' ', 0, 0, false, false, -1, -1), mrs_fmt_debug_char(&f, 0xa0), "'\\u{a0}'");
    /* "{:?}" of '\0' */
    CASE(SPEC(' ', 0, 0, false, false, -1, -1), mrs_fmt_debug_char(&f, 0), "'\\0'");
    /* "{:?}" of '\\' */
    CASE(SPEC(' ', 0, 0, false, false, -1, -1), mrs_fmt_debug_char(&f, '\\'), "'\\\\'");
    /* "{:?}" of '\u{7f}' */
    CASE(SPEC(' ', 0, 0, false, false, -1, -1), mrs_fmt_debug_char(&f, 0x7f), "'\\u{7f}'");
    /* "{}" of true */
    CASE(SPEC(' ', 0, 0, false, false, -1, -1), mrs_fmt_bool(&f, true), "true");
    /* "{:5}" of true */
    CASE(SPEC(' ', 0, 0, false, false, 5, -1), mrs_fmt_bool(&f, true), "true ");
    /* "{:>7?}" of false */
    CASE(SPEC(' ', '>', 0, false, false, 7, -1), mrs_fmt_bool(&f, false), "  false");
    /* "{:.2}" of true */
    CASE(SPEC(' ', 0, 0, false, false, -1, 2), mrs_fmt_bool(&f, true), "tr");
}
END_TEST

/* ---- Debug builders. Expected texts from rustc-oracle, for these Rust types:
 *   #[derive(Debug)] struct P { x: i32, y: f64 }   #[derive(Debug)] struct U;
 *   #[derive(Debug)] struct T(i32, String);       #[derive(Debug)] struct E {}
 *   #[derive(Debug)] enum En { A, B(i32), C { z: Vec<i32> } }                     */

static void dbg_vec(MrsFormatter *f, const int64_t *v, size_t n)
{
    MrsDbg d = mrs_dbg_begin(f, "", MRS_DBG_LIST);
    for (size_t i = 0; i < n; i++) {
        mrs_dbg_entry(&d);
        mrs_fmt_i64(f, v[i]);
    }
    mrs_dbg_end(&d);
}

static void dbg_p(MrsFormatter *f, int64_t x, double y)
{
    MrsDbg d = mrs_dbg_begin(f, "P", MRS_DBG_STRUCT);
    mrs_dbg_field(&d, "x");
    mrs_fmt_i64(f, x);
    mrs_dbg_field(&d, "y");
    mrs_fmt_debug_f64(f, y);
    mrs_dbg_end(&d);
}

static void dbg_en_c(MrsFormatter *f)
{
    static const int64_t z[] = { 1, 2 };
    MrsDbg d = mrs_dbg_begin(f, "C", MRS_DBG_STRUCT);
    mrs_dbg_field(&d, "z");
    dbg_vec(f, z, 2);
    mrs_dbg_end(&d);
}

/* a tuple-like value: Name(v) or (v,) */
static void dbg_wrap_i64(MrsFormatter *f, const char *name, int64_t v)
{
    MrsDbg d = mrs_dbg_begin(f, name, MRS_DBG_TUPLE);
    mrs_dbg_entry(&d);
    mrs_fmt_i64(f, v);
    mrs_dbg_end(&d);
}

static void dbg_named(MrsFormatter *f, const char *name, int kind)
{
    MrsDbg d = mrs_dbg_begin(f, name, kind);
    mrs_dbg_end(&d);
}

/* (1, "a", [P { x: 1, y: 0.5 }], (), (7,), Vec::<i32>::new(), E {}, U, Some(Some(3))) */
static void dbg_big_tuple(MrsFormatter *f)
{
    MrsDbg d = mrs_dbg_begin(f, "", MRS_DBG_TUPLE);
    mrs_dbg_entry(&d);
    mrs_fmt_i64(f, 1);
    mrs_dbg_entry(&d);
    mrs_fmt_debug_str(f, MRS_STR("a"));
    mrs_dbg_entry(&d);
    MrsDbg l = mrs_dbg_begin(f, "", MRS_DBG_LIST);
    mrs_dbg_entry(&l);
    dbg_p(f, 1, 0.5);
    mrs_dbg_end(&l);
    mrs_dbg_entry(&d);
    dbg_named(f, "", MRS_DBG_TUPLE);
    mrs_dbg_entry(&d);
    dbg_wrap_i64(f, "", 7);
    mrs_dbg_entry(&d);
    dbg_vec(f, NULL, 0);
    mrs_dbg_entry(&d);
    dbg_named(f, "E", MRS_DBG_STRUCT);
    mrs_dbg_entry(&d);
    dbg_named(f, "U", MRS_DBG_STRUCT);
    mrs_dbg_entry(&d);
    MrsDbg s = mrs_dbg_begin(f, "Some", MRS_DBG_TUPLE);
    mrs_dbg_entry(&s);
    dbg_wrap_i64(f, "Some", 3);
    mrs_dbg_end(&s);
    mrs_dbg_end(&d);
}

/* BTreeMap {"j": [], "k": [1]} */
static void dbg_map(MrsFormatter *f)
{
    static const int64_t one[] = { 1 };
    MrsDbg d = mrs_dbg_begin(f, "", MRS_DBG_MAP);
    mrs_dbg_key(&d);
    mrs_fmt_debug_str(f, MRS_STR("j"));
    mrs_dbg_value(&d);
    dbg_vec(f, NULL, 0);
    mrs_dbg_key(&d);
    mrs_fmt_debug_str(f, MRS_STR("k"));
    mrs_dbg_value(&d);
    dbg_vec(f, one, 1);
    mrs_dbg_end(&d);
}

static void dbg_set(MrsFormatter *f)
{
    MrsDbg d = mrs_dbg_begin(f, "", MRS_DBG_SET);
    mrs_dbg_entry(&d);
    mrs_fmt_i64(f, 1);
    mrs_dbg_entry(&d);
    mrs_fmt_i64(f, 3);
    mrs_dbg_end(&d);
}

/* struct W; impl Debug for W { write!(f, "a\n\nb") } — a raw newline inside {:#?} */
static void dbg_w_list(MrsFormatter *f)
{
    MrsDbg d = mrs_dbg_begin(f, "", MRS_DBG_LIST);
    mrs_dbg_entry(&d);
    mrs_fmt_lit(f, "a\n\nb");
    mrs_dbg_end(&d);
}

#define PLAIN SPEC(' ', 0, 0, false, false, -1, -1)
#define PRETTY SPEC(' ', 0, 0, true, false, -1, -1)

START_TEST(test_debug_compact)
{
    static const int64_t v12[] = { 1, 2 };
    CASE(PLAIN, dbg_p(&f, 1, 2.0), "P { x: 1, y: 2.0 }");
    CASE(PLAIN, dbg_named(&f, "U", MRS_DBG_STRUCT), "U");
    CASE(PLAIN, dbg_named(&f, "E", MRS_DBG_STRUCT), "E");
    CASE(PLAIN, dbg_named(&f, "A", MRS_DBG_TUPLE), "A");
    CASE(PLAIN, dbg_wrap_i64(&f, "B", 4), "B(4)");
    CASE(PLAIN, dbg_en_c(&f), "C { z: [1, 2] }");
    CASE(PLAIN, {
        MrsDbg d = mrs_dbg_begin(&f, "T", MRS_DBG_TUPLE);
        mrs_dbg_entry(&d);
        mrs_fmt_i64(&f, 3);
        mrs_dbg_entry(&d);
        mrs_fmt_debug_str(&f, MRS_STR("s"));
        mrs_dbg_end(&d);
    }, "T(3, \"s\")");
    CASE(PLAIN, dbg_wrap_i64(&f, "", 1), "(1,)");                 /* (1,) */
    CASE(PLAIN, dbg_named(&f, "", MRS_DBG_TUPLE), "()");          /* () */
    CASE(PLAIN, dbg_map(&f), "{\"j\": [], \"k\": [1]}");
    CASE(PLAIN, dbg_set(&f), "{1, 3}");
    CASE(PLAIN, dbg_big_tuple(&f), "(1, \"a\", [P { x: 1, y: 0.5 }], (), (7,), [], E, U, Some(Some(3)))");
    /* "{:5?}" of vec![1, 2]: the width applies to each leaf */
    CASE(SPEC(' ', 0, 0, false, false, 5, -1), dbg_vec(&f, v12, 2), "[    1,     2]");
    /* "{:<4?}" of (1, "x"): str Debug ignores the width */
    CASE(SPEC(' ', '<', 0, false, false, 4, -1), {
        MrsDbg d = mrs_dbg_begin(&f, "", MRS_DBG_TUPLE);
        mrs_dbg_entry(&d);
        mrs_fmt_i64(&f, 1);
        mrs_dbg_entry(&d);
        mrs_fmt_debug_str(&f, MRS_STR("x"));
        mrs_dbg_end(&d);
    }, "(1   , \"x\")");
    /* "{:.2?}" of Some(1.0) */
    CASE(SPEC(' ', 0, 0, false, false, -1, 2), {
        MrsDbg d = mrs_dbg_begin(&f, "Some", MRS_DBG_TUPLE);
        mrs_dbg_entry(&d);
        mrs_fmt_debug_f64(&f, 1.0);
        mrs_dbg_end(&d);
    }, "Some(1.00)");
}
END_TEST

START_TEST(test_debug_pretty)
{
    CASE(PRETTY, dbg_en_c(&f), "C {\n    z: [\n        1,\n        2,\n    ],\n}");
    CASE(PRETTY, dbg_big_tuple(&f),
         "(\n    1,\n    \"a\",\n    [\n        P {\n            x: 1,\n            y: 0.5,\n"
         "        },\n    ],\n    (),\n    (\n        7,\n    ),\n    [],\n    E,\n    U,\n"
         "    Some(\n        Some(\n            3,\n        ),\n    ),\n)");
    CASE(PRETTY, dbg_map(&f), "{\n    \"j\": [],\n    \"k\": [\n        1,\n    ],\n}");
    CASE(PRETTY, dbg_set(&f), "{\n    1,\n    3,\n}");
    /* "{:#5?}" of Some(2) */
    CASE(SPEC(' ', 0, 0, true, false, 5, -1), dbg_wrap_i64(&f, "Some", 2), "Some(\n        2,\n)");
    /* Rust's PadAdapter indents every line, even an empty one */
    CASE(PRETTY, dbg_w_list(&f), "[\n    a\n    \n    b,\n]");
}
END_TEST

START_TEST(test_to_string)
{
    MrsString s = mrs_f64_to_string(0.1 + 0.2);
    check_output(&s, "0.30000000000000004", __LINE__);
    s = mrs_i64_to_string(INT64_MIN, 19);
    ck_assert_uint_eq(s.cap, 20); /* std: room for i64's most digits and the sign */
    check_output(&s, "-9223372036854775808", __LINE__);
    s = mrs_i64_to_string(7, 10);
    ck_assert_uint_eq(s.cap, 10);
    check_output(&s, "7", __LINE__);
    s = mrs_u64_to_string(18446744073709551615u);
    ck_assert_uint_eq(s.cap, 20); /* an unsigned integer's digits exactly */
    check_output(&s, "18446744073709551615", __LINE__);
    s = mrs_u64_to_string(0);
    ck_assert_uint_eq(s.cap, 1);
    check_output(&s, "0", __LINE__);
    s = mrs_f32_to_string(1e16f);
    check_output(&s, "10000000000000000", __LINE__);
    s = mrs_char_to_string(0xE9);
    ck_assert_uint_eq(s.cap, 2);
    check_output(&s, "\xc3\xa9", __LINE__);
}
END_TEST

/* A shortest-round-trip sweep: 2000 pseudo-random bit patterns (every 4th a power of
 * two, where the gap below the value is halved) must print digits that read back as the
 * same value and that are no longer than 17 (f64) / 9 (f32) significant digits. The exact
 * strings for 20000 such values were compared with rustc's once, by hand. */
START_TEST(test_float_round_trip_sweep)
{
    uint64_t x = 0x9E3779B97F4A7C15ull;
    for (int i = 0; i < 2000; i++) {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        uint64_t bits = i % 4 == 0 ? (x & 0xFFF0000000000000ull) : x;
        double v;
        memcpy(&v, &bits, sizeof v);
        if (!isfinite(v))
            continue;
        MrsString out = mrs_string_new();
        MrsFormatter f = mrs_fmt_new(&out);
        mrs_fmt_exp_f64(&f, v, false);
        mrs_string_push(&out, 0);
        ck_assert_msg(strtod((const char *)out.ptr, NULL) == v, "%s does not round-trip", out.ptr);
        mrs_string_drop(&out);
    }
}
END_TEST

Suite *fmt_suite(void)
{
    Suite *s = suite_create("fmt");
    TCase *tc = tcase_create("core");
    tcase_add_test(tc, test_f64_display);
    tcase_add_test(tc, test_f64_debug);
    tcase_add_test(tc, test_f64_precision_padding);
    tcase_add_test(tc, test_f64_exp);
    tcase_add_test(tc, test_f32);
    tcase_add_test(tc, test_int_display);
    tcase_add_test(tc, test_int_radix);
    tcase_add_test(tc, test_int_exp);
    tcase_add_test(tc, test_str_char_bool);
    tcase_add_test(tc, test_debug_compact);
    tcase_add_test(tc, test_debug_pretty);
    tcase_add_test(tc, test_to_string);
    tcase_add_test(tc, test_float_round_trip_sweep);
    suite_add_tcase(s, tc);
    return s;
}
