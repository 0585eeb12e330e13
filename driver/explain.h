/* explain.h — `mrsc --explain CODE`. */
#ifndef MRSC_EXPLAIN_H
#define MRSC_EXPLAIN_H

/* Print the explanation of an error code; returns 0, or 1 if unknown. */
int explain_code(const char *code);

#endif
