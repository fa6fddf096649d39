// The only place Baton imports C: CBLAS and LAPACKE from Debian's
// libopenblas-dev and liblapacke-dev.
#ifndef BATON_CLINEARALGEBRA_SHIM_H
#define BATON_CLINEARALGEBRA_SHIM_H
#include <cblas.h>
#include <lapacke.h>
// OpenBLAS' cblas.h also declares openblas_set_num_threads, which the numeric
// core uses to keep BLAS single-threaded inside its own per-core row blocks.
#endif
