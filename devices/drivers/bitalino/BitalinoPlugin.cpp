// The plugin's one exported symbol, tautband_driver_entry (tautband/driver.h).
#include "BitalinoDriver.h"
#include "BitalinoManifest.h"

TAUTBAND_DRIVER(tautband::drivers::bitalino::BitalinoDriver, tautband::drivers::bitalino::kManifestJson)
