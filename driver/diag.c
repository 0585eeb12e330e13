/* diag.c — rustc-style diagnostics.
 *
 * requires: diag_init() with the source text; produces: buffered errors,
 * printed by diag_flush() in source order, in rustc's human layout
 *
 *     error[E0308]: mismatched types
 *      --> f.mrs:3:18
 *       |
 *     3 |     let x: i32 = "a";
 *       |            ---   ^^^ expected `i32`, found `&str`
 *
 * or, with --error-format=short, one line `f.mrs:3:18: error[E0308]: ...`. */
#include "diag.h"
#include "util.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

typedef struct Label {
    Span span;
    char *msg;
    bool primary;
} Label;

struct Diag {
    DiagLevel level;
    const char *code;
    Span span;
    char *msg;
    List labels; /* List of Label * */
    List notes;  /* List of char *: "note: ..." or "help: ..." */
    int seq;     /* report order, to keep the sort stable */
};

static const char *src_path = "<input>";
static const char *src_text = "";
static size_t src_len;
static ErrorFormat err_format = ERRFMT_HUMAN;
static bool use_color;
static List diags; /* List of Diag * */
static int nerrors;

const char *diag_file_name(void) { return src_path; }

void diag_init(const char *path, const char *src, size_t len)
{
    src_path = path;
    src_text = src;
    src_len = len;
    diags = (List){0};
    nerrors = 0;
}

void diag_set_format(ErrorFormat fmt) { err_format = fmt; }
void diag_set_color(bool on) { use_color = on; }

Span span_join(Span a, Span b)
{
    Span s = a;
    if (b.hi > s.hi)
        s.hi = b.hi;
    return s;
}

Span diag_span_at(uint32_t lo, uint32_t hi)
{
    Span s = {lo, hi, 1, 1};
    for (uint32_t i = 0; i < lo && i < src_len; i++) {
        unsigned char c = (unsigned char)src_text[i];
        if (c == '\n') {
            s.line++;
            s.col = 1;
        } else if ((c & 0xC0) != 0x80) {
            s.col++;
        }
    }
    return s;
}

const char *diag_source_text(Span span)
{
    if (span.hi > src_len || span.lo > span.hi)
        return "";
    return xstrndup(src_text + span.lo, span.hi - span.lo);
}

static char *vfmt(const char *fmt, va_list ap)
{
    va_list ap2;
    va_copy(ap2, ap);
    int n = vsnprintf(NULL, 0, fmt, ap2);
    va_end(ap2);
    char *p = arena_alloc(g_arena, (size_t)n + 1);
    vsnprintf(p, (size_t)n + 1, fmt, ap);
    return p;
}

Diag *diag_error(const char *code, Span span, const char *fmt, ...)
{
    Diag *d = NEW(Diag);
    d->level = DIAG_ERROR;
    d->code = code;
    d->span = span;
    va_list ap;
    va_start(ap, fmt);
    d->msg = vfmt(fmt, ap);
    va_end(ap);
    d->seq = diags.len;
    list_push(&diags, d);
    nerrors++;
    return d;
}

static void add_label(Diag *d, Span span, bool primary, char *msg)
{
    Label *l = NEW(Label);
    l->span = span;
    l->msg = msg;
    l->primary = primary;
    list_push(&d->labels, l);
}

void diag_primary_label(Diag *d, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    add_label(d, d->span, true, vfmt(fmt, ap));
    va_end(ap);
}

void diag_label(Diag *d, Span span, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    add_label(d, span, false, vfmt(fmt, ap));
    va_end(ap);
}

void diag_note(Diag *d, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    list_push(&d->notes, xprintf("note: %s", vfmt(fmt, ap)));
    va_end(ap);
}

void diag_help(Diag *d, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    list_push(&d->notes, xprintf("help: %s", vfmt(fmt, ap)));
    va_end(ap);
}

int diag_error_count(void) { return nerrors; }

bool diag_error_found(const char *code, uint32_t line, uint32_t col)
{
    for (int i = 0; i < diags.len; i++) {
        Diag *d = diags.items[i];
        if (d->level == DIAG_ERROR && d->code && !strcmp(d->code, code) && d->span.line == line && d->span.col == col)
            return true;
    }
    return false;
}

bool diag_errors_only(const char *const *codes)
{
    for (int i = 0; i < diags.len; i++) {
        Diag *d = diags.items[i];
        if (d->level != DIAG_ERROR)
            continue;
        bool ok = false;
        for (int k = 0; d->code && codes[k]; k++)
            ok |= !strcmp(d->code, codes[k]);
        if (!ok)
            return false;
    }
    return true;
}

Diag *diag_dummy(void)
{
    return NEW(Diag); /* never listed, never printed */
}

/* ---- rendering -------------------------------------------------------- */

#define C_RED "\033[1;31m"
#define C_BLUE "\033[1;34m"
#define C_BOLD "\033[1m"
#define C_OFF "\033[0m"

static const char *col(const char *c) { return use_color ? c : ""; }

/* Start offset and length of the source line containing byte `off`. */
static void line_bounds(uint32_t off, size_t *start, size_t *len)
{
    size_t s = off < src_len ? off : src_len;
    while (s > 0 && src_text[s - 1] != '\n')
        s--;
    size_t e = s;
    while (e < src_len && src_text[e] != '\n')
        e++;
    *start = s;
    *len = e - s;
}

/* Number of display columns in src[from, to) (chars; tabs count 4). */
static int width_of(size_t from, size_t to)
{
    int w = 0;
    for (size_t i = from; i < to && i < src_len; i++) {
        unsigned char c = (unsigned char)src_text[i];
        if (c == '\t')
            w += 4;
        else if ((c & 0xC0) != 0x80)
            w++;
    }
    return w;
}

static int digits(uint32_t n)
{
    int d = 1;
    while (n >= 10)
        n /= 10, d++;
    return d;
}

static void put_line_text(size_t start, size_t len)
{
    for (size_t i = start; i < start + len; i++) {
        if (src_text[i] == '\t')
            fputs("    ", stderr);
        else
            fputc(src_text[i], stderr);
    }
}

/* One source line with the underlines of the labels on it. */
/* The line after `line` (one that has labels), without labels of its own. */
static void render_plain_line(Diag *d, uint32_t line, int gutter)
{
    for (int i = 0; i < d->labels.len; i++) {
        Label *l = d->labels.items[i];
        if (l->span.line != line)
            continue;
        size_t start = 0, len = 0;
        line_bounds(l->span.lo, &start, &len);
        if (start + len + 1 >= src_len)
            return;
        size_t nstart = 0, nlen = 0;
        line_bounds((uint32_t)(start + len + 1), &nstart, &nlen);
        fprintf(stderr, "%s%*u |%s", col(C_BLUE), gutter, line + 1, col(C_OFF));
        if (nlen) {
            fputc(' ', stderr);
            put_line_text(nstart, nlen);
        }
        fputc('\n', stderr);
        return;
    }
}

static void render_line(Diag *d, uint32_t line, int gutter)
{
    Label *on_line[16];
    int n = 0;
    size_t start = 0, len = 0;
    for (int i = 0; i < d->labels.len && n < 16; i++) {
        Label *l = d->labels.items[i];
        if (l->span.line == line)
            on_line[n++] = l;
    }
    if (n == 0)
        return;
    line_bounds(on_line[0]->span.lo, &start, &len);
    fprintf(stderr, "%s%*u |%s ", col(C_BLUE), gutter, line, col(C_OFF));
    put_line_text(start, len);
    fputc('\n', stderr);
    /* Sort the labels on this line by column, rightmost last. */
    for (int i = 1; i < n; i++)
        for (int j = i; j > 0 && on_line[j - 1]->span.lo > on_line[j]->span.lo; j--) {
            Label *t = on_line[j];
            on_line[j] = on_line[j - 1];
            on_line[j - 1] = t;
        }
    /* Underline row: every label's marks; the rightmost label's message
     * goes on the same row, the others on rows below (rustc's layout). */
    char row[1024];
    int rowlen = 0;
    for (int i = 0; i < n; i++) {
        Label *l = on_line[i];
        int c0 = width_of(start, l->span.lo);
        size_t end = l->span.hi;
        if (end > start + len)
            end = start + len;
        int w = end > l->span.lo ? width_of(l->span.lo, end) : 1;
        if (w < 1)
            w = 1;
        while (rowlen < c0 + w && rowlen < (int)sizeof row - 1)
            row[rowlen++] = ' ';
        for (int k = c0; k < c0 + w && k < (int)sizeof row - 1; k++)
            if (row[k] != '^') /* a primary label's marks win where labels overlap */
                row[k] = l->primary ? '^' : '-';
    }
    row[rowlen] = '\0';
    /* Labels starting at the same column as the rightmost one stack their
     * messages below the marks, in the order they were added. */
    int group = n - 1;
    while (group > 0 && on_line[group - 1]->span.lo == on_line[n - 1]->span.lo)
        group--;
    Label *last = on_line[n - 1];
    fprintf(stderr, "%s%*s |%s ", col(C_BLUE), gutter, "", col(C_OFF));
    fprintf(stderr, "%s%s", col(last->primary ? C_RED : C_BLUE), row);
    if (group == n - 1 && last->msg && *last->msg)
        fprintf(stderr, " %s", last->msg);
    fprintf(stderr, "%s\n", col(C_OFF));
    if (group < n - 1) {
        int c0 = width_of(start, last->span.lo);
        fprintf(stderr, "%s%*s |%s %*s%s|%s\n", col(C_BLUE), gutter, "", col(C_OFF), c0, "", col(C_RED), col(C_OFF));
        for (int i = group; i < n; i++)
            if (on_line[i]->msg && *on_line[i]->msg)
                fprintf(stderr, "%s%*s |%s %*s%s%s%s\n", col(C_BLUE), gutter, "", col(C_OFF), c0, "",
                        col(on_line[i]->primary ? C_RED : C_BLUE), on_line[i]->msg, col(C_OFF));
    }
    for (int i = group - 1; i >= 0; i--) {
        Label *l = on_line[i];
        if (!l->msg || !*l->msg)
            continue;
        int c0 = width_of(start, l->span.lo);
        fprintf(stderr, "%s%*s |%s %*s%s|%s\n", col(C_BLUE), gutter, "", col(C_OFF), c0, "",
                col(l->primary ? C_RED : C_BLUE), col(C_OFF));
        fprintf(stderr, "%s%*s |%s %*s%s%s%s\n", col(C_BLUE), gutter, "", col(C_OFF), c0, "",
                col(l->primary ? C_RED : C_BLUE), l->msg, col(C_OFF));
    }
}

static void render_human(Diag *d)
{
    const char *lvl = d->level == DIAG_ERROR ? "error" : "warning";
    fprintf(stderr, "%s%s", col(C_RED), lvl);
    if (d->code)
        fprintf(stderr, "[%s]", d->code);
    fprintf(stderr, "%s%s: %s%s\n", col(C_OFF), col(C_BOLD), d->msg, col(C_OFF));
    /* The primary span always gets underlined, even without a message. */
    bool has_primary = false;
    uint32_t maxline = d->span.line;
    for (int i = 0; i < d->labels.len; i++) {
        Label *l = d->labels.items[i];
        has_primary |= l->primary;
        if (l->span.line > maxline)
            maxline = l->span.line;
    }
    if (!has_primary)
        add_label(d, d->span, true, "");
    int gutter = digits(maxline);
    fprintf(stderr, "%*s%s-->%s %s:%u:%u\n", gutter, "", col(C_BLUE), col(C_OFF), src_path,
            d->span.line, d->span.col);
    fprintf(stderr, "%s%*s |%s\n", col(C_BLUE), gutter, "", col(C_OFF));
    /* Lines in order, each once; "..." between distant ones (a single line between is shown). */
    uint32_t lines[64];
    int nl = 0;
    for (int i = 0; i < d->labels.len && nl < 64; i++) {
        uint32_t ln = ((Label *)d->labels.items[i])->span.line;
        bool seen = false;
        for (int k = 0; k < nl; k++)
            seen |= lines[k] == ln;
        if (!seen)
            lines[nl++] = ln;
    }
    for (int i = 1; i < nl; i++)
        for (int j = i; j > 0 && lines[j - 1] > lines[j]; j--) {
            uint32_t t = lines[j];
            lines[j] = lines[j - 1];
            lines[j - 1] = t;
        }
    for (int i = 0; i < nl; i++) {
        if (i > 0 && lines[i] == lines[i - 1] + 2) /* one line between: shown, as rustc does */
            render_plain_line(d, lines[i - 1], gutter);
        else if (i > 0 && lines[i] > lines[i - 1] + 1)
            fprintf(stderr, "%s...%s\n", col(C_BLUE), col(C_OFF));
        render_line(d, lines[i], gutter);
    }
    if (d->notes.len) {
        fprintf(stderr, "%s%*s |%s\n", col(C_BLUE), gutter, "", col(C_OFF));
        for (int i = 0; i < d->notes.len; i++)
            fprintf(stderr, "%s%*s =%s %s\n", col(C_BLUE), gutter, "", col(C_OFF),
                    (char *)d->notes.items[i]);
    }
    fputc('\n', stderr);
}

static void render_short(Diag *d)
{
    fprintf(stderr, "%s:%u:%u: %s", src_path, d->span.line, d->span.col,
            d->level == DIAG_ERROR ? "error" : "warning");
    if (d->code)
        fprintf(stderr, "[%s]", d->code);
    fprintf(stderr, ": %s\n", d->msg);
}

static int cmp_diag(const void *a, const void *b)
{
    const Diag *x = *(Diag *const *)a, *y = *(Diag *const *)b;
    if (x->span.lo != y->span.lo)
        return x->span.lo < y->span.lo ? -1 : 1;
    return x->seq - y->seq;
}

void diag_flush(void)
{
    if (diags.len == 0)
        return;
    qsort(diags.items, (size_t)diags.len, sizeof(void *), cmp_diag);
    /* Past a construct mrsc does not support, other errors are mostly its
     * consequences (an unknown type parameter, a mismatch with what could not be
     * typed): only the "not supported" reports are kept from there on. */
    int keep = 0;
    bool past_unsupported = false;
    for (int i = 0; i < diags.len; i++) {
        Diag *d = diags.items[i];
        bool unsupported = !d->code && strstr(d->msg, "not supported by mrsc");
        if (past_unsupported && !unsupported && d->level == DIAG_ERROR) {
            nerrors--;
            continue;
        }
        past_unsupported |= unsupported;
        diags.items[keep++] = d;
    }
    diags.len = keep;
    const char *codes[64];
    int ncodes = 0;
    for (int i = 0; i < diags.len; i++) {
        Diag *d = diags.items[i];
        if (err_format == ERRFMT_SHORT)
            render_short(d);
        else
            render_human(d);
        bool seen = !d->code;
        for (int k = 0; k < ncodes && !seen; k++)
            seen = strcmp(codes[k], d->code) == 0;
        if (!seen && ncodes < 64)
            codes[ncodes++] = d->code;
    }
    if (nerrors > 0) {
        if (nerrors == 1)
            fprintf(stderr, "%serror%s%s: aborting due to 1 previous error%s\n", col(C_RED), col(C_OFF),
                    col(C_BOLD), col(C_OFF));
        else
            fprintf(stderr, "%serror%s%s: aborting due to %d previous errors%s\n", col(C_RED), col(C_OFF),
                    col(C_BOLD), nerrors, col(C_OFF));
        if (err_format == ERRFMT_HUMAN) {
            if (ncodes == 1)
                fprintf(stderr, "\nFor more information about this error, try `mrsc --explain %s`.\n", codes[0]);
            else if (ncodes > 1)
                fprintf(stderr, "\nSome errors have detailed explanations: see `mrsc --explain CODE`.\n");
        }
    }
    diags = (List){0};
}
