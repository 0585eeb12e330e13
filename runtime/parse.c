/* parse.c — str::parse for integers, floats and bool, with Rust's error kinds.
 *
 * Integers follow core::num::from_str_radix (radix 10): an optional '+' (or '-' for
 * signed types), then digits only; no whitespace, no '_'. Digits are read left to right
 * and the first problem wins, so "99999999999x" is an overflow, not an invalid digit.
 * Floats follow core's dec2flt grammar, then glibc's correctly rounded strtod/strtof. */
#include "mrs_rt.h" /* first: it sets the POSIX level the others see */
#include <stdlib.h>


/* Splits off the sign; returns false for "+" or "-" alone (Rust: InvalidDigit). */
static bool take_sign(MrsStr *s, bool allow_minus, bool *negative)
{
    *negative = false;
    if (s->len == 0 || (s->ptr[0] != '+' && s->ptr[0] != '-'))
        return true;
    if (s->len == 1)
        return false;
    if (s->ptr[0] == '-') {
        if (!allow_minus)
            return true; /* left in place: it is then an invalid digit */
        *negative = true;
    }
    s->ptr++;
    s->len--;
    return true;
}

/* A digit's value in radix 2..36, or -1. */
static int digit_value(uint8_t c, uint32_t radix)
{
    int d = c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'z' ? c - 'a' + 10 : c >= 'A' && c <= 'Z' ? c - 'A' + 10 : -1;
    return d >= 0 && (uint32_t)d < radix ? d : -1;
}

/* i128/u128 `parse`, and `from_str_radix` of every integer type (radix 2..36). */
int mrs_parse_i128_radix(MrsStr s, uint32_t radix, __int128 *out, __int128 min, __int128 max)
{
    bool negative;
    if (s.len == 0)
        return MRS_PARSE_EMPTY;
    if (!take_sign(&s, true, &negative))
        return MRS_PARSE_INVALID_DIGIT;
    __int128 v = 0;
    for (size_t i = 0; i < s.len; i++) {
        int d = digit_value(s.ptr[i], radix);
        if (d < 0)
            return MRS_PARSE_INVALID_DIGIT;
        if (__builtin_mul_overflow(v, (__int128)radix, &v) || v > max || v < min)
            return negative ? MRS_PARSE_NEG_OVERFLOW : MRS_PARSE_POS_OVERFLOW;
        if (negative ? __builtin_sub_overflow(v, (__int128)d, &v) || v < min
                     : __builtin_add_overflow(v, (__int128)d, &v) || v > max)
            return negative ? MRS_PARSE_NEG_OVERFLOW : MRS_PARSE_POS_OVERFLOW;
    }
    *out = v;
    return MRS_PARSE_OK;
}

int mrs_parse_u128_radix(MrsStr s, uint32_t radix, unsigned __int128 *out, unsigned __int128 max)
{
    bool negative;
    if (s.len == 0)
        return MRS_PARSE_EMPTY;
    if (!take_sign(&s, false, &negative))
        return MRS_PARSE_INVALID_DIGIT;
    unsigned __int128 v = 0;
    for (size_t i = 0; i < s.len; i++) {
        int d = digit_value(s.ptr[i], radix);
        if (d < 0)
            return MRS_PARSE_INVALID_DIGIT;
        if (__builtin_mul_overflow(v, (unsigned __int128)radix, &v) ||
            __builtin_add_overflow(v, (unsigned __int128)d, &v) || v > max)
            return MRS_PARSE_POS_OVERFLOW;
    }
    *out = v;
    return MRS_PARSE_OK;
}

/* The integer types up to 64 bits: the 128-bit parser in radix 10, within their bounds. */
int mrs_parse_i64(MrsStr s, int64_t min, int64_t max, int64_t *out)
{
    __int128 v = 0;
    int r = mrs_parse_i128_radix(s, 10, &v, min, max);
    if (r == MRS_PARSE_OK)
        *out = (int64_t)v;
    return r;
}

int mrs_parse_u64(MrsStr s, uint64_t max, uint64_t *out)
{
    unsigned __int128 v = 0;
    int r = mrs_parse_u128_radix(s, 10, &v, max);
    if (r == MRS_PARSE_OK)
        *out = (uint64_t)v;
    return r;
}

static bool eq_nocase(MrsStr s, const char *word)
{
    size_t n = strlen(word);
    if (s.len != n)
        return false;
    for (size_t i = 0; i < n; i++)
        if (mrs_char_to_ascii_lowercase(s.ptr[i]) != (uint32_t)word[i])
            return false;
    return true;
}

/* Checks Rust's float grammar: [+-] (inf | infinity | nan | digits [. digits] [e [+-] digits])
 * where at least one digit appears before or after the '.'; returns a C copy for strtod. */
static int float_text(MrsStr s, char **text)
{
    if (s.len == 0)
        return MRS_PARSE_FLOAT_EMPTY;
    MrsStr body = s;
    if (body.ptr[0] == '+' || body.ptr[0] == '-') {
        body.ptr++;
        body.len--;
    }
    bool ok = eq_nocase(body, "inf") || eq_nocase(body, "infinity") || eq_nocase(body, "nan");
    if (!ok) {
        size_t i = 0, digits = 0;
        while (i < body.len && mrs_char_is_ascii_digit(body.ptr[i]))
            i++, digits++;
        if (i < body.len && body.ptr[i] == '.') {
            i++;
            while (i < body.len && mrs_char_is_ascii_digit(body.ptr[i]))
                i++, digits++;
        }
        ok = digits > 0;
        if (ok && i < body.len && (body.ptr[i] == 'e' || body.ptr[i] == 'E')) {
            i++;
            if (i < body.len && (body.ptr[i] == '+' || body.ptr[i] == '-'))
                i++;
            size_t exp_digits = 0;
            while (i < body.len && mrs_char_is_ascii_digit(body.ptr[i]))
                i++, exp_digits++;
            ok = exp_digits > 0;
        }
        ok = ok && i == body.len;
    }
    if (!ok)
        return MRS_PARSE_FLOAT_INVALID;
    *text = mrs_alloc(s.len + 1);
    memcpy(*text, s.ptr, s.len);
    (*text)[s.len] = '\0';
    return MRS_PARSE_OK;
}

int mrs_parse_f64(MrsStr s, double *out)
{
    char *text;
    int err = float_text(s, &text);
    if (err != MRS_PARSE_OK)
        return err;
    *out = strtod(text, NULL);
    free(text);
    return MRS_PARSE_OK;
}

int mrs_parse_f32(MrsStr s, float *out)
{
    char *text;
    int err = float_text(s, &text);
    if (err != MRS_PARSE_OK)
        return err;
    *out = strtof(text, NULL);
    free(text);
    return MRS_PARSE_OK;
}

int mrs_parse_bool(MrsStr s, bool *out)
{
    if (mrs_str_eq(s, MRS_STR("true")))
        *out = true;
    else if (mrs_str_eq(s, MRS_STR("false")))
        *out = false;
    else
        return MRS_PARSE_BOOL_INVALID;
    return MRS_PARSE_OK;
}

const char *mrs_parse_error_text(int kind)
{
    switch (kind) {
    case MRS_PARSE_EMPTY: return "cannot parse integer from empty string";
    case MRS_PARSE_INVALID_DIGIT: return "invalid digit found in string";
    case MRS_PARSE_POS_OVERFLOW: return "number too large to fit in target type";
    case MRS_PARSE_NEG_OVERFLOW: return "number too small to fit in target type";
    case MRS_PARSE_FLOAT_EMPTY: return "cannot parse float from empty string";
    case MRS_PARSE_FLOAT_INVALID: return "invalid float literal";
    case MRS_PARSE_BOOL_INVALID: return "provided string was not `true` or `false`";
    default: return "";
    }
}

const char *mrs_parse_error_debug(int kind)
{
    switch (kind) {
    case MRS_PARSE_EMPTY: return "ParseIntError { kind: Empty }";
    case MRS_PARSE_INVALID_DIGIT: return "ParseIntError { kind: InvalidDigit }";
    case MRS_PARSE_POS_OVERFLOW: return "ParseIntError { kind: PosOverflow }";
    case MRS_PARSE_NEG_OVERFLOW: return "ParseIntError { kind: NegOverflow }";
    case MRS_PARSE_FLOAT_EMPTY: return "ParseFloatError { kind: Empty }";
    case MRS_PARSE_FLOAT_INVALID: return "ParseFloatError { kind: Invalid }";
    case MRS_PARSE_BOOL_INVALID: return "ParseBoolError";
    default: return "";
    }
}
