// libFuzzer's driver, for targets that keep their own main (SwiftPM links executables with main=<Module>_main).
// The symbol comes from -sanitize=fuzzer; plain builds declare it but never call it.
#include <stddef.h>
#include <stdint.h>

int LLVMFuzzerRunDriver(int *argc, char ***argv, int (*callback)(const uint8_t *data, size_t size));
