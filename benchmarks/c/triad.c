/* STREAM-triad-like yardstick: a[i] = b[i] + s*c[i] over 50 M doubles per array, OpenMP.
 * Prints "RESULT c.triad <median seconds>" (median of REPS after 2 warm-ups) and
 * "RESULT c.copy <median seconds>". Bytes counted as STREAM does: 3 arrays (triad), 2 (copy). */
#define N 50000000L
#include <omp.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>

static double *alloc(void) {
  void *p = NULL;
  if (posix_memalign(&p, 2 << 20, N * sizeof(double))) abort();
  madvise(p, N * sizeof(double), MADV_HUGEPAGE); /* as the JVM heap may get */
  return p;
}


static int cmp(const void *x, const void *y) {
  double a = *(const double *)x, b = *(const double *)y;
  return (a > b) - (a < b);
}

int main(int argc, char **argv) {
  int reps = argc > 1 ? atoi(argv[1]) : 7;
  double *a = alloc(), *b = alloc(), *c = alloc();
  double *tt = malloc(reps * sizeof(double)), *tc = malloc(reps * sizeof(double));
#pragma omp parallel for schedule(static)
  for (long i = 0; i < N; i++) { a[i] = 0; b[i] = 1; c[i] = 2; }
  for (int r = -2; r < reps; r++) {
    double t0 = omp_get_wtime();
#pragma omp parallel for schedule(static)
    for (long i = 0; i < N; i++) a[i] = b[i] + 3.0 * c[i];
    double t1 = omp_get_wtime();
#pragma omp parallel for schedule(static)
    for (long i = 0; i < N; i++) c[i] = a[i];
    double t2 = omp_get_wtime();
    if (r >= 0) { tt[r] = t1 - t0; tc[r] = t2 - t1; }
  }
  qsort(tt, reps, sizeof(double), cmp);
  qsort(tc, reps, sizeof(double), cmp);
  printf("RESULT c.triad %.9f\nRESULT c.copy %.9f\nINFO c.threads %d\n", tt[reps / 2], tc[reps / 2],
         omp_get_max_threads());
  return a[N / 2] == 12345.0; /* keep the loops */
}
