#include "cli/CliApplication.h"

int main(int argc, char** argv) { return tautband::cli::runCliApplication(argc, argv); }
