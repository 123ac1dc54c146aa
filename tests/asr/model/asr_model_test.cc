// Copyright Verbatim developers. SPDX-License-Identifier: Apache-2.0
#include <torch/torch.h>

#include <catch2/catch.hpp>

#include "asr/model/asr_model.h"
#include "asr/model/conv2d_subsampling.h"
#include "asr/model/cpu_autocast.h"
#include "tests/asr/torch_test_util.h"

namespace verbatim {
namespace {

ModelOptions TinyOptions() {
  ModelOptions o;
  o.input_dim = 20;
  o.vocab_size = 11;
  o.d_model = 32;
  o.num_heads = 4;
  o.ffn_dim = 64;
  o.encoder_layers = 2;
  o.decoder_layers = 2;
  o.dropout = 0.1;
  return o;
}

torch::Tensor Tokens(std::vector<std::vector<int64_t>> rows) {
  size_t width = 0;
  for (auto& r : rows) width = std::max(width, r.size());
  auto t = torch::full({static_cast<int64_t>(rows.size()), static_cast<int64_t>(width)}, kIgnoreId,
                       torch::kInt64);
  for (size_t i = 0; i < rows.size(); ++i)
    for (size_t j = 0; j < rows[i].size(); ++j) t[i][j] = rows[i][j];
  return t;
}

TEST_CASE("decoder input and target from padded tokens", "[model]") {
  auto tokens = Tokens({{5, 6, 7}, {8}});
  auto io = MakeDecoderIo(tokens, torch::tensor({3, 1}));
  CHECK(torch::equal(io.input, torch::tensor({{2, 5, 6, 7}, {2, 8, 2, 2}})));
  CHECK(torch::equal(io.target, torch::tensor({{5, 6, 7, 2}, {8, 2, -1, -1}})));
  CHECK(torch::equal(io.lengths, torch::tensor({4, 2})));
}

TEST_CASE("model output shapes", "[model]") {
  torch::manual_seed(0);
  AsrModel model(TinyOptions());
  auto feats = torch::randn({3, 57, 20});
  auto out = model->forward(feats, torch::tensor({57, 40, 9}), Tokens({{4, 5}, {6}, {7, 8, 9}}),
                            torch::tensor({2, 1, 3}), true);
  const int64_t t = (((57 - 3) / 2 + 1) - 3) / 2 + 1;
  CHECK(out.encoder.out.sizes() == torch::IntArrayRef({3, t, 32}));
  CHECK(
      torch::equal(out.encoder.lengths, torch::tensor({t, int64_t{(((40 - 3) / 2 + 1) - 3) / 2 + 1},
                                                       int64_t{(((9 - 3) / 2 + 1) - 3) / 2 + 1}})));
  CHECK(out.ctc_log_probs.sizes() == torch::IntArrayRef({3, t, 11}));
  CHECK(out.decoder_logits.sizes() == torch::IntArrayRef({3, 4, 11}));
  REQUIRE(out.cross_attention.size() == 2);
  CHECK(out.cross_attention[0].sizes() == torch::IntArrayRef({3, 4, 4, t}));
  // Cross-attention rows of real positions sum to one over real frames only.
  auto row_sums = out.cross_attention[1].sum(-1);
  CHECK(torch::allclose(row_sums[0][0][0], torch::tensor(1.0f)));
  const int64_t t2 = out.encoder.lengths[2].item<int64_t>();
  CHECK(out.cross_attention[1][2].narrow(-1, t2, t - t2).abs().sum().item<float>() == 0.0f);
}

TEST_CASE("subsampling lengths match the convolutions for x4, x6, x8", "[model]") {
  for (int factor : {4, 6, 8}) {
    ModelOptions o = TinyOptions();
    o.subsampling = factor;
    Conv2dSubsampling sub(o);
    for (int64_t len : {15, 16, 17, 50, 101}) {
      auto y = sub->forward(torch::randn({1, len, 20}));
      INFO("factor " << factor << " length " << len);
      CHECK(y.size(1) == sub->OutputLength(len));
      CHECK(sub->OutputLengths(torch::tensor({len})).item<int64_t>() == y.size(1));
      CHECK(y.size(1) >= len / factor - 2);
      CHECK(y.size(1) <= len / factor + 1);
    }
  }
}

TEST_CASE("the subsampling under bf16 autocast matches float32 on two threads", "[model]") {
  // With bf16 convolutions, Debian's oneDNN 2.6 on an AMX CPU (this project's
  // machine) gave 40-70% errors for this shape with two threads.
  test::ThreadGuard threads;
  torch::set_num_threads(2);
  torch::manual_seed(6);
  ModelOptions o = TinyOptions();
  o.input_dim = 40;
  o.d_model = 144;
  Conv2dSubsampling sub(o);
  const auto x = torch::randn({16, 150, 40});
  const auto want = sub->forward(x);
  CpuBf16Autocast autocast;
  CHECK(test::RelativeError(sub->forward(x), want) < 0.02);
}

TEST_CASE("a padded batch gives the same results as each utterance alone", "[model]") {
  torch::manual_seed(1);
  ModelOptions o = TinyOptions();
  o.conv_kernel = GENERATE(0, 5);  // the Conformer convolution must not see the padding either
  CAPTURE(o.conv_kernel);
  AsrModel model(o);
  model->eval();
  torch::NoGradGuard no_grad;
  auto a = torch::randn({1, 60, 20}), b = torch::randn({1, 33, 20});
  auto ta = Tokens({{4, 5, 6, 7}}), tb = Tokens({{8, 9}});
  auto batch_feats = torch::zeros({2, 60, 20});
  batch_feats[0].copy_(a[0]);
  batch_feats[1].narrow(0, 0, 33).copy_(b[0]);
  batch_feats[1].narrow(0, 33, 27).normal_();  // garbage in the padding must not matter
  auto batch = model->forward(batch_feats, torch::tensor({60, 33}), Tokens({{4, 5, 6, 7}, {8, 9}}),
                              torch::tensor({4, 2}));
  auto alone_b = model->forward(b, torch::tensor({33}), tb, torch::tensor({2}));
  auto alone_a = model->forward(a, torch::tensor({60}), ta, torch::tensor({4}));
  const int64_t tb_len = alone_b.encoder.out.size(1);
  CHECK(batch.encoder.lengths[1].item<int64_t>() == tb_len);
  CHECK(torch::allclose(batch.encoder.out[1].narrow(0, 0, tb_len), alone_b.encoder.out[0], 1e-5,
                        1e-5));
  CHECK(torch::allclose(batch.ctc_log_probs[1].narrow(0, 0, tb_len), alone_b.ctc_log_probs[0], 1e-5,
                        1e-5));
  CHECK(torch::allclose(batch.decoder_logits[1].narrow(0, 0, 3), alone_b.decoder_logits[0], 1e-5,
                        1e-5));
  CHECK(torch::allclose(batch.decoder_logits[0], alone_a.decoder_logits[0], 1e-5, 1e-5));
}

TEST_CASE("EncodeForInference equals Encode on real frames, one utterance at a time", "[model]") {
  torch::manual_seed(2);
  AsrModel model(TinyOptions());
  model->eval();
  torch::NoGradGuard no_grad;
  const auto feats = torch::randn({3, 61, 20});  // garbage in the padding must not matter
  const auto lengths = torch::tensor({40, 61, 17});
  const EncoderOutput batch = model->Encode(feats, lengths);
  const EncoderOutput each = model->EncodeForInference(feats, lengths);
  REQUIRE(each.out.sizes() == batch.out.sizes());
  CHECK(torch::equal(each.lengths, batch.lengths));
  CHECK(torch::equal(each.mask, batch.mask));
  for (int64_t i = 0; i < 3; ++i) {
    const int64_t t = batch.lengths[i].item<int64_t>();
    CHECK(torch::allclose(each.out[i].narrow(0, 0, t), batch.out[i].narrow(0, 0, t), 1e-5, 1e-5));
    // Padding frames are zeros (the batch has whatever its padding gave).
    CHECK(each.out[i].narrow(0, t, each.out.size(1) - t).abs().sum().item<double>() == 0.0);
  }
  // An utterance too short for the convolutions alone: the padded batch.
  const auto tiny = torch::tensor({61, 3});
  const EncoderOutput short_batch = model->EncodeForInference(feats.narrow(0, 0, 2), tiny);
  CHECK(torch::equal(short_batch.out, model->Encode(feats.narrow(0, 0, 2), tiny).out));
}

TEST_CASE("incremental decoding with the cache equals full decoding", "[model]") {
  for (bool tied : {false, true}) {
    torch::manual_seed(2);
    ModelOptions o = TinyOptions();
    o.tie_output_embedding = tied;
    AsrModel model(o);
    model->eval();
    torch::NoGradGuard no_grad;
    auto feats = torch::randn({2, 48, 20});
    auto lengths = torch::tensor({48, 30});
    auto enc = model->Encode(feats, lengths);
    auto tokens = Tokens({{4, 5, 6, 7, 8}, {9, 10, 3, 4, 5}});
    auto io = MakeDecoderIo(tokens, torch::tensor({5, 5}));
    auto full = torch::log_softmax(
        model->decoder()->forward(io.input, io.lengths, enc.out, enc.mask), -1);  // (2, 6, V)
    auto cache = model->decoder()->InitCache(enc.out, enc.mask);
    for (int64_t step = 0; step < io.input.size(1); ++step) {
      auto step_logp = model->decoder()->Step(io.input.select(1, step), &cache);
      INFO("tied " << tied << " step " << step);
      CHECK(torch::allclose(step_logp, full.select(1, step), 1e-5, 1e-5));
    }
    // Reordering the cache (beam search) keeps each row's history.
    auto cache2 = model->decoder()->InitCache(enc.out, enc.mask);
    model->decoder()->Step(io.input.select(1, 0), &cache2);
    cache2.Select(torch::tensor({1, 1, 0}));
    auto logp = model->decoder()->Step(
        io.input.select(1, 1).index_select(0, torch::tensor({1, 1, 0})), &cache2);
    CHECK(torch::allclose(logp[0], full[1][1], 1e-5, 1e-5));
    CHECK(torch::allclose(logp[2], full[0][1], 1e-5, 1e-5));
  }
}

TEST_CASE("tied output layer shares the embedding parameters", "[model]") {
  ModelOptions o = TinyOptions();
  AsrModel untied(o);
  o.tie_output_embedding = true;
  AsrModel tied(o);
  auto count = [](AsrModel& m) {
    int64_t n = 0;
    for (const auto& p : m->parameters()) n += p.numel();
    return n;
  };
  CHECK(count(untied) - count(tied) == 32 * 11);
}

TEST_CASE("bad model options are clear errors", "[model]") {
  ModelOptions o = TinyOptions();
  o.num_heads = 5;
  CHECK_THROWS_WITH(AsrModel(o), Catch::Contains("divisible"));
  o = TinyOptions();
  o.subsampling = 5;
  CHECK_THROWS_WITH(AsrModel(o), Catch::Contains("subsampling"));
  o = TinyOptions();
  o.vocab_size = 3;
  CHECK_THROWS_WITH(AsrModel(o), Catch::Contains("vocab_size"));
  o = TinyOptions();
  o.conv_kernel = 4;
  CHECK_THROWS_WITH(AsrModel(o), Catch::Contains("conv_kernel must be 0 (none) or odd"));
}

}  // namespace
}  // namespace verbatim
