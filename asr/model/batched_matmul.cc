// Copyright Verbatim developers. SPDX-License-Identifier: Apache-2.0
#include "asr/model/batched_matmul.h"

#include <ATen/Parallel.h>
#include <ATen/autocast_mode.h>

#include <algorithm>
#include <climits>
#include <vector>

#include "asr/model/amx_safe_products.h"
#include "asr/util/compute_threads.h"
#include "asr/util/loaded_symbol.h"
#include "base/error.h"

namespace verbatim {
namespace {

using SgemmFn = void (*)(const char* transa, const char* transb, const int* m, const int* n,
                         const int* k, const float* alpha, const float* a, const int* lda,
                         const float* b, const int* ldb, const float* beta, float* c,
                         const int* ldc);

// The Fortran BLAS entry that LibTorch itself calls, from whichever library
// Debian's alternatives put behind libblas.so.3: looked up at run time, as
// OpenBLAS's thread controls are (asr/util/compute_threads.cc).
SgemmFn Sgemm() {
  static const auto fn = LoadedSymbol<SgemmFn>("sgemm_");
  return fn;
}

// A matrix as BLAS takes it: stored by rows or by columns, and the distance
// (elements) between the starts of consecutive rows (columns).
struct MatrixLayout {
  bool valid = false;
  bool by_rows = true;
  int64_t ld = 0;
};

MatrixLayout Layout(const torch::Tensor& t) {
  const int64_t rows = t.size(-2), cols = t.size(-1);
  const int64_t row_stride = t.stride(-2), col_stride = t.stride(-1);
  MatrixLayout layout;
  if ((cols == 1 || col_stride == 1) && (rows == 1 || row_stride >= cols))
    layout = {true, true, rows == 1 ? cols : row_stride};
  else if ((rows == 1 || row_stride == 1) && (cols == 1 || col_stride >= rows))
    layout = {true, false, cols == 1 ? rows : col_stride};
  if (layout.ld > INT_MAX) layout.valid = false;
  return layout;
}

// t itself when BLAS can read its matrices in place, else a contiguous copy.
torch::Tensor Readable(const torch::Tensor& t) { return Layout(t).valid ? t : t.contiguous(); }

// Element offset of each matrix of t, its leading dimensions in row-major order.
std::vector<int64_t> MatrixOffsets(const torch::Tensor& t) {
  const int64_t batch_dims = t.dim() - 2;
  int64_t count = 1;
  for (int64_t d = 0; d < batch_dims; ++d) count *= t.size(d);
  std::vector<int64_t> offsets(count);
  for (int64_t i = 0; i < count; ++i) {
    int64_t rest = i, offset = 0;
    for (int64_t d = batch_dims - 1; d >= 0; --d) {
      offset += (rest % t.size(d)) * t.stride(d);
      rest /= t.size(d);
    }
    offsets[i] = offset;
  }
  return offsets;
}

// c = alpha a @ b, matrix by matrix; a, b and c readable in place (Layout
// valid). Writes c through its strides, by rows or by columns.
void MatmulInto(const torch::Tensor& a, const torch::Tensor& b, float alpha, torch::Tensor c) {
  const MatrixLayout la = Layout(a), lb = Layout(b), lc = Layout(c);
  Check(la.valid && lb.valid && lc.valid, "BatchedMatmul: operand not readable by BLAS");
  // A result stored by columns is its transpose stored by rows: c' = b' a'.
  if (!lc.by_rows)
    return MatmulInto(b.transpose(-1, -2), a.transpose(-1, -2), alpha, c.transpose(-1, -2));
  const std::vector<int64_t> oa = MatrixOffsets(a), ob = MatrixOffsets(b), oc = MatrixOffsets(c);
  const float* pa = a.data_ptr<float>();
  const float* pb = b.data_ptr<float>();
  float* pc = c.data_ptr<float>();
  // BLAS is column-major: the row-major c = a b is the column-major c' = b' a'.
  const char ta = lb.by_rows ? 'N' : 'T', tb = la.by_rows ? 'N' : 'T';
  const int m = int(c.size(-1)), n = int(c.size(-2)), k = int(a.size(-1));
  const int lda = int(lb.ld), ldb = int(la.ld), ldc = int(lc.ld);
  const float beta = 0.0f;
  const SgemmFn sgemm = Sgemm();
  const auto run = [&](int64_t first, int64_t last) {
    for (int64_t i = first; i < last; ++i)
      sgemm(&ta, &tb, &m, &n, &k, &alpha, pb + ob[i], &lda, pa + oa[i], &ldb, &beta, pc + oc[i],
            &ldc);
  };
  const int64_t count = int64_t(oc.size());
  const int threads = at::get_num_threads();
  if (threads > 1 && count >= 2 * threads) {
    SingleThreadedBlas one_blas_thread;  // the matrices are the parallel work
    at::parallel_for(0, count, 1, run);
  } else {
    run(0, count);  // few matrices: BLAS's own threads split each one
  }
}

// A tensor to receive the gradient of t: t's own strides when BLAS can write
// them (a head-split view gets its gradient in the projection's layout).
torch::Tensor NewGradient(const torch::Tensor& t) {
  torch::Tensor g = torch::empty_like(t, at::MemoryFormat::Preserve);
  return Layout(g).valid ? g : torch::empty(t.sizes(), t.options());
}

class BatchedMatmulFunction : public torch::autograd::Function<BatchedMatmulFunction> {
 public:
  static torch::Tensor forward(torch::autograd::AutogradContext* ctx, const torch::Tensor& a_in,
                               const torch::Tensor& b_in, double alpha, bool heads_last) {
    const torch::Tensor a = Readable(a_in), b = Readable(b_in);
    ctx->save_for_backward({a, b});
    ctx->saved_data["alpha"] = alpha;
    std::vector<int64_t> sizes = a.sizes().vec();
    sizes.back() = b.size(-1);
    const torch::Tensor c =
        heads_last && a.dim() == 4
            ? torch::empty({sizes[0], sizes[2], sizes[1], sizes[3]}, a.options()).transpose(1, 2)
            : torch::empty(sizes, a.options());
    MatmulInto(a, b, float(alpha), c);
    return c;
  }

  static torch::autograd::variable_list backward(torch::autograd::AutogradContext* ctx,
                                                 torch::autograd::variable_list grads) {
    const auto saved = ctx->get_saved_variables();
    const torch::Tensor &a = saved[0], &b = saved[1];
    const auto alpha = float(ctx->saved_data["alpha"].toDouble());
    const torch::Tensor g = Readable(grads[0]);
    torch::Tensor grad_a, grad_b;
    if (ctx->needs_input_grad(0)) {
      grad_a = NewGradient(a);
      MatmulInto(g, b.transpose(-1, -2), alpha, grad_a);
    }
    if (ctx->needs_input_grad(1)) {
      grad_b = NewGradient(b);
      MatmulInto(a.transpose(-1, -2), g, alpha, grad_b);
    }
    return {grad_a, grad_b, torch::Tensor(), torch::Tensor()};
  }
};

bool FastPathApplies(const torch::Tensor& a, const torch::Tensor& b) {
  if (Sgemm() == nullptr || at::autocast::is_cpu_enabled()) return false;
  for (const auto* t : {&a, &b})
    if (!t->device().is_cpu() || t->scalar_type() != torch::kFloat32 ||
        t->layout() != torch::kStrided || t->dim() < 3 || t->numel() == 0 ||
        t->size(-1) > INT_MAX || t->size(-2) > INT_MAX)
      return false;
  return a.dim() == b.dim() && a.size(-1) == b.size(-2) &&
         a.sizes().slice(0, a.dim() - 2) == b.sizes().slice(0, b.dim() - 2);
}

}  // namespace

torch::Tensor BatchedMatmul(const torch::Tensor& a, const torch::Tensor& b, double alpha,
                            bool heads_last) {
  if (!FastPathApplies(a, b)) {
    const torch::Tensor product = AmxSafeMatmul(a, b);
    return alpha == 1.0 ? product : product * alpha;
  }
  return BatchedMatmulFunction::apply(a, b, alpha, heads_last);
}

}  // namespace verbatim
