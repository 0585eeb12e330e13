/* diag.h — spans and diagnostics, printed in rustc's layout.
 *
 * Every phase reports through diag_error(); diagnostics are buffered and
 * printed by diag_flush() in source order (stable for equal positions).
 * See MINI-RUST.md section 4 for the codes and STYLE.md "Errors". */
#ifndef MRSC_DIAG_H
#define MRSC_DIAG_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

/* A span covers source bytes [lo, hi) of the one input file; line and col
 * (1-based, col counted in chars) locate lo. */
typedef struct Span {
    uint32_t lo;   /* byte offset of the first byte */
    uint32_t hi;   /* byte offset one past the last byte */
    uint32_t line; /* 1-based line of lo */
    uint32_t col;  /* 1-based column of lo, in chars */
} Span;

Span span_join(Span a, Span b); /* from a's start to b's end */

typedef enum DiagLevel {
    DIAG_ERROR,
    DIAG_WARNING,
} DiagLevel;

typedef struct Diag Diag;

typedef enum ErrorFormat {
    ERRFMT_HUMAN, /* rustc's default multi-line layout */
    ERRFMT_SHORT, /* FILE:LINE:COL: error[CODE]: message */
} ErrorFormat;

/* Set the source being compiled (the path is printed as given). */
void diag_init(const char *path, const char *src, size_t len);
void diag_set_format(ErrorFormat fmt);
void diag_set_color(bool on);

/* code may be NULL (syntax errors). The message is lowercase, without a
 * final period, identifiers in backticks. The primary label, if any, is
 * added with diag_label(d, span, ...) using the same span. */
Diag *diag_error(const char *code, Span span, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* Label under the primary span. */
void diag_primary_label(Diag *d, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/* Secondary label ("value moved here") at another span. */
void diag_label(Diag *d, Span span, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
void diag_note(Diag *d, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
void diag_help(Diag *d, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

int diag_error_count(void);
/* Was an error with this code reported at line:col (1-based)? (for the unit tests) */
bool diag_error_found(const char *code, uint32_t line, uint32_t col);
/* True when every error reported so far has one of `codes` (NULL-terminated). */
bool diag_errors_only(const char *const *codes);
/* A diagnostic that is dropped: for errors caused by earlier errors. */
Diag *diag_dummy(void);
/* Print the buffered diagnostics in source order to stderr, then the
 * "aborting due to N previous errors" trailer (human format). */
void diag_flush(void);

/* The source text a span covers (for assert!'s message). */
const char *diag_source_text(Span span);
/* The input's path as given on the command line (rustc's spelling in messages). */
const char *diag_file_name(void);

/* Map a byte offset to line/col (used by the lexer). */
Span diag_span_at(uint32_t lo, uint32_t hi);

#endif
