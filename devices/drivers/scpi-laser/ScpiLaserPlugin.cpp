// The plugin's one exported symbol, tautband_driver_entry (tautband/driver.h).
#include "ScpiLaserDriver.h"
#include "ScpiLaserManifest.h"

TAUTBAND_DRIVER(tautband::drivers::scpi::ScpiLaserDriver, tautband::drivers::scpi::kManifestJson)
