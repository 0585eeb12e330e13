/* fmtstr.c — format strings of println!/format!/panic!/write! and friends.
 *
 * requires: the macro's string literal (unescaped) and its explicit
 * argument count; produces: FmtPieces (literal text and argument slots with
 * their spec), resolving implicit `{name}` arguments through a callback.
 * Grammar (std::fmt): '{' [arg] [':' [[fill]align][sign]['#']['0'][width]['.' precision][type]] '}'. */
#include "sema.h"

#include <ctype.h>
#include <string.h>

/* The span of the byte at offset `off` of the literal's contents: the
 * literal starts with a quote (raw strings are not adjusted precisely). */
static Span piece_span(Expr *lit, size_t off)
{
    Span s = lit->span;
    s.lo += 1 + (uint32_t)off;
    s.col += 1 + (uint32_t)off;
    s.hi = s.lo + 1;
    return s;
}

static void add_lit(FmtCall *out, const char *s, size_t n)
{
    if (n == 0)
        return;
    FmtPiece *last = out->pieces.len ? out->pieces.items[out->pieces.len - 1] : NULL;
    if (last && last->lit) {
        char *joined = arena_alloc(g_arena, last->lit_len + n + 1);
        memcpy(joined, last->lit, last->lit_len);
        memcpy(joined + last->lit_len, s, n);
        last->lit = joined;
        last->lit_len += n;
        return;
    }
    FmtPiece *p = NEW(FmtPiece);
    p->lit = xstrndup(s, n);
    p->lit_len = n;
    list_push(&out->pieces, p);
}

static bool is_ident_start(char ch) { return isalpha((unsigned char)ch) || ch == '_'; }
static bool is_ident_char(char ch) { return isalnum((unsigned char)ch) || ch == '_'; }

/* An argument reference: a number, or an identifier (named/implicit). */
static int parse_argref(const char *s, size_t *i, size_t end, int *next_pos, int nexplicit, Expr *lit,
                        FmtNameLookup lookup, void *ctx, bool *ok)
{
    (void)next_pos;
    size_t start = *i;
    if (*i < end && isdigit((unsigned char)s[*i])) {
        int n = 0;
        while (*i < end && isdigit((unsigned char)s[*i]))
            n = n * 10 + (s[(*i)++] - '0');
        if (n >= nexplicit) {
            diag_error(NULL, piece_span(lit, start), "invalid reference to positional argument %d (%s)", n,
                       nexplicit == 0 ? "no arguments were given"
                       : nexplicit == 1 ? "there is 1 argument"
                                        : xprintf("there are %d arguments", nexplicit));
            *ok = false;
            return 0;
        }
        return n;
    }
    if (*i < end && is_ident_start(s[*i])) {
        while (*i < end && is_ident_char(s[*i]))
            (*i)++;
        char *name = xstrndup(s + start, *i - start);
        int k = lookup(ctx, name, piece_span(lit, start));
        if (k < 0)
            *ok = false;
        return k < 0 ? 0 : k;
    }
    return -1;
}

static int parse_count(const char *s, size_t *i, size_t end, int *arg, int nexplicit, Expr *lit,
                       FmtNameLookup lookup, void *ctx, bool *ok)
{
    /* width/precision: N, or N$ / name$ referring to an argument */
    size_t save = *i;
    *arg = -1;
    if (*i < end && isdigit((unsigned char)s[*i])) {
        int n = 0;
        while (*i < end && isdigit((unsigned char)s[*i]))
            n = n * 10 + (s[(*i)++] - '0');
        if (*i < end && s[*i] == '$') {
            (*i)++;
            if (n >= nexplicit) {
                diag_error(NULL, piece_span(lit, save), "invalid reference to positional argument %d", n);
                *ok = false;
            }
            *arg = n;
            return -1;
        }
        return n;
    }
    if (*i < end && is_ident_start(s[*i])) {
        size_t j = *i;
        while (j < end && is_ident_char(s[j]))
            j++;
        if (j < end && s[j] == '$') {
            char *name = xstrndup(s + *i, j - *i);
            int k = lookup(ctx, name, piece_span(lit, *i));
            if (k < 0)
                *ok = false;
            *arg = k;
            *i = j + 1;
            return -1;
        }
    }
    return -1;
}

static size_t utf8_decode(const char *s, size_t i, size_t end, uint32_t *cp)
{
    unsigned char c = (unsigned char)s[i];
    int n = c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
    if (i + (size_t)n > end)
        n = 1;
    uint32_t v = n == 1 ? c : n == 2 ? c & 0x1F : n == 3 ? c & 0x0F : c & 0x07;
    for (int k = 1; k < n; k++)
        v = (v << 6) | ((unsigned char)s[i + (size_t)k] & 0x3F);
    *cp = v;
    return (size_t)n;
}

bool fmt_parse(Expr *lit, int nexplicit, FmtCall *out, FmtNameLookup lookup, void *ctx)
{
    const char *s = lit->str;
    size_t end = lit->str_len, i = 0, run = 0;
    int next_pos = 0;
    bool ok = true;
    bool *used = arena_alloc(g_arena, (size_t)nexplicit + 1);
    while (i < end) {
        char ch = s[i];
        if (ch == '}') {
            if (i + 1 < end && s[i + 1] == '}') {
                add_lit(out, s + run, i + 1 - run);
                i += 2;
                run = i;
                continue;
            }
            Diag *d = diag_error(NULL, piece_span(lit, i), "invalid format string: unmatched `}` found");
            diag_primary_label(d, "unmatched `}` in format string");
            diag_note(d, "if you intended to print `}`, you can escape it using `}}`");
            return false;
        }
        if (ch != '{') {
            i++;
            continue;
        }
        if (i + 1 < end && s[i + 1] == '{') {
            add_lit(out, s + run, i + 1 - run);
            i += 2;
            run = i;
            continue;
        }
        add_lit(out, s + run, i - run);
        size_t open = i++;
        FmtPiece *p = NEW(FmtPiece);
        p->fill = ' ';
        p->width = p->precision = -1;
        p->width_arg = p->precision_arg = -1;
        while (i < end && s[i] == ' ')
            i++;
        int arg = parse_argref(s, &i, end, &next_pos, nexplicit, lit, lookup, ctx, &ok);
        bool implicit = arg < 0;
        if (implicit)
            arg = next_pos++;
        while (i < end && s[i] == ' ')
            i++;
        if (i < end && s[i] == ':') {
            i++;
            /* [[fill]align] */
            uint32_t cp;
            size_t n = i < end ? utf8_decode(s, i, end, &cp) : 0;
            if (i + n < end && (s[i + n] == '<' || s[i + n] == '>' || s[i + n] == '^') && s[i] != '}') {
                p->fill = cp;
                p->align = s[i + n];
                i += n + 1;
            } else if (i < end && (s[i] == '<' || s[i] == '>' || s[i] == '^')) {
                p->align = s[i++];
            }
            if (i < end && (s[i] == '+' || s[i] == '-'))
                p->sign = s[i++] == '+' ? '+' : 0;
            if (i < end && s[i] == '#')
                p->alternate = true, i++;
            if (i < end && s[i] == '0' && !(i + 1 < end && s[i + 1] == '$'))
                p->zero_pad = true, i++;
            p->width = parse_count(s, &i, end, &p->width_arg, nexplicit, lit, lookup, ctx, &ok);
            if (i < end && s[i] == '.') {
                i++;
                if (i < end && s[i] == '*') {
                    /* `.*` takes two arguments: the precision first, then the value */
                    i++;
                    if (implicit) {
                        p->precision_arg = arg;
                        arg = next_pos++;
                    } else {
                        p->precision_arg = next_pos++;
                    }
                } else {
                    p->precision = parse_count(s, &i, end, &p->precision_arg, nexplicit, lit, lookup, ctx, &ok);
                }
            }
            /* type */
            if (i < end && s[i] == '?') {
                p->trait = FT_DEBUG, i++;
            } else if (i + 1 < end && (s[i] == 'x' || s[i] == 'X') && s[i + 1] == '?') {
                /* (Debug with integers in hex: was formatted as `{:?}`, silently) */
                diag_error(NULL, piece_span(lit, i), "`{:%c?}` (Debug with hexadecimal integers) is not supported by mrsc yet",
                           s[i]);
                ok = false;
                p->trait = FT_DEBUG, i += 2;
            } else if (i < end && s[i] != '}') {
                switch (s[i]) {
                case 'x': p->trait = FT_LOWER_HEX; break;
                case 'X': p->trait = FT_UPPER_HEX; break;
                case 'o': p->trait = FT_OCTAL; break;
                case 'b': p->trait = FT_BINARY; break;
                case 'e': p->trait = FT_LOWER_EXP; break;
                case 'E': p->trait = FT_UPPER_EXP; break;
                default: {
                    diag_error(NULL, piece_span(lit, i), "unknown format trait `%c`", s[i]);
                    ok = false;
                }
                }
                i++;
            }
        }
        while (i < end && s[i] == ' ')
            i++;
        if (i >= end || s[i] != '}') {
            Diag *d = diag_error(NULL, piece_span(lit, open), "invalid format string: expected `}`, found `%s`",
                                 i < end ? xstrndup(s + i, 1) : "end of string");
            (void)d;
            return false;
        }
        i++;
        run = i;
        p->arg = arg;
        if (arg < nexplicit)
            used[arg] = true;
        else if (arg >= out->args.len) {
            diag_error(NULL, piece_span(lit, open), "%d positional argument%s in format string, but %s",
                       arg + 1, arg ? "s" : "",
                       nexplicit == 0 ? "no arguments were given"
                       : nexplicit == 1 ? "there is 1 argument"
                                        : xprintf("there are %d arguments", nexplicit));
            return false;
        }
        if (p->width_arg >= 0 && p->width_arg < nexplicit)
            used[p->width_arg] = true;
        if (p->precision_arg >= 0 && p->precision_arg < nexplicit)
            used[p->precision_arg] = true;
        list_push(&out->pieces, p);
    }
    add_lit(out, s + run, end - run);
    for (int k = 0; k < nexplicit && ok; k++)
        if (!used[k]) {
            Expr *a = out->args.items[k];
            Diag *d = diag_error(NULL, a->span, "argument never used");
            diag_label(d, lit->span, "formatting specifier missing");
            ok = false;
        }
    return ok;
}
