// CZlib: zlib (gzip inflate/deflate) for DatasetFormats. Debian: zlib1g-dev.
#include <zlib.h>
