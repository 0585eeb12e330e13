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

/* The buffer println! formats into: the one the thread's last print gave back (emptied),
 * else a new one; a print inside a Display impl called by a print gets a new one. */
static _Thread_local MrsString spare;

MrsString mrs_print_buf(void)
{
    MrsString s = spare;
    spare = mrs_string_new();
    s.len = 0;
    return s;
}

void mrs_print_buf_free(void)
{
    mrs_string_drop(&spare);
}

static void give_back(MrsString *s)
{
    if (spare.ptr == NULL && s->cap <= 4096) { /* (a huge one is freed) */
        spare = *s;
        *s = mrs_string_new();
    } else {
        mrs_string_drop(s);
    }
}

void mrs_print_string(MrsString *s)
{
    mrs_print_stdout(mrs_string_as_str(s));
    give_back(s);
}

void mrs_eprint_string(MrsString *s)
{
    mrs_print_stderr(mrs_string_as_str(s));
    give_back(s);
}

void mrs_flush_stdout(void)
{
    fflush(stdout);
    mrs_print_buf_free(); /* (the program is ending) */
}
