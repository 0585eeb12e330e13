/* io.c — stdout and stderr for print!/println!/eprint!/eprintln!.
 *
 * Rust's stdout is a LineWriter: each write flushes everything up to its last '\n' and
 * keeps the rest buffered; stderr is unbuffered. Writing through stdio with an explicit
 * fflush at the same points gives the same interleaving when both go to one file. */
#include "mrs_rt.h" /* first: it sets the POSIX level the others see */
#include <stdio.h>


void mrs_print_stdout(MrsStr s)
{
    size_t nl = s.len;
    while (nl > 0 && s.ptr[nl - 1] != '\n')
        nl--;
    flockfile(stdout); /* one print! at a time, as Rust's stdout lock */
    if (nl > 0) {
        fwrite(s.ptr, 1, nl, stdout);
        fflush(stdout);
    }
    if (nl < s.len)
        fwrite(s.ptr + nl, 1, s.len - nl, stdout);
    funlockfile(stdout);
}

void mrs_print_stderr(MrsStr s)
{
    if (s.len > 0)
        fwrite(s.ptr, 1, s.len, stderr);
    fflush(stderr);
}

void mrs_print_string(MrsString *s)
{
    mrs_print_stdout(mrs_string_as_str(s));
    mrs_string_drop(s);
}

void mrs_eprint_string(MrsString *s)
{
    mrs_print_stderr(mrs_string_as_str(s));
    mrs_string_drop(s);
}

void mrs_flush_stdout(void)
{
    fflush(stdout);
}
