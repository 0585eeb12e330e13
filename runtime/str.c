/* str.c — &str (MrsStr): UTF-8 helpers, slicing with rustc 1.95's panic texts, searching,
 * trimming, splitting, case conversion and the chars/char_indices/split/lines iterators.
 * Strings are assumed to be valid UTF-8, as Rust guarantees. */
#include "mrs_rt.h" /* first: it sets the POSIX level the others see */
#include <stdio.h>
#include <stdlib.h>


/* ---- UTF-8 */

size_t mrs_utf8_decode(const uint8_t *p, uint32_t *ch)
{
    uint8_t b = p[0];
    if (b < 0x80) {
        *ch = b;
        return 1;
    }
    if (b < 0xE0) {
        *ch = ((uint32_t)(b & 0x1F) << 6) | (p[1] & 0x3F);
        return 2;
    }
    if (b < 0xF0) {
        *ch = ((uint32_t)(b & 0x0F) << 12) | ((uint32_t)(p[1] & 0x3F) << 6) | (p[2] & 0x3F);
        return 3;
    }
    *ch = ((uint32_t)(b & 0x07) << 18) | ((uint32_t)(p[1] & 0x3F) << 12) |
          ((uint32_t)(p[2] & 0x3F) << 6) | (p[3] & 0x3F);
    return 4;
}

size_t mrs_utf8_encode(uint32_t ch, uint8_t buf[4])
{
    if (ch < 0x80) {
        buf[0] = (uint8_t)ch;
        return 1;
    }
    if (ch < 0x800) {
        buf[0] = (uint8_t)(0xC0 | (ch >> 6));
        buf[1] = (uint8_t)(0x80 | (ch & 0x3F));
        return 2;
    }
    if (ch < 0x10000) {
        buf[0] = (uint8_t)(0xE0 | (ch >> 12));
        buf[1] = (uint8_t)(0x80 | ((ch >> 6) & 0x3F));
        buf[2] = (uint8_t)(0x80 | (ch & 0x3F));
        return 3;
    }
    buf[0] = (uint8_t)(0xF0 | (ch >> 18));
    buf[1] = (uint8_t)(0x80 | ((ch >> 12) & 0x3F));
    buf[2] = (uint8_t)(0x80 | ((ch >> 6) & 0x3F));
    buf[3] = (uint8_t)(0x80 | (ch & 0x3F));
    return 4;
}

size_t mrs_str_char_count(MrsStr s)
{
    size_t n = 0;
    for (size_t i = 0; i < s.len; i++)
        n += (s.ptr[i] & 0xC0) != 0x80;
    return n;
}

/* ---- comparison */

bool mrs_str_eq(MrsStr a, MrsStr b)
{
    return a.len == b.len && (a.len == 0 || memcmp(a.ptr, b.ptr, a.len) == 0);
}

int mrs_str_cmp(MrsStr a, MrsStr b)
{
    size_t n = a.len < b.len ? a.len : b.len;
    int c = n == 0 ? 0 : memcmp(a.ptr, b.ptr, n);
    if (c != 0)
        return c < 0 ? -1 : 1;
    return a.len < b.len ? -1 : a.len > b.len;
}

/* ---- slicing */

bool mrs_str_is_char_boundary(MrsStr s, size_t i)
{
    if (i == 0 || i == s.len)
        return true;
    return i < s.len && (s.ptr[i] & 0xC0) != 0x80;
}

static size_t floor_boundary(MrsStr s, size_t i)
{
    if (i >= s.len)
        return s.len;
    while (i > 0 && (s.ptr[i] & 0xC0) == 0x80)
        i--;
    return i;
}

/* "... of `s`" with s cut at 256 bytes (on a char boundary) and "[...]" when cut */
static void push_quoted_trunc(MrsString *m, MrsStr s)
{
    size_t n = floor_boundary(s, 256);
    mrs_string_push_str(m, MRS_STR(" of `"));
    mrs_string_push_bytes(m, s.ptr, n);
    mrs_string_push_str(m, MRS_STR("`"));
    if (n < s.len)
        mrs_string_push_str(m, MRS_STR("[...]"));
}

static void push_size(MrsString *m, size_t v)
{
    MrsString t = mrs_u64_to_string(v);
    mrs_string_push_str(m, mrs_string_as_str(&t));
    mrs_string_drop(&t);
}

/* "it is inside 'é' (bytes 0..2)" for a byte index inside a multi-byte char */
static void push_inside(MrsString *m, MrsStr s, size_t i)
{
    size_t lo = floor_boundary(s, i);
    uint32_t ch;
    size_t n = mrs_utf8_decode(s.ptr + lo, &ch);
    MrsFormatter f = mrs_fmt_new(m);
    mrs_fmt_lit(&f, " is not a char boundary; it is inside ");
    mrs_fmt_debug_char(&f, ch);
    mrs_fmt_lit(&f, " (bytes ");
    push_size(m, lo);
    mrs_fmt_lit(&f, "..");
    push_size(m, lo + n);
    mrs_fmt_lit(&f, ")");
}

MrsString mrs_str_slice_error(MrsStr s, size_t lo, size_t hi, bool inclusive)
{
    MrsString m = mrs_string_new();
    if (lo > s.len) {
        mrs_string_push_str(&m, MRS_STR("start byte index "));
        push_size(&m, lo);
        mrs_string_push_str(&m, MRS_STR(" is out of bounds"));
    } else if (hi > s.len) {
        mrs_string_push_str(&m, MRS_STR("end byte index "));
        push_size(&m, inclusive ? hi - 1 : hi); /* Rust shows the end as written */
        mrs_string_push_str(&m, MRS_STR(" is out of bounds"));
    } else if (lo > hi) {
        mrs_string_push_str(&m, MRS_STR("begin > end ("));
        push_size(&m, lo);
        mrs_string_push_str(&m, MRS_STR(" > "));
        push_size(&m, hi);
        mrs_string_push_str(&m, MRS_STR(") when slicing `"));
        size_t n = floor_boundary(s, 256);
        mrs_string_push_bytes(&m, s.ptr, n);
        mrs_string_push_str(&m, MRS_STR("`"));
        if (n < s.len)
            mrs_string_push_str(&m, MRS_STR("[...]"));
        return m;
    } else if (!mrs_str_is_char_boundary(s, lo)) {
        mrs_string_push_str(&m, MRS_STR("start byte index "));
        push_size(&m, lo);
        push_inside(&m, s, lo);
    } else {
        mrs_string_push_str(&m, MRS_STR("end byte index "));
        push_size(&m, hi);
        push_inside(&m, s, hi);
    }
    push_quoted_trunc(&m, s);
    return m;
}

static MrsStr slice(MrsStr s, size_t lo, size_t hi, bool inclusive, MrsLoc loc)
{
    if (lo > hi || hi > s.len || !mrs_str_is_char_boundary(s, lo) ||
        !mrs_str_is_char_boundary(s, hi))
        mrs_panic_string(loc, mrs_str_slice_error(s, lo, hi, inclusive));
    return (MrsStr){ s.ptr + lo, hi - lo };
}

MrsStr mrs_str_slice(MrsStr s, size_t lo, size_t hi, MrsLoc loc)
{
    return slice(s, lo, hi, false, loc);
}

MrsStr mrs_str_slice_inclusive(MrsStr s, size_t lo, size_t hi, MrsLoc loc)
{
    if (hi == SIZE_MAX)
        mrs_panic_cstr(loc, "attempted to index str up to maximum usize");
    return slice(s, lo, hi + 1, true, loc);
}

MrsStr mrs_str_slice_from(MrsStr s, size_t lo, MrsLoc loc)
{
    return slice(s, lo, s.len, false, loc);
}

/* ---- trimming (White_Space, as char::is_whitespace) */


MrsStr mrs_str_trim_start(MrsStr s)
{
    size_t i = 0;
    while (i < s.len) {
        if (s.ptr[i] < 0x80) { /* (most text: no decoding) */
            if (!mrs_char_is_whitespace(s.ptr[i]))
                break;
            i++;
            continue;
        }
        uint32_t ch;
        size_t n = mrs_utf8_decode(s.ptr + i, &ch);
        if (!mrs_char_is_whitespace(ch))
            break;
        i += n;
    }
    return (MrsStr){ s.ptr + i, s.len - i };
}

MrsStr mrs_str_trim_end(MrsStr s)
{
    size_t end = s.len;
    while (end > 0) {
        size_t i = floor_boundary(s, end - 1);
        uint32_t ch;
        mrs_utf8_decode(s.ptr + i, &ch);
        if (!mrs_char_is_whitespace(ch))
            break;
        end = i;
    }
    return (MrsStr){ s.ptr, end };
}

MrsStr mrs_str_trim(MrsStr s)
{
    return mrs_str_trim_end(mrs_str_trim_start(s));
}

/* ---- searching */

bool mrs_str_starts_with(MrsStr s, MrsStr p)
{
    return p.len <= s.len && (p.len == 0 || memcmp(s.ptr, p.ptr, p.len) == 0);
}

bool mrs_str_ends_with(MrsStr s, MrsStr p)
{
    return p.len <= s.len && (p.len == 0 || memcmp(s.ptr + s.len - p.len, p.ptr, p.len) == 0);
}

bool mrs_str_find(MrsStr hay, MrsStr needle, size_t *out)
{
    if (needle.len > hay.len)
        return false;
    for (size_t i = 0; i + needle.len <= hay.len; i++) {
        if (needle.len == 0 || memcmp(hay.ptr + i, needle.ptr, needle.len) == 0) {
            *out = i;
            return true;
        }
    }
    return false;
}

bool mrs_str_rfind(MrsStr hay, MrsStr needle, size_t *out)
{
    if (needle.len > hay.len)
        return false;
    for (size_t i = hay.len - needle.len + 1; i-- > 0;) {
        if (needle.len == 0 || memcmp(hay.ptr + i, needle.ptr, needle.len) == 0) {
            *out = i;
            return true;
        }
    }
    return false;
}

bool mrs_str_contains(MrsStr s, MrsStr p)
{
    size_t at;
    return mrs_str_find(s, p, &at);
}

static MrsStr encode_char(uint32_t ch, uint8_t buf[4])
{
    return (MrsStr){ buf, mrs_utf8_encode(ch, buf) };
}

bool mrs_str_find_char(MrsStr hay, uint32_t ch, size_t *out)
{
    uint8_t buf[4];
    return mrs_str_find(hay, encode_char(ch, buf), out);
}

bool mrs_utf8_check(const uint8_t *p, size_t n, size_t *valid_up_to, uint8_t *error_len)
{
    size_t i = 0;
    while (i < n) {
        uint8_t b = p[i];
        size_t w = b < 0x80 ? 1 : b >= 0xC2 && b <= 0xDF ? 2 : b >= 0xE0 && b <= 0xEF ? 3 : b >= 0xF0 && b <= 0xF4 ? 4 : 0;
        uint8_t bad = 0; /* the length of the invalid sequence; 0 with `short` set: cut off */
        bool cut = false;
        if (w == 0) {
            bad = 1;
        } else if (w > 1) {
            /* the second byte's range depends on the first (no overlongs, no surrogates, <= U+10FFFF) */
            uint8_t lo = b == 0xE0 ? 0xA0 : b == 0xF0 ? 0x90 : 0x80;
            uint8_t hi = b == 0xED ? 0x9F : b == 0xF4 ? 0x8F : 0xBF;
            for (size_t k = 1; k < w && !bad && !cut; k++) {
                if (i + k >= n)
                    cut = true;
                else if (k == 1 ? p[i + 1] < lo || p[i + 1] > hi : (p[i + k] & 0xC0) != 0x80)
                    bad = (uint8_t)k;
            }
        }
        if (bad || cut) {
            *valid_up_to = i;
            *error_len = bad; /* 0: an incomplete sequence at the end (None) */
            return false;
        }
        i += w;
    }
    return true;
}

void mrs_fmt_utf8_error(MrsFormatter *f, size_t valid_up_to, uint8_t error_len)
{
    char buf[96];
    if (error_len)
        snprintf(buf, sizeof buf, "invalid utf-8 sequence of %u bytes from index %zu", (unsigned)error_len, valid_up_to);
    else
        snprintf(buf, sizeof buf, "incomplete utf-8 byte sequence from index %zu", valid_up_to);
    mrs_fmt_lit(f, buf);
}

bool mrs_str_rfind_char(MrsStr hay, uint32_t ch, size_t *out)
{
    uint8_t buf[4];
    return mrs_str_rfind(hay, encode_char(ch, buf), out);
}

bool mrs_str_contains_char(MrsStr s, uint32_t ch)
{
    size_t at;
    return mrs_str_find_char(s, ch, &at);
}

bool mrs_str_starts_with_char(MrsStr s, uint32_t ch)
{
    uint8_t buf[4];
    return mrs_str_starts_with(s, encode_char(ch, buf));
}

bool mrs_str_ends_with_char(MrsStr s, uint32_t ch)
{
    uint8_t buf[4];
    return mrs_str_ends_with(s, encode_char(ch, buf));
}

/* ---- building new Strings */

/* str::replace, with std's capacities: one ASCII byte for another is a copy of s with
 * them swapped, in a String of s's length; otherwise the String starts with room for s
 * when no match makes it shorter, with none when one may. */
MrsString mrs_str_replace(MrsStr s, MrsStr from, MrsStr to)
{
    if (from.len == 1 && to.len == 1) {
        MrsString r = mrs_string_from(s);
        for (size_t i = 0; i < r.len; i++)
            if (r.ptr[i] == from.ptr[0])
                r.ptr[i] = to.ptr[0];
        return r;
    }
    MrsString r = mrs_string_with_capacity(from.len <= to.len ? s.len : 0);
    if (from.len == 0) { /* Rust: `to` before every char and at the end */
        size_t i = 0;
        while (i < s.len) {
            uint32_t ch;
            size_t n = mrs_utf8_decode(s.ptr + i, &ch);
            mrs_string_push_str(&r, to);
            mrs_string_push_bytes(&r, s.ptr + i, n);
            i += n;
        }
        mrs_string_push_str(&r, to);
        return r;
    }
    size_t i = 0, at;
    while (mrs_str_find((MrsStr){ s.ptr + i, s.len - i }, from, &at)) {
        mrs_string_push_bytes(&r, s.ptr + i, at);
        mrs_string_push_str(&r, to);
        i += at + from.len;
    }
    mrs_string_push_bytes(&r, s.ptr + i, s.len - i);
    return r;
}

/* str::replace with a char pattern. */
MrsString mrs_str_replace_char(MrsStr s, uint32_t c, MrsStr to)
{
    uint8_t buf[4];
    size_t n = mrs_utf8_encode(c, buf);
    return mrs_str_replace(s, (MrsStr){ buf, n }, to);
}

MrsString mrs_str_repeat(MrsStr s, size_t n)
{
    size_t total;
    if (__builtin_mul_overflow(s.len, n, &total))
        mrs_panic_cstr(MRS_LOC_RAW_VEC, "capacity overflow");
    MrsString r = mrs_string_with_capacity(total);
    for (size_t i = 0; i < n; i++)
        mrs_string_push_str(&r, s);
    return r;
}

MrsString mrs_str_to_ascii_uppercase(MrsStr s)
{
    MrsString r = mrs_string_from(s);
    for (size_t i = 0; i < r.len; i++)
        if (r.ptr[i] >= 'a' && r.ptr[i] <= 'z')
            r.ptr[i] = (uint8_t)(r.ptr[i] - 32);
    return r;
}

MrsString mrs_str_to_ascii_lowercase(MrsStr s)
{
    MrsString r = mrs_string_from(s);
    for (size_t i = 0; i < r.len; i++)
        if (r.ptr[i] >= 'A' && r.ptr[i] <= 'Z')
            r.ptr[i] = (uint8_t)(r.ptr[i] + 32);
    return r;
}

/* The ASCII bytes at the start of s mapped one for one into r (which has room for s.len
 * bytes): most text is ASCII, and those need no decoding, no tables and no pushes.
 * Returns how many bytes were done. */
static size_t ascii_case_prefix(MrsString *r, MrsStr s, bool upper)
{
    size_t i = 0;
    for (; i < s.len && s.ptr[i] < 0x80; i++) {
        uint8_t b = s.ptr[i];
        r->ptr[i] = upper ? ((unsigned)(b - 'a') < 26u ? (uint8_t)(b - 32) : b) : ((unsigned)(b - 'A') < 26u ? (uint8_t)(b + 32) : b);
    }
    r->len = i;
    return i;
}

MrsString mrs_str_to_uppercase(MrsStr s)
{
    MrsString r = mrs_string_with_capacity(s.len);
    size_t i = ascii_case_prefix(&r, s, true);
    while (i < s.len) {
        uint32_t ch, up[3];
        i += mrs_utf8_decode(s.ptr + i, &ch);
        size_t n = mrs_char_to_uppercase_full(ch, up);
        for (size_t k = 0; k < n; k++)
            mrs_string_push(&r, up[k]);
    }
    return r;
}

/* Is the char before byte i (skipping nothing) a cased letter? Used for final sigma. */
static bool cased_before(MrsStr s, size_t i)
{
    if (i == 0)
        return false;
    uint32_t ch;
    mrs_utf8_decode(s.ptr + floor_boundary(s, i - 1), &ch);
    return mrs_char_is_alphabetic(ch) && (mrs_char_is_uppercase(ch) || mrs_char_is_lowercase(ch));
}

static bool cased_after(MrsStr s, size_t i)
{
    if (i >= s.len)
        return false;
    uint32_t ch;
    mrs_utf8_decode(s.ptr + i, &ch);
    return mrs_char_is_alphabetic(ch) && (mrs_char_is_uppercase(ch) || mrs_char_is_lowercase(ch));
}

MrsString mrs_str_to_lowercase(MrsStr s)
{
    MrsString r = mrs_string_with_capacity(s.len);
    size_t i = ascii_case_prefix(&r, s, false); /* (a final sigma is not ASCII) */
    while (i < s.len) {
        uint32_t ch, low[3];
        size_t at = i;
        i += mrs_utf8_decode(s.ptr + i, &ch);
        if (ch == 0x3A3 && cased_before(s, at) && !cased_after(s, i)) {
            mrs_string_push(&r, 0x3C2); /* Σ at the end of a word: final sigma ς */
            continue;
        }
        size_t n = mrs_char_to_lowercase_full(ch, low);
        for (size_t k = 0; k < n; k++)
            mrs_string_push(&r, low[k]);
    }
    return r;
}

/* ---- iterators */

MrsChars mrs_str_chars(MrsStr s)
{
    return (MrsChars){ s.ptr, s.ptr + s.len };
}

bool mrs_chars_next_slow(MrsChars *it, uint32_t *out)
{
    if (it->ptr == it->end)
        return false;
    it->ptr += mrs_utf8_decode(it->ptr, out);
    return true;
}

bool mrs_chars_next_back_slow(MrsChars *it, uint32_t *out)
{
    if (it->ptr == it->end)
        return false;
    const uint8_t *p = it->end - 1;
    while (p > it->ptr && (*p & 0xC0) == 0x80)
        p--;
    mrs_utf8_decode(p, out);
    it->end = p;
    return true;
}

MrsCharIndices mrs_str_char_indices(MrsStr s)
{
    return (MrsCharIndices){ s.ptr, mrs_str_chars(s) };
}

bool mrs_char_indices_next(MrsCharIndices *it, size_t *idx, uint32_t *ch)
{
    if (it->chars.ptr == it->chars.end)
        return false;
    *idx = (size_t)(it->chars.ptr - it->base);
    return mrs_chars_next(&it->chars, ch);
}

bool mrs_char_indices_next_back(MrsCharIndices *it, size_t *idx, uint32_t *ch)
{
    if (!mrs_chars_next_back(&it->chars, ch))
        return false;
    *idx = (size_t)(it->chars.end - it->base); /* the char just taken starts where the rest now ends */
    return true;
}

MrsSplit mrs_str_split(MrsStr s, MrsStr pat)
{
    MrsSplit it;
    memset(&it, 0, sizeof it);
    it.rest = s;
    it.pat = pat;
    it.empty_pat = pat.len == 0;
    return it;
}

MrsSplit mrs_str_split_char(MrsStr s, uint32_t ch)
{
    MrsSplit it = mrs_str_split(s, MRS_STR(""));
    it.pat.len = mrs_utf8_encode(ch, it.buf);
    it.pat.ptr = NULL; /* points into it.buf: resolved in mrs_split_next, as the struct may move */
    it.empty_pat = false;
    return it;
}

MrsSplit mrs_str_split_pred(MrsStr s, MrsCharPred p)
{
    MrsSplit it = mrs_str_split(s, MRS_STR(""));
    it.empty_pat = false;
    it.pred = p;
    return it;
}

MrsSplit mrs_rsplit(MrsSplit it)
{
    it.reverse = true;
    return it;
}

/* `.rev()` of a split or an rsplit: the same pieces from the other end. */
MrsSplit mrs_split_rev(MrsSplit it)
{
    it.reverse = !it.reverse;
    return it;
}

MrsSplit mrs_split_matches(MrsSplit it)
{
    it.matches = true;
    return it;
}

/* The next occurrence of the pattern (from the end when reversed); an empty pattern
 * matches at every char boundary. */
static bool matches_next(MrsSplit *it, MrsStr *out)
{
    if (it->finished)
        return false;
    MrsStr rest = it->rest;
    if (it->empty_pat) {
        if (rest.len == 0)
            it->finished = true;
        size_t n = 0;
        if (rest.len && it->reverse) {
            n = 1;
            while (n < rest.len && (rest.ptr[rest.len - n] & 0xC0) == 0x80)
                n++;
        } else if (rest.len) {
            uint32_t ch;
            n = mrs_utf8_decode(rest.ptr, &ch);
        }
        *out = (MrsStr){it->reverse ? rest.ptr + rest.len : rest.ptr, 0};
        it->rest = it->reverse ? (MrsStr){rest.ptr, rest.len - n} : (MrsStr){rest.ptr + n, rest.len - n};
        return true;
    }
    size_t at = 0, n = 0;
    bool found;
    if (it->pred.test) {
        found = it->reverse ? mrs_str_rfind_pred(rest, it->pred, &at, &n) : mrs_str_find_pred(rest, it->pred, &at, &n);
    } else {
        MrsStr pat = it->pat;
        if (pat.ptr == NULL && pat.len > 0)
            pat.ptr = it->buf;
        n = pat.len;
        found = it->reverse ? mrs_str_rfind(rest, pat, &at) : mrs_str_find(rest, pat, &at);
    }
    if (!found) {
        it->finished = true;
        return false;
    }
    *out = (MrsStr){rest.ptr + at, n};
    it->rest = it->reverse ? (MrsStr){rest.ptr, at} : (MrsStr){rest.ptr + at + n, rest.len - at - n};
    return true;
}

MrsSplit mrs_splitn(MrsSplit it, size_t n)
{
    it.limited = true;
    it.left = n;
    return it;
}

/* trim_matches and its start/end forms: every leading/trailing repetition of pat
 * (an empty pattern trims nothing). */
MrsStr mrs_str_trim_matches(MrsStr s, MrsStr pat, bool start, bool end)
{
    if (pat.len == 0)
        return s;
    while (start && s.len >= pat.len && memcmp(s.ptr, pat.ptr, pat.len) == 0)
        s = (MrsStr){ s.ptr + pat.len, s.len - pat.len };
    while (end && s.len >= pat.len && memcmp(s.ptr + s.len - pat.len, pat.ptr, pat.len) == 0)
        s.len -= pat.len;
    return s;
}

MrsStr mrs_str_trim_matches_char(MrsStr s, uint32_t ch, bool start, bool end)
{
    uint8_t buf[4];
    size_t n = mrs_utf8_encode(ch, buf);
    return mrs_str_trim_matches(s, (MrsStr){ buf, n }, start, end);
}

bool mrs_split_next(MrsSplit *it, MrsStr *out)
{
    if (it->matches)
        return matches_next(it, out);
    if (it->finished)
        return false;
    if (it->limited) { /* splitn: the n-th piece is all that is left */
        if (it->left == 0) {
            it->finished = true;
            return false;
        }
        if (--it->left == 0) {
            it->finished = true;
            *out = it->rest;
            return true;
        }
    }
    MrsStr pat = it->pat;
    if (pat.ptr == NULL && pat.len > 0)
        pat.ptr = it->buf;
    if (it->empty_pat) {
        /* "abc".split("") yields "", "a", "b", "c", "" */
        if (!it->started) {
            it->started = true;
            *out = (MrsStr){ it->rest.ptr, 0 };
            return true;
        }
        if (it->rest.len == 0) {
            it->finished = true;
            *out = it->rest;
            return true;
        }
        uint32_t ch;
        size_t n = mrs_utf8_decode(it->rest.ptr, &ch);
        *out = (MrsStr){ it->rest.ptr, n };
        it->rest = (MrsStr){ it->rest.ptr + n, it->rest.len - n };
        return true;
    }
    size_t at;
    if (it->pred.test) { /* at each char the predicate accepts */
        size_t n;
        bool found = it->reverse ? mrs_str_rfind_pred(it->rest, it->pred, &at, &n)
                                 : mrs_str_find_pred(it->rest, it->pred, &at, &n);
        if (!found) {
            *out = it->rest;
            it->finished = true;
        } else if (it->reverse) {
            *out = (MrsStr){ it->rest.ptr + at + n, it->rest.len - at - n };
            it->rest.len = at;
        } else {
            *out = (MrsStr){ it->rest.ptr, at };
            it->rest = (MrsStr){ it->rest.ptr + at + n, it->rest.len - at - n };
        }
        return true;
    }
    if (it->reverse) { /* rsplit: the piece after the last separator */
        if (mrs_str_rfind(it->rest, pat, &at)) {
            *out = (MrsStr){ it->rest.ptr + at + pat.len, it->rest.len - at - pat.len };
            it->rest.len = at;
        } else {
            *out = it->rest;
            it->finished = true;
        }
        return true;
    }
    if (mrs_str_find(it->rest, pat, &at)) {
        *out = (MrsStr){ it->rest.ptr, at };
        it->rest = (MrsStr){ it->rest.ptr + at + pat.len, it->rest.len - at - pat.len };
    } else {
        *out = it->rest;
        it->finished = true;
    }
    return true;
}

/* ---- patterns that are predicates on chars */

bool mrs_char_in_set(void *set, uint32_t c)
{
    const MrsCharSet *cs = set;
    for (size_t i = 0; i < cs->len; i++)
        if (cs->ptr[i] == c)
            return true;
    return false;
}

bool mrs_str_find_pred(MrsStr s, MrsCharPred p, size_t *at, size_t *len)
{
    for (size_t i = 0; i < s.len;) {
        uint32_t c;
        size_t n = mrs_utf8_decode(s.ptr + i, &c);
        if (p.test(p.env, c)) {
            *at = i;
            *len = n;
            return true;
        }
        i += n;
    }
    return false;
}

bool mrs_str_rfind_pred(MrsStr s, MrsCharPred p, size_t *at, size_t *len)
{
    for (size_t j = s.len; j > 0;) {
        size_t i = j - 1;
        while (i > 0 && (s.ptr[i] & 0xC0) == 0x80) /* back to the char's first byte */
            i--;
        uint32_t c;
        size_t n = mrs_utf8_decode(s.ptr + i, &c);
        if (p.test(p.env, c)) {
            *at = i;
            *len = n;
            return true;
        }
        j = i;
    }
    return false;
}

bool mrs_str_starts_with_pred(MrsStr s, MrsCharPred p)
{
    uint32_t c;
    return s.len > 0 && (mrs_utf8_decode(s.ptr, &c), p.test(p.env, c));
}

bool mrs_str_ends_with_pred(MrsStr s, MrsCharPred p)
{
    if (s.len == 0)
        return false;
    size_t i = s.len - 1;
    while (i > 0 && (s.ptr[i] & 0xC0) == 0x80)
        i--;
    uint32_t c;
    mrs_utf8_decode(s.ptr + i, &c);
    return p.test(p.env, c);
}

/* As std's trim_*_matches: from the start, then from the end, each char tested once. */
MrsStr mrs_str_trim_matches_pred(MrsStr s, MrsCharPred p, bool start, bool end)
{
    size_t lo = 0, hi = s.len;
    if (start)
        while (lo < hi) {
            uint32_t c;
            size_t n = mrs_utf8_decode(s.ptr + lo, &c);
            if (!p.test(p.env, c))
                break;
            lo += n;
        }
    if (end)
        while (hi > lo) {
            size_t i = hi - 1;
            while (i > lo && (s.ptr[i] & 0xC0) == 0x80)
                i--;
            uint32_t c;
            mrs_utf8_decode(s.ptr + i, &c);
            if (!p.test(p.env, c))
                break;
            hi = i;
        }
    return (MrsStr){ s.ptr + lo, hi - lo };
}

/* str::replace with a predicate: each char it accepts replaced by `to` (std starts with
 * no room for a pattern whose matches have no length it knows). */
MrsString mrs_str_replace_pred(MrsStr s, MrsCharPred p, MrsStr to)
{
    MrsString r = mrs_string_new();
    size_t i = 0, at, n;
    while (mrs_str_find_pred((MrsStr){ s.ptr + i, s.len - i }, p, &at, &n)) {
        mrs_string_push_bytes(&r, s.ptr + i, at);
        mrs_string_push_str(&r, to);
        i += at + n;
    }
    mrs_string_push_bytes(&r, s.ptr + i, s.len - i);
    return r;
}

MrsSplitWs mrs_str_split_whitespace(MrsStr s)
{
    return (MrsSplitWs){ s };
}

bool mrs_split_ws_next(MrsSplitWs *it, MrsStr *out)
{
    MrsStr s = mrs_str_trim_start(it->rest);
    if (s.len == 0) {
        it->rest = s;
        return false;
    }
    size_t i = 0;
    while (i < s.len) {
        if (s.ptr[i] < 0x80) {
            if (mrs_char_is_whitespace(s.ptr[i]))
                break;
            i++;
            continue;
        }
        uint32_t ch;
        size_t n = mrs_utf8_decode(s.ptr + i, &ch);
        if (mrs_char_is_whitespace(ch))
            break;
        i += n;
    }
    *out = (MrsStr){ s.ptr, i };
    it->rest = (MrsStr){ s.ptr + i, s.len - i };
    return true;
}

/* The last word: the rest is trimmed at its end, the word runs back to whitespace. */
bool mrs_split_ws_next_back(MrsSplitWs *it, MrsStr *out)
{
    MrsStr s = mrs_str_trim_end(it->rest);
    if (s.len == 0) {
        it->rest = s;
        return false;
    }
    size_t j = s.len;
    while (j > 0) {
        if (s.ptr[j - 1] < 0x80) {
            if (mrs_char_is_whitespace(s.ptr[j - 1]))
                break;
            j--;
            continue;
        }
        size_t i = floor_boundary(s, j - 1);
        uint32_t ch;
        mrs_utf8_decode(s.ptr + i, &ch);
        if (mrs_char_is_whitespace(ch))
            break;
        j = i;
    }
    *out = (MrsStr){ s.ptr + j, s.len - j };
    it->rest = (MrsStr){ s.ptr, j };
    return true;
}

MrsLines mrs_str_lines(MrsStr s)
{
    return (MrsLines){ s };
}

bool mrs_lines_next(MrsLines *it, MrsStr *out)
{
    if (it->rest.len == 0)
        return false;
    const uint8_t *nl = memchr(it->rest.ptr, '\n', it->rest.len);
    size_t line_len = nl ? (size_t)(nl - it->rest.ptr) : it->rest.len;
    size_t consumed = nl ? line_len + 1 : line_len;
    *out = (MrsStr){ it->rest.ptr, line_len };
    if (nl && line_len > 0 && it->rest.ptr[line_len - 1] == '\r')
        out->len--; /* "\r\n" ends the line too; a lone final '\r' stays */
    it->rest = (MrsStr){ it->rest.ptr + consumed, it->rest.len - consumed };
    return true;
}

/* The last line: a final line ending is optional, so one "\n" (or "\r\n") at the very
 * end ends the last line rather than starting an empty one. */
bool mrs_lines_next_back(MrsLines *it, MrsStr *out)
{
    if (it->rest.len == 0)
        return false;
    size_t end = it->rest.len;
    bool ended = it->rest.ptr[end - 1] == '\n';
    if (ended)
        end--;
    size_t start = end;
    while (start > 0 && it->rest.ptr[start - 1] != '\n')
        start--;
    *out = (MrsStr){ it->rest.ptr + start, end - start };
    if (ended && out->len > 0 && out->ptr[out->len - 1] == '\r')
        out->len--;
    it->rest.len = start; /* (the '\n' before the line stays: it ends the one before) */
    return true;
}
