/* lexer.h — the scanner's contract.
 *
 * requires: the source text; produces: tokens with spans (Span) for the
 * parser, and a token dump for `--emit=tokens`. The scanner itself is
 * generated from lexer.l (reentrant, bison-bridge, bison-locations); its
 * token numbers and YYSTYPE come from the parser's header (parser/parser.h).
 *
 * Composite tokens. The scanner is context free: `>>`, `>=`, `>>=`, `<<`,
 * `<=`, `<<=`, `&&`, `||` are always single tokens. The parser splits one
 * into its first character and the rest when its current state accepts the
 * first character but not the whole token (so `Vec<Vec<i32>>` closes two
 * generic lists, `&&x` is two borrows and `|| e` is a closure), see
 * parser.y "token feed". */
#ifndef MRSC_LEXER_H
#define MRSC_LEXER_H

#include <stdio.h>
#include <stddef.h>

#ifndef YY_TYPEDEF_YY_SCANNER_T
#define YY_TYPEDEF_YY_SCANNER_T
typedef void *yyscan_t;
#endif

/* --emit=tokens: one token per line, "LINE:COL KIND text" where KIND is
 * KEYWORD, IDENT, LIFETIME, INT, FLOAT, CHAR, BYTE, STR, BYTE_STR or PUNCT.
 * Bad tokens are reported through diag. Returns the number of tokens. */
int lex_dump_tokens(FILE *out, const char *src, size_t len);

/* A scanner over src[0..len) (the text is copied). Lexical errors are
 * reported through diag as they are met; the scanner continues after them. */
yyscan_t lex_open(const char *src, size_t len);
void lex_close(yyscan_t scanner);

/* The span of the end of input, placed as rustc places it: a final newline
 * does not start a new line. */
struct Span;
void lex_eof_span(yyscan_t scanner, struct Span *out);

#endif
