/* main.c — the mrsc driver: the pipeline as a flat list of phases.
 *
 *   read -> lex/parse -> sema (names, types) -> borrowck (moves) -> codegen (C) -> $CC
 *
 * A phase that reported errors stops the pipeline; the diagnostics are
 * printed in source order and mrsc exits 1 without leaving an output file.
 * Command line: MINI-RUST.md section 5. */
#include "config.h"

#include "../borrowck/borrowck.h"
#include "../borrowck/loans.h"
#include "../codegen/codegen.h"
#include "../lexer/lexer.h"
#include "../parser/parse.h"
#include "../sema/sema.h"
#include "diag.h"
#include "explain.h"
#include "util.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

typedef enum Emit {
    EMIT_EXE,    /* build an executable (the default) */
    EMIT_C,      /* --emit=c */
    EMIT_TOKENS, /* --emit=tokens */
    EMIT_AST,    /* --emit=ast */
    EMIT_CFG,    /* --emit=cfg */
    EMIT_CAPTURES, /* --explain-captures */
    EMIT_BORROWS,  /* --explain-borrows */
} Emit;

typedef struct Options {
    const char *input;
    const char *output;  /* -o PATH, "-" for stdout */
    Emit emit;
    bool run;            /* --run */
    bool check;          /* --check */
    bool release;        /* -O */
    bool debug;          /* -g */
    char **run_args;     /* after `--` */
    int nrun_args;
} Options;

static const char usage_text[] =
    "Usage: mrsc [OPTIONS] INPUT.mrs\n"
    "\n"
    "Compile a mini-Rust program to C and build it with $CC.\n"
    "\n"
    "Options:\n"
    "  -o PATH                   write the output to PATH (`-o -`: stdout, with --emit)\n"
    "      --emit=c|cfg|tokens|ast  write the C, the control-flow graphs with their drop states,\n"
    "                            the tokens or the syntax tree instead of an executable\n"
    "      --explain-captures    print what each closure captures, how and why, and its trait\n"
    "      --explain-borrows     print every borrow of each fn: what it borrows, where it is\n"
    "                            made, which lines it is live on, and which access falls inside it\n"
    "      --run [-- ARGS]       build into a temporary directory and run; exit with its status\n"
    "      --check               only check the program (diagnostics, no output)\n"
    "  -O                        release semantics: integer overflow wraps (rustc -O)\n"
    "  -g                        emit #line directives so debuggers show .mrs lines\n"
    "      --error-format=human|short\n"
    "                            diagnostics layout (default human)\n"
    "      --color=auto|always|never\n"
    "      --explain CODE        explain an error code (e.g. E0308)\n"
    "      --version             print the version\n"
    "  -h, --help                print this help\n"
    "\n"
    "Environment: CC (default cc) compiles the generated C.\n"
    "Exit status: 0 success, 1 compile errors, 2 usage errors.\n";

static _Noreturn void usage_error(const char *fmt, const char *arg)
{
    fprintf(stderr, "error: ");
    fprintf(stderr, fmt, arg);
    fprintf(stderr, "\n\nFor more information, try `mrsc --help`.\n");
    exit(2);
}

static void parse_args(int argc, char **argv, Options *o)
{
    bool color_set = false;
    diag_set_color(false);
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (!strcmp(a, "--")) {
            o->run_args = argv + i + 1;
            o->nrun_args = argc - i - 1;
            break;
        } else if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
            fputs(usage_text, stdout);
            exit(0);
        } else if (!strcmp(a, "--version") || !strcmp(a, "-V")) {
            printf("mrsc %s\n", PACKAGE_VERSION);
            exit(0);
        } else if (!strcmp(a, "--explain")) {
            if (++i >= argc)
                usage_error("%s", "`--explain` needs an error code, e.g. E0308");
            exit(explain_code(argv[i]));
        } else if (!strcmp(a, "-o")) {
            if (++i >= argc)
                usage_error("%s", "`-o` needs a path");
            o->output = argv[i];
        } else if (!strncmp(a, "--emit=", 7)) {
            const char *k = a + 7;
            if (!strcmp(k, "c"))
                o->emit = EMIT_C;
            else if (!strcmp(k, "tokens"))
                o->emit = EMIT_TOKENS;
            else if (!strcmp(k, "ast"))
                o->emit = EMIT_AST;
            else if (!strcmp(k, "cfg"))
                o->emit = EMIT_CFG;
            else if (!strcmp(k, "link") || !strcmp(k, "exe"))
                o->emit = EMIT_EXE;
            else
                usage_error("unknown emit kind `%s` (expected c, cfg, tokens or ast)", k);
        } else if (!strcmp(a, "--explain-captures")) {
            o->emit = EMIT_CAPTURES;
        } else if (!strcmp(a, "--explain-borrows")) {
            o->emit = EMIT_BORROWS;
        } else if (!strcmp(a, "--run")) {
            o->run = true;
        } else if (!strcmp(a, "--check")) {
            o->check = true;
        } else if (!strcmp(a, "-O")) {
            o->release = true;
        } else if (!strcmp(a, "-g")) {
            o->debug = true;
        } else if (!strncmp(a, "--error-format=", 15)) {
            const char *k = a + 15;
            if (!strcmp(k, "human"))
                diag_set_format(ERRFMT_HUMAN);
            else if (!strcmp(k, "short"))
                diag_set_format(ERRFMT_SHORT);
            else
                usage_error("unknown error format `%s` (expected human or short)", k);
        } else if (!strncmp(a, "--color=", 8)) {
            const char *k = a + 8;
            color_set = true;
            if (!strcmp(k, "always"))
                diag_set_color(true);
            else if (!strcmp(k, "never"))
                diag_set_color(false);
            else if (!strcmp(k, "auto"))
                diag_set_color(isatty(2));
            else
                usage_error("unknown color choice `%s` (expected auto, always or never)", k);
        } else if (a[0] == '-' && a[1]) {
            usage_error("unknown option `%s`", a);
        } else {
            if (o->input)
                usage_error("multiple input files given (`%s`)", a);
            o->input = a;
        }
    }
    if (!color_set)
        diag_set_color(isatty(2) && !getenv("NO_COLOR"));
    if (!o->input)
        usage_error("%s", "no input file given");
}

static char *read_file(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    size_t cap = 4096, n = 0;
    char *buf = malloc(cap + 1);
    size_t r;
    while (buf && (r = fread(buf + n, 1, cap - n, f)) > 0) {
        n += r;
        if (n == cap) {
            cap *= 2;
            char *nb = realloc(buf, cap + 1);
            if (!nb) {
                free(buf);
                buf = NULL;
            } else {
                buf = nb;
            }
        }
    }
    fclose(f);
    if (!buf)
        return NULL;
    buf[n] = '\0';
    *len = n;
    return buf;
}

/* "dir/name.mrs" -> "name" */
static char *stem(const char *path)
{
    const char *b = strrchr(path, '/');
    b = b ? b + 1 : path;
    const char *dot = strrchr(b, '.');
    size_t n = dot && dot != b ? (size_t)(dot - b) : strlen(b);
    return xstrndup(b, n);
}

/* Write text to path atomically (temp file + rename); "-" is stdout. */
static bool write_output(const char *path, const char *text)
{
    if (!strcmp(path, "-")) {
        fputs(text, stdout);
        return fflush(stdout) == 0;
    }
    char *tmp = xprintf("%s.tmpXXXXXX", path);
    int fd = mkstemp(tmp);
    if (fd < 0) {
        fprintf(stderr, "error: could not write `%s`: %s\n", path, strerror(errno));
        return false;
    }
    FILE *f = fdopen(fd, "w");
    bool ok = f && fputs(text, f) >= 0;
    ok = (f && fclose(f) == 0) && ok;
    if (ok)
        ok = rename(tmp, path) == 0;
    if (!ok) {
        fprintf(stderr, "error: could not write `%s`: %s\n", path, strerror(errno));
        unlink(tmp);
    }
    return ok;
}

/* Where the runtime is: next to a build-tree mrsc, else the installed one. */
static void runtime_paths(const char **inc, const char **lib)
{
    char exe[PATH_MAX], bdir[PATH_MAX];
    ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
    if (n > 0) {
        exe[n] = '\0';
        char *slash = strrchr(exe, '/');
        if (slash)
            *slash = '\0';
        if (realpath(MRSC_BUILDDIR, bdir) && !strcmp(exe, bdir)) {
            *inc = MRSC_BUILD_RTINC;
            *lib = xprintf("%s/runtime/libmrsrt.a", MRSC_BUILDDIR);
            return;
        }
    }
    *inc = MRSC_INCLUDEDIR;
    *lib = xprintf("%s/libmrsrt.a", MRSC_LIBDIR);
}

static int run_argv(char **argv)
{
    pid_t pid = fork();
    if (pid < 0)
        return -1;
    if (pid == 0) {
        execvp(argv[0], argv);
        fprintf(stderr, "error: could not run `%s`: %s\n", argv[0], strerror(errno));
        _exit(127);
    }
    int status;
    while (waitpid(pid, &status, 0) < 0)
        if (errno != EINTR)
            return -1;
    if (WIFEXITED(status))
        return WEXITSTATUS(status);
    if (WIFSIGNALED(status))
        return 128 + WTERMSIG(status);
    return -1;
}

/* Appends the space-separated words of s to argv (at most max in all). */
static int split_words(const char *s, char **argv, int n, int max)
{
    if (!s)
        return n;
    char *dup = xstrdup(s);
    for (char *tok = strtok(dup, " \t"); tok && n < max; tok = strtok(NULL, " \t"))
        argv[n++] = tok;
    return n;
}

/* Does the C compiler cc take gcc's --param=max-completely-peel-times? The default one
 * when configure found it does; a $CC whose command is gcc. */
static bool cc_peels(const char *cc)
{
    const char *cmd = cc, *end = cc + strcspn(cc, " \t");
    for (const char *p = cc; p < end; p++)
        if (*p == '/')
            cmd = p + 1;
#ifdef MRSC_DEFAULT_CC_PEELS
    if (!strcmp(cc, MRSC_DEFAULT_CC))
        return true;
#endif
    return !strncmp(cmd, "gcc", 3) && (cmd + 3 == end || cmd[3] == '-');
}

/* The compiler and mrsc's flags, then the user's, then -I<rt>:
 *   cc -std=c11 [-O2 -fno-math-errno -funroll-loops [--param=...]] [-g] [$MRSC_CFLAGS] [$CFLAGS] -I<rt>
 * The user's flags come after mrsc's own, so that they win (`CFLAGS=-O3`). Returns the
 * count; *cc_name is $CC as given, for messages. */
static int cc_command(const Options *o, const char *inc, char **argv, const char **cc_name)
{
    const char *cc = getenv("CC");
    if (!cc || !*cc)
        cc = MRSC_DEFAULT_CC;
    *cc_name = cc;
    /* $CC may carry flags ("gcc -m64"): split on spaces */
    int n = split_words(cc, argv, 0, 8);
    argv[n++] = "-std=c11";
    argv[n++] = o->release ? "-O2" : "-O0";
    if (o->release) { /* Rust's float functions never set errno: sqrt and the rest become instructions */
        argv[n++] = "-fno-math-errno";
        /* rustc's LLVM unrolls loops at -O and gcc -O2 does not: unrolled, a loop of
         * calls through a Vec of trait objects gets one call site per unrolled step, whose
         * targets the processor predicts (bench/dyn_dispatch: 1.45x faster) */
        argv[n++] = "-funroll-loops";
        /* and LLVM unrolls a loop of a known count completely up to a size, gcc up to 16
         * steps: a loop over a Vec collected from `0..48` (bench/dyn_dispatch) becomes
         * straight-line code, its loads constants after the first round */
        if (cc_peels(cc))
            argv[n++] = "--param=max-completely-peel-times=64";
    }
    if (o->debug)
        argv[n++] = "-g";
    n = split_words(getenv("MRSC_CFLAGS"), argv, n, 40);
    n = split_words(getenv("CFLAGS"), argv, n, 70);
    argv[n++] = xprintf("-I%s", inc);
    return n;
}

static bool cc_failed(const char *cc, int rc)
{
    fprintf(stderr, "error: the C compiler `%s` failed (status %d) on the generated C\n", cc, rc);
    return false;
}

/* Ends the command argv[0..n) with `-o OUT <rt>/libmrsrt.a -lm -lpthread` and runs it. */
static bool link_c(char **argv, int n, const char *out, const char *lib, const char *cc)
{
    argv[n++] = "-o";
    argv[n++] = (char *)out;
    argv[n++] = (char *)lib;
    argv[n++] = "-lm";
    argv[n++] = "-lpthread";
    argv[n] = NULL;
    int rc = run_argv(argv);
    return rc == 0 || cc_failed(cc, rc);
}

/* The one C file: cc ... C -o OUT <rt>/libmrsrt.a -lm -lpthread */
static bool compile_c(const Options *o, const char *cfile, const char *out)
{
    const char *inc, *lib, *cc;
    runtime_paths(&inc, &lib);
    char *argv[80];
    int n = cc_command(o, inc, argv, &cc);
    argv[n++] = (char *)cfile;
    return link_c(argv, n, out, lib, cc);
}

/* A debug build of a large program: the C cut into nparts files at the places codegen
 * allows (each the shared types, prototypes and helpers, then its share of the
 * functions), compiled side by side (rustc's codegen units, in C), then linked.
 * Returns false (after cleaning up) when a compiler call failed. */
static bool compile_c_parts(const Options *o, const char *dir, const char *stem_, const char *ctext,
                            const CgParts *parts, int nparts, const char *out)
{
    const char *inc, *lib, *cc;
    runtime_paths(&inc, &lib);
    size_t len = strlen(ctext), fn_bytes = len - parts->shared;
    char **cfiles = calloc((size_t)nparts, sizeof(char *)), **ofiles = calloc((size_t)nparts, sizeof(char *));
    pid_t *pids = calloc((size_t)nparts, sizeof(pid_t));
    bool ok = true;
    int k = 0; /* the next cut */
    for (int p = 0; p < nparts; p++) {
        size_t from = parts->cuts[k], to = len;
        if (p + 1 < nparts) { /* the first cut past this part's share */
            size_t goal = parts->shared + fn_bytes * (size_t)(p + 1) / (size_t)nparts;
            while (k + 1 < parts->ncuts && parts->cuts[k + 1] <= goal)
                k++;
            k = k + 1 < parts->ncuts ? k + 1 : k;
            to = parts->cuts[k];
        }
        cfiles[p] = xprintf("%s/%s.part%d.c", dir, stem_, p);
        ofiles[p] = xprintf("%s/%s.part%d.o", dir, stem_, p);
        FILE *f = fopen(cfiles[p], "w");
        if (!f || fwrite(ctext, 1, parts->shared, f) != parts->shared ||
            (to > from && fwrite(ctext + from, 1, to - from, f) != to - from)) {
            fprintf(stderr, "error: could not write `%s`: %s\n", cfiles[p], strerror(errno));
            ok = false;
        }
        if (f)
            fclose(f);
    }
    for (int p = 0; p < nparts && ok; p++) {
        char *argv[90];
        int n = cc_command(o, inc, argv, &cc);
        argv[n++] = "-DMRS_SPLIT"; /* (a closure's body may be called from another part) */
        argv[n++] = "-fno-keep-static-consts"; /* (each part emits only the vtables it uses) */
        argv[n++] = "-c";
        argv[n++] = cfiles[p];
        argv[n++] = "-o";
        argv[n++] = ofiles[p];
        argv[n] = NULL;
        pids[p] = fork();
        if (pids[p] == 0) {
            execvp(argv[0], argv);
            fprintf(stderr, "error: could not run `%s`: %s\n", argv[0], strerror(errno));
            _exit(127);
        }
        if (pids[p] < 0)
            ok = false;
    }
    for (int p = 0; p < nparts; p++) {
        int status;
        if (pids[p] <= 0)
            continue;
        while (waitpid(pids[p], &status, 0) < 0 && errno == EINTR)
            ;
        if (ok && !(WIFEXITED(status) && WEXITSTATUS(status) == 0))
            ok = cc_failed(cc, WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status));
    }
    if (ok) {
        char *argv[90];
        int n = cc_command(o, inc, argv, &cc);
        for (int p = 0; p < nparts; p++)
            argv[n++] = ofiles[p];
        ok = link_c(argv, n, out, lib, cc);
    }
    for (int p = 0; p < nparts; p++) {
        unlink(cfiles[p]);
        unlink(ofiles[p]);
    }
    free(cfiles);
    free(ofiles);
    free(pids);
    return ok;
}

/* How many parts a build compiles the C in: a debug build of a large program (more than
 * MRSC_SPLIT_BYTES of C in functions, 400 kB unless set) on a machine with several
 * processors, one part per processor (MRSC_SPLIT_PARTS when set; at most 8); else 1. */
static int c_parts(const Options *o, const char *ctext, const CgParts *parts)
{
    if (o->release || parts->ncuts < 2)
        return 1;
    const char *lim = getenv("MRSC_SPLIT_BYTES");
    size_t min = lim && *lim ? (size_t)strtoull(lim, NULL, 10) : 400000;
    if (strlen(ctext) - parts->shared < min)
        return 1;
    const char *want = getenv("MRSC_SPLIT_PARTS"); /* (the tests' way to cut small programs) */
    long cpus = want && *want ? strtol(want, NULL, 10) : sysconf(_SC_NPROCESSORS_ONLN);
    int n = cpus < 2 ? 1 : cpus > 8 ? 8 : (int)cpus;
    return n < parts->ncuts ? n : parts->ncuts;
}

/* Where a dump (--emit=tokens|ast|cfg, --explain-captures, --explain-borrows) goes: `-o PATH`,
 * or stdout (also for `-o -`); NULL when the file cannot be opened. */
static FILE *dump_stream(const Options *o)
{
    return o->output && strcmp(o->output, "-") ? fopen(o->output, "w") : stdout;
}

static void dump_done(FILE *out)
{
    if (out != stdout)
        fclose(out);
}

/* A dump with one part per fn that has a graph (--emit=cfg, --explain-borrows);
 * false when its file cannot be opened. */
static bool dump_graphs(const Options *o, Program *prog, void (*each)(FILE *, Cfg *))
{
    FILE *out = dump_stream(o);
    if (!out)
        return false;
    for (int i = 0; i < prog->fns.len; i++) {
        FnDef *f = prog->fns.items[i];
        if (f->cfg)
            each(out, f->cfg);
    }
    dump_done(out);
    return true;
}

int main(int argc, char **argv)
{
    Arena arena = {0};
    g_arena = &arena;
    Options o = {0};
    parse_args(argc, argv, &o);

    size_t len = 0;
    char *src = read_file(o.input, &len);
    if (!src) {
        fprintf(stderr, "error: couldn't read `%s`: %s\n", o.input, strerror(errno));
        return 1;
    }
    diag_init(o.input, src, len);

    if (o.emit == EMIT_TOKENS) {
        FILE *out = dump_stream(&o);
        if (!out) {
            fprintf(stderr, "error: could not write `%s`: %s\n", o.output, strerror(errno));
            return 1;
        }
        lex_dump_tokens(out, src, len);
        dump_done(out);
        int errs = diag_error_count();
        diag_flush();
        free(src);
        arena_free(&arena);
        return errs ? 1 : 0;
    }

    /* parse */
    Crate *crate = parse_crate(src, len);
    int status = 0;
    if (diag_error_count())
        goto fail;
    if (o.emit == EMIT_AST) {
        FILE *out = dump_stream(&o);
        if (!out)
            goto fail;
        ast_dump(out, crate);
        dump_done(out);
        goto done;
    }

    /* names and types */
    Program *prog = sema_check(crate);
    /* mutability errors leave a well-typed tree: the move checker still runs,
     * so that one run reports E0382 next to E0596 as rustc does */
    static const char *const mut_codes[] = {"E0596", "E0594", "E0384", "E0373", NULL};
    if (diag_error_count() && !diag_errors_only(mut_codes))
        goto fail;

    /* ownership: moves and borrows */
    bck_check(prog);
    sema_check_sends(prog); /* (a future's Send-ness: what its frame holds across its awaits) */
    if (o.emit == EMIT_BORROWS && prog) { /* also (above all) for a program with borrow errors */
        if (!dump_graphs(&o, prog, bck_explain_borrows))
            goto fail;
        if (!diag_error_count())
            goto done;
    }
    if (diag_error_count())
        goto fail;
    if (o.emit == EMIT_CAPTURES) {
        FILE *out = dump_stream(&o);
        if (!out)
            goto fail;
        sema_explain_captures(out, prog);
        dump_done(out);
        goto done;
    }
    if (o.emit == EMIT_CFG) {
        if (!dump_graphs(&o, prog, cfg_dump))
            goto fail;
        goto done;
    }
    if (o.check)
        goto done;

    /* C */
    prog->release = o.release;
    CgParts parts = {0};
    CgOptions cgo = {.src_path = o.input, .release = o.release, .line_directives = o.debug, .parts = &parts};
    char *ctext = cg_program(prog, &cgo);
    if (diag_error_count()) {
        free(ctext);
        goto fail;
    }

    if (o.emit == EMIT_C) {
        const char *path = o.output ? o.output : xprintf("%s.c", stem(o.input));
        if (!write_output(path, ctext))
            status = 1;
        free(ctext);
        goto done;
    }

    /* an executable: the C goes to a temporary directory */
    char tmpl[] = "/tmp/mrsc.XXXXXX";
    char *dir = mkdtemp(tmpl);
    if (!dir) {
        fprintf(stderr, "error: could not create a temporary directory: %s\n", strerror(errno));
        free(ctext);
        status = 1;
        goto done;
    }
    char *cfile = xprintf("%s/%s.c", dir, stem(o.input));
    char *exe = o.run ? xprintf("%s/%s", dir, stem(o.input))
                      : xprintf("%s.tmpexe", o.output ? o.output : stem(o.input));
    int nparts = c_parts(&o, ctext, &parts);
    bool ok = nparts > 1 ? compile_c_parts(&o, dir, stem(o.input), ctext, &parts, nparts, exe)
                         : write_output(cfile, ctext) && compile_c(&o, cfile, exe);
    free(ctext);
    unlink(cfile);
    if (ok && !o.run) {
        const char *final = o.output ? o.output : stem(o.input);
        if (rename(exe, final) != 0) {
            fprintf(stderr, "error: could not write `%s`: %s\n", final, strerror(errno));
            ok = false;
        }
    }
    if (!ok) {
        unlink(exe);
        rmdir(dir);
        status = 1;
        goto done;
    }
    if (o.run) {
        char **rargv = calloc((size_t)o.nrun_args + 2, sizeof(char *));
        rargv[0] = exe;
        for (int i = 0; i < o.nrun_args; i++)
            rargv[i + 1] = o.run_args[i];
        fflush(stdout);
        status = run_argv(rargv);
        free(rargv);
        unlink(exe);
        if (status < 0)
            status = 1;
    }
    rmdir(dir);
    goto done;

fail:
    diag_flush();
    status = 1;
done:
    free(src);
    arena_free(&arena);
    return status;
}
