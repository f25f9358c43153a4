#pragma once

// Invariant checks shared by the fuzz entry points: a broken invariant aborts,
// which libFuzzer (and the corpus replay in `make test`) reports as a crash.

#include <cstdio>
#include <cstdlib>

#define TAUTBAND_FUZZ_CHECK(cond)                                                            \
  do {                                                                                       \
    if (!(cond)) {                                                                           \
      std::fprintf(stderr, "%s:%d: fuzz invariant failed: %s\n", __FILE__, __LINE__, #cond); \
      std::abort();                                                                          \
    }                                                                                        \
  } while (0)
