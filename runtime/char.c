/* char.c — Rust's char methods on Unicode scalar values (uint32_t).
 *
 * The ASCII methods are exact. The Unicode properties (alphabetic, numeric, case,
 * whitespace, printable, grapheme-extend) use small range tables that are exact for ASCII,
 * Latin-1, Latin Extended-A, Greek and Cyrillic and cover the main letter and digit
 * blocks beyond (CJK, kana, Hangul, Hebrew, Arabic, Devanagari); rarer scripts may differ
 * from Rust's full Unicode tables. Case mapping covers the same ranges as mrs_rt.h says. */
#include "mrs_rt.h"

typedef struct Range {
    uint32_t lo, hi; /* inclusive */
} Range;

static bool in_ranges(uint32_t c, const Range *r, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (c >= r[i].lo && c <= r[i].hi)
            return true;
    return false;
}
#define IN(c, table) in_ranges((c), (table), sizeof(table) / sizeof((table)[0]))

/* ---- ASCII */

bool mrs_char_is_ascii(uint32_t c) { return c < 0x80; }
bool mrs_char_is_ascii_uppercase(uint32_t c) { return c >= 'A' && c <= 'Z'; }
bool mrs_char_is_ascii_lowercase(uint32_t c) { return c >= 'a' && c <= 'z'; }
bool mrs_char_is_ascii_alphabetic(uint32_t c)
{
    return mrs_char_is_ascii_uppercase(c) || mrs_char_is_ascii_lowercase(c);
}
bool mrs_char_is_ascii_digit(uint32_t c) { return c >= '0' && c <= '9'; }
bool mrs_char_is_ascii_alphanumeric(uint32_t c)
{
    return mrs_char_is_ascii_alphabetic(c) || mrs_char_is_ascii_digit(c);
}
/* Rust's is_ascii_whitespace excludes U+000B (vertical tab) */
bool mrs_char_is_ascii_whitespace(uint32_t c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\f' || c == '\r';
}
bool mrs_char_is_ascii_graphic(uint32_t c) { return c > 0x20 && c < 0x7F; }
bool mrs_char_is_ascii_punctuation(uint32_t c)
{
    return mrs_char_is_ascii_graphic(c) && !mrs_char_is_ascii_alphanumeric(c);
}
bool mrs_char_is_ascii_hexdigit(uint32_t c)
{
    return mrs_char_is_ascii_digit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}
bool mrs_char_is_ascii_control(uint32_t c) { return c < 0x20 || c == 0x7F; }
uint32_t mrs_char_to_ascii_uppercase(uint32_t c) { return mrs_char_is_ascii_lowercase(c) ? c - 32 : c; }
uint32_t mrs_char_to_ascii_lowercase(uint32_t c) { return mrs_char_is_ascii_uppercase(c) ? c + 32 : c; }
bool mrs_char_eq_ignore_ascii_case(uint32_t a, uint32_t b)
{
    return mrs_char_to_ascii_lowercase(a) == mrs_char_to_ascii_lowercase(b);
}

/* ---- Unicode properties */

static const Range whitespace[] = {
    { 0x09, 0x0D }, { 0x20, 0x20 }, { 0x85, 0x85 }, { 0xA0, 0xA0 }, { 0x1680, 0x1680 },
    { 0x2000, 0x200A }, { 0x2028, 0x2029 }, { 0x202F, 0x202F }, { 0x205F, 0x205F },
    { 0x3000, 0x3000 },
};

static const Range alphabetic[] = {
    { 'A', 'Z' }, { 'a', 'z' }, { 0xAA, 0xAA }, { 0xB5, 0xB5 }, { 0xBA, 0xBA },
    { 0xC0, 0xD6 }, { 0xD8, 0xF6 }, { 0xF8, 0x2C1 }, { 0x2C6, 0x2D1 }, { 0x2E0, 0x2E4 },
    { 0x2EC, 0x2EC }, { 0x2EE, 0x2EE }, { 0x345, 0x345 }, { 0x370, 0x374 }, { 0x376, 0x377 },
    { 0x37A, 0x37D }, { 0x37F, 0x37F }, { 0x386, 0x386 }, { 0x388, 0x38A }, { 0x38C, 0x38C },
    { 0x38E, 0x3A1 }, { 0x3A3, 0x3F5 }, { 0x3F7, 0x481 }, { 0x48A, 0x52F }, { 0x531, 0x556 },
    { 0x560, 0x588 }, { 0x5D0, 0x5EA }, { 0x620, 0x64A }, { 0x904, 0x939 }, { 0x1E00, 0x1FBC },
    { 0x2160, 0x2188 }, { 0x24B6, 0x24E9 }, { 0x3041, 0x3096 }, { 0x30A1, 0x30FA }, { 0x3400, 0x4DBF }, { 0x4E00, 0x9FFF },
    { 0xAC00, 0xD7A3 }, { 0xFF21, 0xFF3A }, { 0xFF41, 0xFF5A },
};

static const Range numeric[] = {
    { '0', '9' }, { 0xB2, 0xB3 }, { 0xB9, 0xB9 }, { 0xBC, 0xBE }, { 0x660, 0x669 },
    { 0x6F0, 0x6F9 }, { 0x966, 0x96F }, { 0x2070, 0x2070 }, { 0x2074, 0x2079 },
    { 0x2080, 0x2089 }, { 0x2150, 0x2182 }, { 0x2185, 0x2189 }, { 0x2460, 0x249B },
    { 0x24EA, 0x24FF }, { 0x2776, 0x2793 }, { 0x3007, 0x3007 }, { 0xFF10, 0xFF19 },
};

bool mrs_char_is_whitespace_slow(uint32_t c) { return IN(c, whitespace); }
bool mrs_char_is_alphabetic_slow(uint32_t c) { return IN(c, alphabetic); }
bool mrs_char_is_numeric_slow(uint32_t c) { return IN(c, numeric); }
bool mrs_char_is_alphanumeric_slow(uint32_t c) { return mrs_char_is_alphabetic_slow(c) || mrs_char_is_numeric_slow(c); }
bool mrs_char_is_control(uint32_t c) { return c < 0x20 || (c >= 0x7F && c <= 0x9F); }

/* ---- case */

/* In the paired blocks of Latin Extended-A, Cyrillic and Greek, an uppercase letter is
 * followed by its lowercase one; `even_upper` tells which parity is the uppercase. */
typedef struct Pairs {
    uint32_t lo, hi;
    bool even_upper;
} Pairs;

static const Pairs pairs[] = {
    { 0x100, 0x12F, true }, { 0x132, 0x137, true }, { 0x139, 0x148, false },
    { 0x14A, 0x177, true }, { 0x179, 0x17E, false }, { 0x3D8, 0x3EF, true },
    { 0x460, 0x481, true }, { 0x48A, 0x4BF, true }, { 0x4C1, 0x4CE, false },
    { 0x4D0, 0x52F, true },
    /* Latin Extended-B and Latin Extended Additional (Vietnamese) */
    { 0x1CD, 0x1DC, false }, { 0x1DE, 0x1EF, true }, { 0x1F8, 0x21F, true }, { 0x222, 0x233, true },
    { 0x246, 0x24F, true }, { 0x1E00, 0x1E95, true }, { 0x1EA0, 0x1EFF, true },
};

/* The digraphs DŽ Dž dž, LJ Lj lj, NJ Nj nj, DZ Dz dz: upper, title and lower case in a row;
 * the first of its triple, or 0. */
static uint32_t digraph(uint32_t c)
{
    if (c >= 0x1C4 && c <= 0x1CC)
        return 0x1C4 + (c - 0x1C4) / 3 * 3;
    if (c >= 0x1F1 && c <= 0x1F3)
        return 0x1F1;
    return 0;
}
static bool titlecase(uint32_t c) { return digraph(c) && c == digraph(c) + 1; }

static const Pairs *find_pair(uint32_t c)
{
    for (size_t i = 0; i < sizeof pairs / sizeof pairs[0]; i++)
        if (c >= pairs[i].lo && c <= pairs[i].hi)
            return &pairs[i];
    return NULL;
}

uint32_t mrs_char_to_uppercase(uint32_t c)
{
    if (c < 0x80)
        return mrs_char_to_ascii_uppercase(c);
    if (c == 0xB5) return 0x39C;                 /* µ -> Μ */
    if (c == 0xFF) return 0x178;                 /* ÿ -> Ÿ */
    if ((c >= 0xE0 && c <= 0xFE) && c != 0xF7) return c - 0x20;
    if (c == 0x131) return 'I';                  /* dotless ı */
    if (c == 0x17F) return 'S';                  /* long s */
    if (digraph(c)) return digraph(c);
    const Pairs *p = find_pair(c);
    if (p != NULL)
        return ((c & 1) == 0) == p->even_upper ? c : c - 1;
    if (c == 0x3C2) return 0x3A3;                /* final sigma */
    if ((c >= 0x3B1 && c <= 0x3C1) || (c >= 0x3C3 && c <= 0x3CB)) return c - 0x20;
    if (c == 0x3AC) return 0x386;
    if (c >= 0x3AD && c <= 0x3AF) return c - 0x25;
    if (c == 0x3CC) return 0x38C;
    if (c >= 0x3CD && c <= 0x3CE) return c - 0x3F;
    if (c >= 0x430 && c <= 0x44F) return c - 0x20;
    if (c >= 0x450 && c <= 0x45F) return c - 0x50;
    if (c == 0x4CF) return 0x4C0;
    return c;
}

uint32_t mrs_char_to_lowercase(uint32_t c)
{
    if (c < 0x80)
        return mrs_char_to_ascii_lowercase(c);
    if (c == 0x178) return 0xFF;
    if ((c >= 0xC0 && c <= 0xDE) && c != 0xD7) return c + 0x20;
    if (digraph(c)) return digraph(c) + 2;
    const Pairs *p = find_pair(c);
    if (p != NULL)
        return ((c & 1) == 0) == p->even_upper ? c + 1 : c;
    if ((c >= 0x391 && c <= 0x3A1) || (c >= 0x3A3 && c <= 0x3AB)) return c + 0x20;
    if (c == 0x386) return 0x3AC;
    if (c >= 0x388 && c <= 0x38A) return c + 0x25;
    if (c == 0x38C) return 0x3CC;
    if (c >= 0x38E && c <= 0x38F) return c + 0x3F;
    if (c >= 0x410 && c <= 0x42F) return c + 0x20;
    if (c >= 0x400 && c <= 0x40F) return c + 0x50;
    if (c == 0x4C0) return 0x4CF;
    return c;
}

size_t mrs_char_to_uppercase_full(uint32_t c, uint32_t out[3])
{
    if (c == 0xDF) { out[0] = 'S'; out[1] = 'S'; return 2; }        /* ß -> SS */
    if (c == 0x149) { out[0] = 0x2BC; out[1] = 'N'; return 2; }     /* ŉ -> ʼN */
    out[0] = mrs_char_to_uppercase(c);
    return 1;
}

size_t mrs_char_to_lowercase_full(uint32_t c, uint32_t out[3])
{
    if (c == 0x130) { out[0] = 'i'; out[1] = 0x307; return 2; }     /* İ -> i̇ */
    out[0] = mrs_char_to_lowercase(c);
    return 1;
}

bool mrs_char_is_lowercase_slow(uint32_t c)
{
    if (c == 0xAA || c == 0xBA || c == 0xDF || c == 0x138 || c == 0x149 || c == 0x390 ||
        c == 0x3B0)
        return true;
    return mrs_char_is_alphabetic(c) && !titlecase(c) && mrs_char_to_uppercase(c) != c;
}

bool mrs_char_is_uppercase_slow(uint32_t c)
{
    return mrs_char_is_alphabetic(c) && !titlecase(c) && mrs_char_to_lowercase(c) != c;
}

/* ---- digits and conversions */

bool mrs_char_to_digit(uint32_t c, uint32_t radix, uint32_t *out)
{
    uint32_t d;
    if (c >= '0' && c <= '9')
        d = c - '0';
    else if (c >= 'a' && c <= 'z')
        d = c - 'a' + 10;
    else if (c >= 'A' && c <= 'Z')
        d = c - 'A' + 10;
    else
        return false;
    if (d >= radix)
        return false;
    *out = d;
    return true;
}

bool mrs_char_is_digit(uint32_t c, uint32_t radix)
{
    uint32_t d;
    return mrs_char_to_digit(c, radix, &d);
}

bool mrs_char_from_digit(uint32_t d, uint32_t radix, uint32_t *out)
{
    if (d >= radix)
        return false;
    *out = d < 10 ? '0' + d : 'a' + d - 10;
    return true;
}

bool mrs_char_from_u32(uint32_t v, uint32_t *out)
{
    if (v > 0x10FFFF || (v >= 0xD800 && v <= 0xDFFF))
        return false;
    *out = v;
    return true;
}

size_t mrs_char_len_utf8(uint32_t c)
{
    return c < 0x80 ? 1 : c < 0x800 ? 2 : c < 0x10000 ? 3 : 4;
}
