// OpenBLAS CBLAS interface (Debian libopenblas-dev 0.3.21, pthreads build).
#include <cblas.h>
