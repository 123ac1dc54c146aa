// Copyright Verbatim developers. SPDX-License-Identifier: Apache-2.0
#include "asr/train/checkpoint.h"

#include "asr/model/model_weights.h"

#include <torch/torch.h>

#include <catch2/catch.hpp>
#include <cstring>
#include <fstream>
#include <string>

#include "tests/test_util.h"

namespace verbatim {
namespace {

constexpr float kMarker = 1234.5678f;  // one weight, found by its bytes in the file

// A small network whose first weight is kMarker.
torch::nn::Sequential MakeNet() {
  torch::manual_seed(5);
  torch::nn::Sequential net(torch::nn::Linear(4, 3),
                            torch::nn::LayerNorm(torch::nn::LayerNormOptions({3})));
  torch::NoGradGuard no_grad;
  net->parameters()[0][0][0].fill_(kMarker);
  return net;
}

// Changes the lowest bit of kMarker's bytes in `path`: a weight that is
// still a plausible number, the damage a bad disk or copy does silently.
void FlipMarkerBit(const std::string& path) {
  std::string bytes = test::ReadFile(path);
  char pattern[sizeof(float)];
  std::memcpy(pattern, &kMarker, sizeof(float));
  const size_t at = bytes.find(std::string(pattern, sizeof(float)));
  REQUIRE(at != std::string::npos);
  bytes[at] = static_cast<char>(bytes[at] ^ 1);
  std::ofstream(path, std::ios::binary | std::ios::trunc) << bytes;
}

bool SameParameters(torch::nn::Module& a, torch::nn::Module& b) {
  const auto pa = a.parameters(), pb = b.parameters();
  for (size_t i = 0; i < pa.size(); ++i)
    if (!torch::equal(pa[i], pb[i])) return false;
  return true;
}

}  // namespace

TEST_CASE("a flipped bit in saved weights is an error, and the model stays as it was",
          "[checkpoint]") {
  test::TempDir dir;
  auto saved = MakeNet();
  SaveModelWeights(dir.File("model.pt"), *saved);
  torch::nn::Sequential loaded(torch::nn::Linear(4, 3),
                               torch::nn::LayerNorm(torch::nn::LayerNormOptions({3})));
  LoadModelWeights(dir.File("model.pt"), *loaded);  // intact: loads, same values
  CHECK(SameParameters(*saved, *loaded));

  FlipMarkerBit(dir.File("model.pt"));
  auto before = MakeNet();
  torch::NoGradGuard no_grad;
  before->parameters()[1].fill_(7.0f);  // differs from the file: must not be overwritten
  auto target = MakeNet();
  target->parameters()[1].fill_(7.0f);
  CHECK_THROWS_WITH(
      LoadModelWeights(dir.File("model.pt"), *target),
      Catch::Contains(dir.File("model.pt") + ": the weights do not match their checksum"));
  CHECK(SameParameters(*before, *target));
}

TEST_CASE("a flipped bit in a checkpoint's weights stops resume", "[checkpoint]") {
  test::TempDir dir;
  auto net = MakeNet();
  torch::optim::Adam adam(net->parameters());
  SaveCheckpoint(dir.File("epoch-1.pt"), *net, adam, CheckpointState{});
  FlipMarkerBit(dir.File("epoch-1.pt"));
  auto other = MakeNet();
  torch::optim::Adam other_adam(other->parameters());
  CHECK_THROWS_WITH(LoadCheckpoint(dir.File("epoch-1.pt"), *other, other_adam),
                    Catch::Contains("epoch-1.pt: the weights do not match their checksum"));
}

TEST_CASE("weights saved without a checksum still load", "[checkpoint]") {
  // The layout of files written before the checksum existed.
  test::TempDir dir;
  auto net = MakeNet();
  torch::serialize::OutputArchive archive;
  for (const auto& p : net->named_parameters()) archive.write("model." + p.key(), p.value());
  for (const auto& b : net->named_buffers()) archive.write("model." + b.key(), b.value(), true);
  archive.save_to(dir.File("old.pt"));
  torch::nn::Sequential loaded(torch::nn::Linear(4, 3),
                               torch::nn::LayerNorm(torch::nn::LayerNormOptions({3})));
  LoadModelWeights(dir.File("old.pt"), *loaded);
  CHECK(SameParameters(*net, *loaded));
}

}  // namespace verbatim
