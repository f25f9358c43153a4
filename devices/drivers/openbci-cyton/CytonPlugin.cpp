// The plugin's one exported symbol, tautband_driver_entry (tautband/driver.h).
#include "CytonDriver.h"
#include "CytonManifest.h"

TAUTBAND_DRIVER(tautband::drivers::cyton::CytonDriver, tautband::drivers::cyton::kManifestJson)
