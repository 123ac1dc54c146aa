// Copyright Verbatim developers. SPDX-License-Identifier: Apache-2.0
//
// CheckpointKeeper: last-k and best-k retention, the `best` and `scores`
// files, and mid-epoch resume points.
#include <unistd.h>

#include <algorithm>
#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "asr/train/checkpoint_keeper.h"
#include "tests/test_util.h"

namespace verbatim {
namespace {

namespace fs = std::filesystem;

// Writes a stand-in checkpoint file and tells the keeper.
void Commit(CheckpointKeeper* keeper, int epoch, double loss, double accuracy, double wer) {
  const std::string name = "epoch-" + std::to_string(epoch) + ".pt";
  std::ofstream(keeper->Path(name)) << "weights";
  const EpochScore score{name, epoch, loss, accuracy, wer};
  keeper->Committed(name, true, &score);
}

std::vector<std::string> OnDisk(const std::string& dir) {
  std::vector<std::string> names;
  for (const auto& e : fs::directory_iterator(dir))
    if (e.path().extension() == ".pt") names.push_back(e.path().filename());
  std::sort(names.begin(), names.end());
  return names;
}

TEST_CASE("the last k and the best k epoch checkpoints are kept", "[checkpoint_keeper]") {
  test::TempDir tmp;
  const double losses[] = {5, 2, 4, 1, 6, 7};
  const double accuracies[] = {0.1, 0.5, 0.3, 0.2, 0.9, 0.4};
  const double wers[] = {90, 80, 70, 85, 95, 99};
  for (const std::string metric : {"loss", "accuracy", "wer"}) {
    INFO(metric);
    const std::string dir = tmp.File(metric);
    fs::create_directories(dir);
    CheckpointKeeper keeper(dir, CheckpointKeeperOptions{2, 2, metric});
    for (int e = 1; e <= 6; ++e) Commit(&keeper, e, losses[e - 1], accuracies[e - 1], wers[e - 1]);
    CHECK(keeper.Latest() == dir + "/epoch-6.pt");
    CHECK(keeper.Scores().size() == 6);
    std::vector<std::string> best;
    if (metric == "loss") best = {"epoch-4.pt", "epoch-2.pt"};
    if (metric == "accuracy") best = {"epoch-5.pt", "epoch-2.pt"};
    if (metric == "wer") best = {"epoch-3.pt", "epoch-2.pt"};
    CHECK(keeper.Best() == best);
    // Last two (5, 6) plus the best two.
    std::vector<std::string> kept = {"epoch-5.pt", "epoch-6.pt", best[0], best[1]};
    std::sort(kept.begin(), kept.end());
    kept.erase(std::unique(kept.begin(), kept.end()), kept.end());
    CHECK(OnDisk(dir) == kept);
  }
}

TEST_CASE("a mid-epoch checkpoint lasts until the next one", "[checkpoint_keeper]") {
  test::TempDir tmp;
  CheckpointKeeper keeper(tmp.path(), CheckpointKeeperOptions{});
  CHECK(keeper.Latest().empty());
  for (const char* name : {"step-10.pt", "step-20.pt"}) {
    std::ofstream(keeper.Path(name)) << "weights";
    keeper.Committed(name, false, nullptr);
  }
  CHECK(OnDisk(tmp.path()) == std::vector<std::string>{"step-20.pt"});
  Commit(&keeper, 1, 3.0, 0.5, -1);
  CHECK(OnDisk(tmp.path()) == std::vector<std::string>{"epoch-1.pt"});
  CHECK(keeper.Latest() == tmp.File("epoch-1.pt"));
  CHECK(keeper.Best() == std::vector<std::string>{"epoch-1.pt"});
}

TEST_CASE("an unknown best metric is an error", "[checkpoint_keeper]") {
  CHECK_THROWS_WITH(CheckpointKeeper("x", CheckpointKeeperOptions{3, 3, "cer"}),
                    Catch::Contains("best_metric"));
}

}  // namespace
}  // namespace verbatim

namespace verbatim {
namespace {

TEST_CASE("temporary files of dead writers are removed, live writers' kept",
          "[checkpoint_keeper]") {
  test::TempDir tmp;
  CheckpointKeeper keeper(tmp.path(), CheckpointKeeperOptions{});
  // A PID that surely no longer runs: a shell that has exited.
  std::string dead;
  REQUIRE(test::RunCommand("sh -c 'echo $$'", &dead) == 0);
  while (!dead.empty() && (dead.back() == '\n' || dead.back() == ' ')) dead.pop_back();
  const std::string mine = std::to_string(getpid());
  for (const std::string& name :
       std::vector<std::string>{"epoch-3.pt.tmp." + dead, "latest.tmp." + dead,
                                "epoch-4.pt.tmp." + mine, "epoch-2.pt", "notes.tmp.txt"})
    std::ofstream(keeper.Path(name)) << "x";
  CHECK(keeper.RemoveStaleTemporaries() == 2);
  CHECK_FALSE(fs::exists(keeper.Path("epoch-3.pt.tmp." + dead)));
  CHECK_FALSE(fs::exists(keeper.Path("latest.tmp." + dead)));
  CHECK(fs::exists(keeper.Path("epoch-4.pt.tmp." + mine)));  // a live writer's
  CHECK(fs::exists(keeper.Path("epoch-2.pt")));
  CHECK(fs::exists(keeper.Path("notes.tmp.txt")));
  CHECK(keeper.RemoveStaleTemporaries() == 0);
}

}  // namespace
}  // namespace verbatim
