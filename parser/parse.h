/* parse.h — the parser's contract.
 *
 * requires: the source text (diag_init already called with it);
 * produces: a Crate (ast.h) with spans on every node. Syntax errors are
 * reported through diag with rustc's wording; the parser recovers at
 * closing brackets and item boundaries so one run reports several. */
#ifndef MRSC_PARSE_H
#define MRSC_PARSE_H

#include "ast.h"

/* Never returns NULL: on syntax errors the crate holds what was parsed and
 * diag_error_count() is nonzero. */
Crate *parse_crate(const char *src, size_t len);

#endif
