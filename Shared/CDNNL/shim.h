// oneDNN 2.x C API (Debian libdnnl-dev 2.6.3), wrapped in Swift by TensorCore/DNNL.swift only.
#include <dnnl.h>
#include <dlfcn.h>

// Sets the OpenMP thread count of the calling thread (oneDNN's OMP runtime is already loaded by libdnnl);
// looked up at run time so the package needs no link flag for libgomp. Returns 0 if OpenMP is absent.
static inline int cdnnl_set_omp_threads(int n) {
    void (*f)(int) = (void (*)(int))dlsym(RTLD_DEFAULT, "omp_set_num_threads");
    if (f) { f(n); return 1; }
    return 0;
}
