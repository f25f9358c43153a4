#include "console/ConsoleApplication.h"

int main(int argc, char** argv) { return tautband::console::runConsoleApplication(argc, argv); }
