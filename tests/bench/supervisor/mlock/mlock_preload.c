// What mlockall would do to the console, without changing the console:
// LD_PRELOAD this and set TAUTBAND_MLOCK to
//   current  mlockall(MCL_CURRENT)                       (what is mapped at start)
//   all      mlockall(MCL_CURRENT | MCL_FUTURE)
//   onfault  mlockall(MCL_CURRENT | MCL_FUTURE | MCL_ONFAULT)
// measure_mlock.sh runs the console with each and prints VmRSS/VmLck.
// Findings are in docs/SAFETY.md "Scheduling" (MCL_FUTURE crashes Qt 6.4's QML engine).
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

__attribute__((constructor)) static void tautband_lock_all(void) {
  const char* mode = getenv("TAUTBAND_MLOCK");
  if (!mode) return;
  int flags = MCL_CURRENT | MCL_FUTURE;
  if (strcmp(mode, "onfault") == 0) flags |= MCL_ONFAULT;
  if (strcmp(mode, "current") == 0) flags = MCL_CURRENT;
  if (mlockall(flags) != 0) perror("mlockall");
}
