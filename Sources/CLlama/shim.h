#ifndef BOTTICELLI_CLLAMA_SHIM_H
#define BOTTICELLI_CLLAMA_SHIM_H

#include <llama.h>

#endif
