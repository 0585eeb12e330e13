/* mono.c — instances of generic fns, each with a body of its own (mono.h). */
#include "mono.h"

#include "../borrowck/borrowck.h"

FnDef *mono_instance(Program *prog, FnDef *generic, Type **args, int n)
{
    (void)n;
    FnDef *inst = NEW(FnDef);
    *inst = *generic;
    inst->item = ast_clone_fn(generic->item);
    inst->locals = (List){0};
    inst->closures = (List){0};
    inst->cfg = NULL;
    sema_check_instance(prog, inst, args);
    bck_flags(prog, inst);
    return inst;
}
