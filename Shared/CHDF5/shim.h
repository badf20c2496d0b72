// CHDF5: serial libhdf5 (1.10 on Debian 12) for DatasetFormats. Debian: libhdf5-dev (headers in
// /usr/include/hdf5/serial, library /usr/lib/x86_64-linux-gnu/libhdf5_serial.so), so no pkg-config or -I flags.
#include "/usr/include/hdf5/serial/hdf5.h"

// The H5T_NATIVE_*, H5F_ACC_* and H5S_ALL macros expand to expressions Swift cannot import; expose them.
static inline hid_t chdf5_native_float(void) { return H5T_NATIVE_FLOAT; }
static inline hid_t chdf5_native_uint8(void) { return H5T_NATIVE_UINT8; }
static inline unsigned chdf5_acc_rdonly(void) { return H5F_ACC_RDONLY; }
static inline hid_t chdf5_default(void) { return H5P_DEFAULT; }
static inline hid_t chdf5_all(void) { return H5S_ALL; }
/// Silences libhdf5's automatic error printing to stderr (errors are reported through return codes).
static inline void chdf5_silence_errors(void) { H5Eset_auto2(H5E_DEFAULT, NULL, NULL); }
