/* fmt.c — the formatting engine behind format!/println!/write!: the Formatter, padding,
 * Display of integers, bool, char and str, radix and exponent forms of integers, and
 * Debug of str and char with Rust's escape_debug rules.
 *
 * The padding rules are those of core::fmt::Formatter: pad() for strings (left aligned,
 * precision truncates), pad_integral() for integers (right aligned; the '0' flag puts the
 * zeros between the sign/prefix and the digits and overrides the alignment). Floats are
 * in fmt_float.c, the Debug builders in fmt_debug.c. */
#include "mrs_rt.h" /* first: it sets the POSIX level the others see */
#include <stdio.h>


MrsFormatter mrs_fmt_new(MrsString *out)
{
    return (MrsFormatter){ out, MRS_SPEC_DEFAULT, 0, false };
}

/* ---- raw output, with {:#?} indentation */

void mrs_fmt_write(MrsFormatter *f, MrsStr s)
{
    if (f->indent == 0) {
        mrs_string_push_str(f->out, s);
        if (s.len > 0)
            f->at_line_start = s.ptr[s.len - 1] == '\n';
        return;
    }
    /* like Rust's PadAdapter: each line that starts after a '\n' is indented */
    size_t i = 0;
    while (i < s.len) {
        if (f->at_line_start) {
            for (int k = 0; k < f->indent; k++)
                mrs_string_push_str(f->out, MRS_STR("    "));
        }
        const uint8_t *nl = memchr(s.ptr + i, '\n', s.len - i);
        size_t end = nl ? (size_t)(nl - s.ptr) + 1 : s.len;
        mrs_string_push_bytes(f->out, s.ptr + i, end - i);
        f->at_line_start = nl != NULL;
        i = end;
    }
}

void mrs_fmt_write_char(MrsFormatter *f, uint32_t c)
{
    uint8_t buf[4];
    mrs_fmt_write(f, (MrsStr){ buf, mrs_utf8_encode(c, buf) });
}

static void write_fill(MrsFormatter *f, size_t n)
{
    if (n == 0)
        return;
    uint8_t one[4], span[64];
    size_t w = mrs_utf8_encode(f->spec.fill, one), per = sizeof span / w;
    size_t copies = n < per ? n : per; /* the fill char encoded once, then written in spans */
    if (w == 1)
        memset(span, one[0], copies);
    else
        for (size_t i = 0; i < copies; i++)
            memcpy(span + i * w, one, w);
    while (n > 0) {
        size_t k = n < per ? n : per;
        mrs_fmt_write(f, (MrsStr){ span, k * w });
        n -= k;
    }
}

/* Writes the padding that goes before the text and returns how much goes after
 * (Formatter::padding). */
static size_t pad_before(MrsFormatter *f, size_t pad, char default_align)
{
    char align = f->spec.align ? f->spec.align : default_align;
    size_t pre = align == '<' ? 0 : align == '>' ? pad : pad / 2;
    write_fill(f, pre);
    return pad - pre;
}

void mrs_fmt_pad(MrsFormatter *f, MrsStr s)
{
    if (f->spec.precision >= 0) { /* keep at most `precision` chars */
        size_t i = 0, chars = 0;
        while (i < s.len && chars < (size_t)f->spec.precision) {
            uint32_t ch;
            i += mrs_utf8_decode(s.ptr + i, &ch);
            chars++;
        }
        s.len = i;
    }
    size_t chars = mrs_str_char_count(s);
    if (f->spec.width < 0 || chars >= (size_t)f->spec.width) {
        mrs_fmt_write(f, s);
        return;
    }
    size_t post = pad_before(f, (size_t)f->spec.width - chars, '<');
    mrs_fmt_write(f, s);
    write_fill(f, post);
}

/* Formatter::pad_integral: digits are ASCII, prefix is "0x" etc. or "" */
static void pad_integral(MrsFormatter *f, bool nonnegative, const char *prefix, MrsStr digits)
{
    const char *sign = !nonnegative ? "-" : f->spec.sign == '+' ? "+" : "";
    if (!f->spec.alternate)
        prefix = "";
    size_t width = digits.len + strlen(sign) + strlen(prefix);
    if (f->spec.width < 0 || width >= (size_t)f->spec.width) {
        mrs_fmt_lit(f, sign);
        mrs_fmt_lit(f, prefix);
        mrs_fmt_write(f, digits);
    } else if (f->spec.zero_pad) {
        mrs_fmt_lit(f, sign);
        mrs_fmt_lit(f, prefix);
        for (size_t i = width; i < (size_t)f->spec.width; i++)
            mrs_fmt_lit(f, "0");
        mrs_fmt_write(f, digits);
    } else {
        size_t post = pad_before(f, (size_t)f->spec.width - width, '>');
        mrs_fmt_lit(f, sign);
        mrs_fmt_lit(f, prefix);
        mrs_fmt_write(f, digits);
        write_fill(f, post);
    }
}

/* ---- integers */

/* Writes v in the given radix at the end of buf[64]; returns the first digit. */
static char *digits_u64(uint64_t v, int radix, bool upper, char *end)
{
    const char *set = upper ? "0123456789ABCDEF" : "0123456789abcdef";
    char *p = end;
    if (radix == 10) { /* two digits per division, from a table of 00..99 */
        static const char pairs[] = "00010203040506070809101112131415161718192021222324252627282930313233343536373839"
                                    "40414243444546474849505152535455565758596061626364656667686970717273747576777879"
                                    "8081828384858687888990919293949596979899";
        while (v >= 100) {
            unsigned r = (unsigned)(v % 100);
            v /= 100;
            p -= 2;
            memcpy(p, pairs + 2 * r, 2);
        }
        if (v >= 10) {
            p -= 2;
            memcpy(p, pairs + 2 * v, 2);
        } else {
            *--p = (char)('0' + v);
        }
        return p;
    }
    do {
        *--p = set[v % (uint64_t)radix];
        v /= (uint64_t)radix;
    } while (v != 0);
    return p;
}

void mrs_fmt_u64(MrsFormatter *f, uint64_t v)
{
    char buf[64];
    char *p = digits_u64(v, 10, false, buf + sizeof buf);
    pad_integral(f, true, "", (MrsStr){ (const uint8_t *)p, (size_t)(buf + sizeof buf - p) });
}

void mrs_fmt_i64(MrsFormatter *f, int64_t v)
{
    char buf[64];
    uint64_t mag = v < 0 ? 0 - (uint64_t)v : (uint64_t)v;
    char *p = digits_u64(mag, 10, false, buf + sizeof buf);
    pad_integral(f, v >= 0, "", (MrsStr){ (const uint8_t *)p, (size_t)(buf + sizeof buf - p) });
}

void mrs_fmt_u128(MrsFormatter *f, unsigned __int128 v)
{
    char buf[64];
    char *p = buf + sizeof buf;
    do {
        *--p = (char)('0' + (int)(v % 10));
        v /= 10;
    } while (v != 0);
    pad_integral(f, true, "", (MrsStr){ (const uint8_t *)p, (size_t)(buf + sizeof buf - p) });
}

void mrs_fmt_i128(MrsFormatter *f, __int128 v)
{
    unsigned __int128 mag = v < 0 ? 0 - (unsigned __int128)v : (unsigned __int128)v;
    char buf[64];
    char *p = buf + sizeof buf;
    do {
        *--p = (char)('0' + (int)(mag % 10));
        mag /= 10;
    } while (mag != 0);
    pad_integral(f, v >= 0, "", (MrsStr){ (const uint8_t *)p, (size_t)(buf + sizeof buf - p) });
}

void mrs_fmt_radix_u64(MrsFormatter *f, uint64_t v, int radix, bool upper)
{
    char buf[64];
    char *p = digits_u64(v, radix, upper, buf + sizeof buf);
    const char *prefix = radix == 16 ? "0x" : radix == 8 ? "0o" : radix == 2 ? "0b" : "";
    pad_integral(f, true, prefix, (MrsStr){ (const uint8_t *)p, (size_t)(buf + sizeof buf - p) });
}

void mrs_fmt_radix_u128(MrsFormatter *f, unsigned __int128 v, int radix, bool upper)
{
    static const char lower_set[] = "0123456789abcdef", upper_set[] = "0123456789ABCDEF";
    const char *set = upper ? upper_set : lower_set;
    char buf[130];
    char *p = buf + sizeof buf;
    do {
        *--p = set[(int)(v % (unsigned)radix)];
        v /= (unsigned)radix;
    } while (v != 0);
    const char *prefix = radix == 16 ? "0x" : radix == 8 ? "0o" : radix == 2 ? "0b" : "";
    pad_integral(f, true, prefix, (MrsStr){ (const uint8_t *)p, (size_t)(buf + sizeof buf - p) });
}

/* {:e} of an integer: the decimal digits with trailing zeros dropped, or rounded half to
 * even (on the exact value) to precision + 1 significant digits. */
static void exp_integer(MrsFormatter *f, bool nonnegative, uint64_t mag, bool upper)
{
    char buf[32];
    int n = snprintf(buf, sizeof buf, "%llu", (unsigned long long)mag);
    int exp = n - 1;
    int keep; /* significant digits to print */
    if (f->spec.precision < 0) {
        keep = n;
        while (keep > 1 && buf[keep - 1] == '0')
            keep--;
    } else if (f->spec.precision + 1 < n) {
        keep = f->spec.precision + 1;
        bool rest_zero = true;
        for (int i = keep + 1; i < n; i++)
            rest_zero &= buf[i] == '0';
        char first = buf[keep];
        bool up = first > '5' || (first == '5' && (!rest_zero || (buf[keep - 1] - '0') % 2 == 1));
        for (int i = keep - 1; up && i >= 0; i--) { /* propagate the carry */
            if (buf[i] == '9') {
                buf[i] = '0';
            } else {
                buf[i]++;
                up = false;
            }
        }
        if (up) { /* 9.9 -> 10: one more power of ten */
            memmove(buf + 1, buf, (size_t)keep - 1);
            buf[0] = '1';
            exp++;
        }
    } else {
        keep = n;
    }
    char out[96];
    size_t len = 0;
    out[len++] = buf[0];
    int frac = f->spec.precision >= 0 ? f->spec.precision : keep - 1;
    if (frac > 0) {
        out[len++] = '.';
        for (int i = 1; i <= frac && len < sizeof out - 8; i++)
            out[len++] = i < keep ? buf[i] : '0';
    }
    len += (size_t)snprintf(out + len, sizeof out - len, "%c%d", upper ? 'E' : 'e', exp);
    pad_integral(f, nonnegative, "", (MrsStr){ (const uint8_t *)out, len });
}

void mrs_fmt_exp_u64(MrsFormatter *f, uint64_t v, bool upper)
{
    exp_integer(f, true, v, upper);
}

void mrs_fmt_exp_i64(MrsFormatter *f, int64_t v, bool upper)
{
    exp_integer(f, v >= 0, v < 0 ? 0 - (uint64_t)v : (uint64_t)v, upper);
}

/* ---- bool, char, str */

void mrs_fmt_bool(MrsFormatter *f, bool v)
{
    mrs_fmt_pad(f, v ? MRS_STR("true") : MRS_STR("false"));
}

void mrs_fmt_char(MrsFormatter *f, uint32_t c)
{
    uint8_t buf[4];
    mrs_fmt_pad(f, (MrsStr){ buf, mrs_utf8_encode(c, buf) });
}

void mrs_fmt_str(MrsFormatter *f, MrsStr s)
{
    mrs_fmt_pad(f, s);
}

/* ---- Debug escapes (char::escape_debug) */

typedef struct Range {
    uint32_t lo, hi;
} Range;

/* Not printable in Rust's sense: controls, format chars, separators other than ' ',
 * private use, noncharacters. (Unassigned code points are treated as printable.) */
static const Range unprintable[] = {
    { 0x00, 0x1F }, { 0x7F, 0x9F }, { 0xA0, 0xA0 }, { 0xAD, 0xAD }, { 0x600, 0x605 },
    { 0x61C, 0x61C }, { 0x6DD, 0x6DD }, { 0x70F, 0x70F }, { 0x1680, 0x1680 },
    { 0x180E, 0x180E }, { 0x2000, 0x200F }, { 0x2028, 0x202F }, { 0x205F, 0x2064 },
    { 0x2066, 0x206F }, { 0x3000, 0x3000 }, { 0xD800, 0xF8FF }, { 0xFEFF, 0xFEFF },
    { 0xFFF0, 0xFFFB }, { 0xFFFE, 0xFFFF }, { 0xE0000, 0xE0FFF }, { 0xF0000, 0x10FFFF },
};

/* Grapheme_Extend: combining marks, which Rust escapes so they don't attach to the quote */
static const Range grapheme_extend[] = {
    { 0x300, 0x36F }, { 0x483, 0x489 }, { 0x591, 0x5BD }, { 0x5BF, 0x5BF }, { 0x5C1, 0x5C2 },
    { 0x5C4, 0x5C5 }, { 0x5C7, 0x5C7 }, { 0x610, 0x61A }, { 0x64B, 0x65F }, { 0x670, 0x670 },
    { 0x6D6, 0x6DC }, { 0x6DF, 0x6E4 }, { 0x6E7, 0x6E8 }, { 0x6EA, 0x6ED }, { 0x900, 0x902 },
    { 0x93C, 0x93C }, { 0x941, 0x948 }, { 0x94D, 0x94D }, { 0x1AB0, 0x1AFF },
    { 0x1DC0, 0x1DFF }, { 0x200C, 0x200C }, { 0x20D0, 0x20F0 }, { 0x302A, 0x302F },
    { 0x3099, 0x309A }, { 0xFE00, 0xFE0F }, { 0xFE20, 0xFE2F }, { 0x1F3FB, 0x1F3FF },
    { 0xE0100, 0xE01EF },
};

static bool in_table(uint32_t c, const Range *r, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (c >= r[i].lo && c <= r[i].hi)
            return true;
    return false;
}

/* quote: the delimiter being written ('"' for str, '\'' for char), which gets a '\' */
static void write_escaped(MrsFormatter *f, uint32_t c, uint32_t quote)
{
    switch (c) {
    case '\0': mrs_fmt_lit(f, "\\0"); return;
    case '\t': mrs_fmt_lit(f, "\\t"); return;
    case '\r': mrs_fmt_lit(f, "\\r"); return;
    case '\n': mrs_fmt_lit(f, "\\n"); return;
    case '\\': mrs_fmt_lit(f, "\\\\"); return;
    default: break;
    }
    if (c == quote) {
        mrs_fmt_lit(f, "\\");
        mrs_fmt_write_char(f, c);
    } else if (in_table(c, unprintable, sizeof unprintable / sizeof unprintable[0]) ||
               in_table(c, grapheme_extend, sizeof grapheme_extend / sizeof grapheme_extend[0])) {
        char buf[16];
        snprintf(buf, sizeof buf, "\\u{%x}", (unsigned)c);
        mrs_fmt_lit(f, buf);
    } else {
        mrs_fmt_write_char(f, c);
    }
}

/* Debug of str and char writes straight through: width and precision do not apply */
void mrs_fmt_debug_str(MrsFormatter *f, MrsStr s)
{
    mrs_fmt_lit(f, "\"");
    size_t i = 0;
    while (i < s.len) {
        uint32_t c;
        size_t n = mrs_utf8_decode(s.ptr + i, &c);
        if (c >= 0x20 && c < 0x7F && c != '"' && c != '\\') { /* the common case */
            size_t j = i + 1;
            while (j < s.len && s.ptr[j] >= 0x20 && s.ptr[j] < 0x7F && s.ptr[j] != '"' && s.ptr[j] != '\\')
                j++;
            mrs_fmt_write(f, (MrsStr){ s.ptr + i, j - i });
            i = j;
            continue;
        }
        write_escaped(f, c, '"');
        i += n;
    }
    mrs_fmt_lit(f, "\"");
}

void mrs_fmt_debug_char(MrsFormatter *f, uint32_t c)
{
    mrs_fmt_lit(f, "'");
    write_escaped(f, c, '\'');
    mrs_fmt_lit(f, "'");
}

/* ---- to_string conveniences */

MrsString mrs_i64_to_string(int64_t v, size_t digits)
{
    MrsString s = mrs_string_with_capacity(v < 0 ? digits + 1 : digits);
    MrsFormatter f = mrs_fmt_new(&s);
    mrs_fmt_i64(&f, v);
    return s;
}

MrsString mrs_u64_to_string(uint64_t v)
{
    uint8_t buf[20];
    size_t n = 0;
    do {
        buf[sizeof buf - ++n] = (uint8_t)('0' + v % 10);
        v /= 10;
    } while (v);
    return mrs_string_from((MrsStr){ buf + sizeof buf - n, n });
}

MrsString mrs_f64_to_string(double v)
{
    MrsString s = mrs_string_new();
    MrsFormatter f = mrs_fmt_new(&s);
    mrs_fmt_f64(&f, v);
    return s;
}

MrsString mrs_f32_to_string(float v)
{
    MrsString s = mrs_string_new();
    MrsFormatter f = mrs_fmt_new(&s);
    mrs_fmt_f32(&f, v);
    return s;
}

MrsString mrs_char_to_string(uint32_t c)
{
    MrsString s = mrs_string_with_capacity(mrs_char_len_utf8(c));
    mrs_string_push(&s, c);
    return s;
}

MrsString mrs_bool_to_string(bool v)
{
    return mrs_string_from(v ? MRS_STR("true") : MRS_STR("false"));
}

void mrs_fmt_case(MrsFormatter *f, const MrsCaseIter *it)
{
    for (int i = it->front; i < it->back; i++)
        mrs_fmt_write_char(f, it->chars[i]);
}
