// Copyright Verbatim developers. SPDX-License-Identifier: Apache-2.0
//
// SentencePiece and LibTorch in one process: the shim keeps their protobufs apart.
#include <torch/torch.h>

#include <catch2/catch.hpp>
#include <fstream>

#include "asr/text/sentencepiece_backend.h"
#include "tests/test_util.h"

namespace verbatim {
namespace {

TEST_CASE("SentencePiece trains, encodes and decodes beside LibTorch", "[sentencepiece]") {
  test::TempDir tmp;
  {
    std::ofstream text(tmp.File("text.txt"));
    for (int i = 0; i < 400; ++i)
      text << "THE QUICK BROWN FOX NUMBER " << (i % 23) << " JUMPS OVER THE LAZY DOG\n";
  }
  auto spm = MakeSentencePieceBackend();
  const std::string error =
      spm->Train("--input=" + tmp.File("text.txt") + " --model_prefix=" + tmp.File("m") +
                 " --vocab_size=40 --model_type=unigram --minloglevel=2");
  REQUIRE(error.empty());
  REQUIRE(spm->Load(tmp.File("m.model")).empty());
  CHECK(spm->PieceSize() == 40);
  const std::vector<int> ids = spm->EncodeAsIds("THE LAZY FOX");
  CHECK(!ids.empty());
  CHECK(spm->DecodeIds(ids) == "THE LAZY FOX");
  // LibTorch still works in the same process.
  CHECK(torch::ones({3}).sum().item<float>() == 3.0f);
  // A second backend loads independently; errors come back as text.
  auto other = MakeSentencePieceBackend();
  CHECK_FALSE(other->Load(tmp.File("missing.model")).empty());
}

}  // namespace
}  // namespace verbatim
