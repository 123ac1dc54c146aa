// Copyright Verbatim developers. SPDX-License-Identifier: Apache-2.0
#include "asr/train/training_log_writer.h"

#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>

#include "tests/test_util.h"

namespace verbatim {

TEST_CASE("the training log drops the records of steps after a checkpoint", "[trainer][log]") {
  test::TempDir dir;
  const TrainingLogWriter log(dir.path() + "/train.log.jsonl");
  CHECK(log.DropAfterStep(3) == 0);  // no log yet
  CHECK_FALSE(std::filesystem::exists(log.path()));
  log.Append(R"({"type":"step","epoch":0,"step":2,"loss":3.5})");
  log.Append(R"({"type":"skip","epoch":0,"step":3,"batch":7})");
  log.Append(R"({"type":"epoch","epoch":0,"step":3,"loss":2.5})");
  log.Append(R"({"note":"no step"})");
  log.Append(R"({"type":"step","epoch":1,"step":4,"loss":2})");
  log.Append(R"({"type":"step","epoch":1,"step":12,"loss":1})");
  CHECK(log.DropAfterStep(12) == 0);  // nothing after step 12
  {
    std::ofstream torn(log.path(), std::ios::app);
    torn << R"({"type":"step","ep)";  // cut by a kill
  }
  CHECK(log.DropAfterStep(3) == 3);
  CHECK(test::ReadFile(log.path()) ==
        "{\"type\":\"step\",\"epoch\":0,\"step\":2,\"loss\":3.5}\n"
        "{\"type\":\"skip\",\"epoch\":0,\"step\":3,\"batch\":7}\n"
        "{\"type\":\"epoch\",\"epoch\":0,\"step\":3,\"loss\":2.5}\n"
        "{\"note\":\"no step\"}\n");
  log.Append(R"({"type":"step","epoch":1,"step":4,"loss":2})");
  CHECK(log.DropAfterStep(0) == 4);
  CHECK(test::ReadFile(log.path()) == "{\"note\":\"no step\"}\n");
}

}  // namespace verbatim
