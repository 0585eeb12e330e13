/* fmt_float.c — Display, Debug and {:e} of f64 and f32, as Rust prints them.
 *
 * Without a precision Rust prints the shortest decimal that reads back as the same float
 * (0.1 + 0.2 is 0.30000000000000004). We find it by asking printf for 1, 2, ... 17
 * significant digits (9 for f32) and keeping the first that strtod/strtof maps back to the
 * value. With a precision Rust rounds the exact binary value half to even, which is what
 * glibc's printf does. Layouts (checked with rustc-oracle):
 *   Display  never uses an exponent: 1e21 -> 1000000000000000000000, 1e-7 -> 0.0000001;
 *   Debug    like Display but at least one fractional digit (1.0), and the {:e} form when
 *            the value is nonzero and |v| < 1e-4 or |v| >= 1e16 (same bounds for f32);
 *   {:e}     d[.ddd]e<exp>, no '+' and no leading zeros in the exponent: 1.5e3, 1e-7.
 * The sign is "-" for negative values including -0.0, "+" with {:+}, and none for NaN. */
#include "mrs_rt.h" /* first: it sets the POSIX level the others see */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>


typedef struct Decimal {
    char digits[24]; /* significant digits, no trailing zeros, NUL-terminated */
    int ndigits;
    int exp;         /* value = d.ddd * 10^exp */
} Decimal;

/* Drops trailing zeros (keeping at least one digit). */
static void strip(Decimal *d)
{
    while (d->ndigits > 1 && d->digits[d->ndigits - 1] == '0')
        d->ndigits--;
    d->digits[d->ndigits] = '\0';
}

static bool round_trips(const Decimal *d, double v, bool is_f32)
{
    char buf[48];
    snprintf(buf, sizeof buf, "%c.%se%d", d->digits[0], d->digits + 1, d->exp);
    if (is_f32)
        return strtof(buf, NULL) == (float)v;
    return strtod(buf, NULL) == v;
}

/* Adds one unit in the last place of d (may carry into a new leading digit). */
static void bump(Decimal *d)
{
    int i = d->ndigits - 1;
    while (i >= 0 && d->digits[i] == '9')
        d->digits[i--] = '0';
    if (i >= 0) {
        d->digits[i]++;
    } else {
        d->digits[0] = '1';
        d->exp++;
    }
}

/* The first p digits of the 41-digit expansion all[], rounded up when `up`. */
static Decimal truncated(const char *all, int exp, int p, bool up)
{
    Decimal d;
    memcpy(d.digits, all, (size_t)p);
    d.ndigits = p;
    d.exp = exp;
    if (up)
        bump(&d);
    strip(&d);
    return d;
}

/* The shortest round-tripping digits of a finite, nonzero |v|. Among the candidates of
 * one length Rust takes the nearest, and on an exact tie the upper one (1765629.25f32
 * prints as 1765629.3), so we round the 41-digit expansion half up ourselves. When the
 * nearest candidate does not round-trip, the other neighbour may: just above a power of
 * two the gap below v is half the gap above. */
static void shortest(double v, bool is_f32, Decimal *d)
{
    char buf[64], all[48];
    snprintf(buf, sizeof buf, "%.40e", v);
    int n = 0;
    const char *p = buf;
    for (; *p != 'e'; p++)
        if (*p >= '0' && *p <= '9')
            all[n++] = *p;
    int exp = atoi(p + 1);
    int max = is_f32 ? 9 : 17;
    for (int k = 1; k <= max; k++) {
        bool up = all[k] >= '5';
        *d = truncated(all, exp, k, up);
        if (round_trips(d, v, is_f32))
            return;
        *d = truncated(all, exp, k, !up);
        if (round_trips(d, v, is_f32))
            return;
    }
    *d = truncated(all, exp, max, all[max] >= '5');
}

/* Appends the positional form of d with at least min_frac fractional digits. */
static void positional(MrsString *out, const Decimal *d, int min_frac)
{
    if (d->exp >= 0) {
        for (int i = 0; i <= d->exp; i++)
            mrs_string_push(out, i < d->ndigits ? (uint32_t)d->digits[i] : '0');
        int frac = d->ndigits > d->exp + 1 ? d->ndigits - d->exp - 1 : 0;
        if (frac > 0 || min_frac > 0)
            mrs_string_push(out, '.');
        for (int i = 0; i < frac; i++)
            mrs_string_push(out, (uint32_t)d->digits[d->exp + 1 + i]);
        for (int i = frac; i < min_frac; i++)
            mrs_string_push(out, '0');
    } else {
        mrs_string_push_str(out, MRS_STR("0."));
        for (int i = 0; i < -d->exp - 1; i++)
            mrs_string_push(out, '0');
        mrs_string_push_bytes(out, d->digits, (size_t)d->ndigits);
    }
}

static void exponential(MrsString *out, const Decimal *d, bool upper)
{
    char buf[48];
    int n = d->ndigits > 1
                ? snprintf(buf, sizeof buf, "%c.%s%c%d", d->digits[0], d->digits + 1, upper ? 'E' : 'e', d->exp)
                : snprintf(buf, sizeof buf, "%c%c%d", d->digits[0], upper ? 'E' : 'e', d->exp);
    mrs_string_push_bytes(out, buf, (size_t)n);
}

/* printf into a fresh String (the output may be long: {:.1000}) */
static void push_printf_fixed(MrsString *out, int prec, double v)
{
    int n = snprintf(NULL, 0, "%.*f", prec, v);
    char *buf = mrs_alloc((size_t)n + 1);
    snprintf(buf, (size_t)n + 1, "%.*f", prec, v);
    mrs_string_push_bytes(out, buf, (size_t)n);
    free(buf);
}

/* {:.Ne}: printf's rounding, then Rust's exponent layout */
static void push_printf_exp(MrsString *out, int prec, double v, bool upper)
{
    int n = snprintf(NULL, 0, "%.*e", prec, v);
    char *buf = mrs_alloc((size_t)n + 1);
    snprintf(buf, (size_t)n + 1, "%.*e", prec, v);
    char *e = strchr(buf, 'e');
    mrs_string_push_bytes(out, buf, (size_t)(e - buf));
    char tail[16];
    int m = snprintf(tail, sizeof tail, "%c%d", upper ? 'E' : 'e', atoi(e + 1));
    mrs_string_push_bytes(out, tail, (size_t)m);
    free(buf);
}

/* Formatter::pad_formatted_parts: right aligned by default; with '0' the sign goes first
 * and zeros fill up to the width, whatever the alignment. */
static void pad_parts(MrsFormatter *f, const char *sign, MrsStr body)
{
    size_t len = strlen(sign) + body.len;
    if (f->spec.width < 0 || len >= (size_t)f->spec.width) {
        mrs_fmt_lit(f, sign);
        mrs_fmt_write(f, body);
        return;
    }
    size_t pad = (size_t)f->spec.width - len;
    if (f->spec.zero_pad) {
        mrs_fmt_lit(f, sign);
        for (size_t i = 0; i < pad; i++)
            mrs_fmt_lit(f, "0");
        mrs_fmt_write(f, body);
        return;
    }
    char align = f->spec.align ? f->spec.align : '>';
    size_t pre = align == '<' ? 0 : align == '>' ? pad : pad / 2;
    for (size_t i = 0; i < pre; i++)
        mrs_fmt_write_char(f, f->spec.fill);
    mrs_fmt_lit(f, sign);
    mrs_fmt_write(f, body);
    for (size_t i = pre; i < pad; i++)
        mrs_fmt_write_char(f, f->spec.fill);
}

typedef enum { DISPLAY, DEBUG, LOWER_EXP, UPPER_EXP } FloatStyle;

static void fmt_float(MrsFormatter *f, double v, bool is_f32, FloatStyle style)
{
    MrsString body = mrs_string_new();
    const char *sign = "";
    if (isnan(v)) {
        mrs_string_push_str(&body, MRS_STR("NaN"));
    } else {
        sign = signbit(v) ? "-" : f->spec.sign == '+' ? "+" : "";
        double a = fabs(v);
        int prec = f->spec.precision;
        if (isinf(a)) {
            mrs_string_push_str(&body, MRS_STR("inf"));
        } else if (style == LOWER_EXP || style == UPPER_EXP) {
            if (prec >= 0) {
                push_printf_exp(&body, prec, a, style == UPPER_EXP);
            } else {
                Decimal d = { "0", 1, 0 };
                if (a != 0.0)
                    shortest(a, is_f32, &d);
                exponential(&body, &d, style == UPPER_EXP);
            }
        } else if (prec >= 0) {
            push_printf_fixed(&body, prec, a);
        } else {
            Decimal d = { "0", 1, 0 };
            if (a != 0.0)
                shortest(a, is_f32, &d);
            /* compare in the value's own type: 1e-4f32 is not 1e-4 */
            bool tiny = is_f32 ? (float)a < 1e-4f : a < 1e-4;
            bool huge = is_f32 ? (float)a >= 1e16f : a >= 1e16;
            if (style == DEBUG && a != 0.0 && (tiny || huge))
                exponential(&body, &d, false);
            else
                positional(&body, &d, style == DEBUG ? 1 : 0);
        }
    }
    pad_parts(f, sign, mrs_string_as_str(&body));
    mrs_string_drop(&body);
}

void mrs_fmt_f64(MrsFormatter *f, double v) { fmt_float(f, v, false, DISPLAY); }
void mrs_fmt_f32(MrsFormatter *f, float v) { fmt_float(f, v, true, DISPLAY); }
void mrs_fmt_debug_f64(MrsFormatter *f, double v) { fmt_float(f, v, false, DEBUG); }
void mrs_fmt_debug_f32(MrsFormatter *f, float v) { fmt_float(f, v, true, DEBUG); }
void mrs_fmt_exp_f64(MrsFormatter *f, double v, bool upper)
{
    fmt_float(f, v, false, upper ? UPPER_EXP : LOWER_EXP);
}
void mrs_fmt_exp_f32(MrsFormatter *f, float v, bool upper)
{
    fmt_float(f, v, true, upper ? UPPER_EXP : LOWER_EXP);
}
