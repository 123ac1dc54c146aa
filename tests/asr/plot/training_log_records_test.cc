// Copyright Verbatim developers. SPDX-License-Identifier: Apache-2.0
//
// Reading train.log.jsonl (restarts, errors) and plotting it: one drawn point
// per log record.
#include "asr/plot/training_log_records.h"

#include <catch2/catch.hpp>
#include <fstream>

#include "asr/plot/training_curves.h"
#include "base/error.h"
#include "tests/asr/plot/svg_inspector.h"

namespace verbatim {
namespace {

std::string StepLine(int epoch, int step, double loss, double guided = 0.0) {
  char buf[256];
  std::snprintf(buf, sizeof(buf),
                "{\"type\":\"step\",\"epoch\":%d,\"step\":%d,\"loss\":%g,\"ctc\":%g,"
                "\"attention\":%g,\"guided\":%g,\"accuracy\":%g,\"lr\":%g,"
                "\"audio_seconds_per_second\":30}",
                epoch, step, loss, loss * 2, loss / 2, guided, 1.0 / (1 + loss), step * 1e-5);
  return buf;
}

std::string EpochLine(int epoch, int step, double loss) {
  char buf[256];
  std::snprintf(buf, sizeof(buf),
                "{\"type\":\"epoch\",\"epoch\":%d,\"step\":%d,\"loss\":%g,\"ctc\":%g,"
                "\"attention\":%g,\"guided\":0,\"accuracy\":0.5,\"lr\":0.001,"
                "\"loader_wait_seconds\":0.1}",
                epoch, step, loss, loss, loss);
  return buf;
}

void Write(const std::string& path, const std::vector<std::string>& lines) {
  std::ofstream out(path);
  for (const auto& l : lines) out << l << "\n";
}

TEST_CASE("ReadTrainingLog keeps steps and epochs, a restart replaces re-logged steps",
          "[plot][training_log]") {
  test::TempDir tmp;
  Write(tmp.File("log.jsonl"),
        {StepLine(0, 10, 5), StepLine(0, 20, 4), EpochLine(0, 25, 4.5), StepLine(1, 30, 3),
         StepLine(1, 40, 2), R"({"type":"note","text":"ignored"})",
         // resumed from a checkpoint at step 30: 40 is logged again
         StepLine(1, 40, 2.5), StepLine(1, 50, 2), EpochLine(1, 50, 2.2)});
  const TrainingLogRecords log = ReadTrainingLog(tmp.File("log.jsonl"));
  REQUIRE(log.steps.size() == 5);
  CHECK(log.restarts == 1);
  CHECK(*log.steps[3].Number("step") == 40);
  CHECK(*log.steps[3].Number("loss") == 2.5);  // the re-logged value
  REQUIRE(log.epochs.size() == 2);
  CHECK(*DevValue(log.epochs[1], "loss") == 2.2);

  // A new run from scratch in the same directory: everything before goes.
  Write(tmp.File("log2.jsonl"), {StepLine(0, 10, 5), EpochLine(0, 12, 5), StepLine(0, 20, 4),
                                 StepLine(0, 10, 9), StepLine(0, 20, 8)});
  const TrainingLogRecords again = ReadTrainingLog(tmp.File("log2.jsonl"));
  CHECK(again.steps.size() == 2);
  CHECK(*again.steps[0].Number("loss") == 9);
  CHECK(again.epochs.empty());
}

TEST_CASE("DevValue prefers dev_ names", "[plot][training_log]") {
  const FlatJsonObject e = FlatJsonObject::Parse(R"({"loss":1,"dev_loss":2,"wer":30})", "x");
  CHECK(*DevValue(e, "loss") == 2);
  CHECK(*DevValue(e, "wer") == 30);
  CHECK(!DevValue(e, "cer").has_value());
}

TEST_CASE("ReadTrainingLog errors name file and line", "[plot][training_log]") {
  test::TempDir tmp;
  Write(tmp.File("a.jsonl"), {StepLine(0, 10, 5), R"({"step":20})"});
  CHECK_THROWS_WITH(ReadTrainingLog(tmp.File("a.jsonl")),
                    tmp.File("a.jsonl") + ":2: record without a \"type\" string");
  Write(tmp.File("b.jsonl"), {StepLine(0, 10, 5), "", R"({"type":"step","step":"20"})"});
  CHECK_THROWS_WITH(ReadTrainingLog(tmp.File("b.jsonl")),
                    tmp.File("b.jsonl") + ":3: record without a numeric \"step\"");
  Write(tmp.File("c.jsonl"), {StepLine(0, 10, 5), "{\"type\":\"step\",\"step\":20"});
  CHECK_THROWS_WITH(ReadTrainingLog(tmp.File("c.jsonl")),
                    tmp.File("c.jsonl") + ":2: column 25: expected ',' or '}'");
}

TEST_CASE("PlotTrainingCurves draws one point per record and series", "[plot][training_log]") {
  test::TempDir tmp;
  std::vector<std::string> lines;
  int steps = 0, epochs = 0;
  for (int e = 0; e < 4; ++e) {
    for (int s = 1; s <= 7; ++s, ++steps) lines.push_back(StepLine(e, (e * 7 + s) * 5, 10.0 / s));
    lines.push_back(EpochLine(e, (e * 7 + 7) * 5, 3.0 / (e + 1)));
    ++epochs;
  }
  lines.insert(lines.begin() + 3,
               "{\"type\":\"step\",\"epoch\":0,\"step\":17,\"loss\":nan,"
               "\"ctc\":nan,\"attention\":nan,\"guided\":0,\"accuracy\":0,"
               "\"lr\":1e-5}");
  Write(tmp.File("log.jsonl"), lines);
  TrainingCurvesOptions opts;
  opts.title = "run <1>";
  PlotTrainingCurves(ReadTrainingLog(tmp.File("log.jsonl")), opts).Save(tmp.File("c.svg"));
  const test::SvgSummary s = test::InspectSvg(tmp.File("c.svg"));
  INFO(s.error);
  REQUIRE(s.well_formed);
  CHECK(s.points.at("train loss") == steps);  // the nan step leaves a gap
  CHECK(s.points.at("train ctc") == steps);
  CHECK(s.points.at("train attention") == steps);
  CHECK(s.points.at("train accuracy") == steps + 1);
  CHECK(s.points.at("lr") == steps + 1);
  CHECK(s.points.at("dev loss") == epochs);
  CHECK(s.points.at("dev accuracy") == epochs);
  CHECK(s.points.count("train guided") == 0);  // all zero: guided attention was off
  CHECK(s.points.count("dev wer") == 0);
  CHECK(std::find(s.texts.begin(), s.texts.end(), "run <1>") != s.texts.end());

  // With guided attention and a WER in the epoch records, both appear.
  Write(tmp.File("g.jsonl"), {StepLine(0, 10, 5, 0.3), StepLine(0, 20, 4, 0.2),
                              R"({"type":"epoch","step":20,"dev_loss":3,"dev_wer":55.5})"});
  PlotTrainingCurves(ReadTrainingLog(tmp.File("g.jsonl")), opts).Save(tmp.File("g.svg"));
  const test::SvgSummary g = test::InspectSvg(tmp.File("g.svg"));
  REQUIRE(g.well_formed);
  CHECK(g.points.at("train guided") == 2);
  CHECK(g.points.at("dev loss") == 1);
  CHECK(g.points.at("dev wer") == 1);

  Write(tmp.File("empty.jsonl"), {});
  CHECK_THROWS_AS(PlotTrainingCurves(ReadTrainingLog(tmp.File("empty.jsonl")), opts), Error);
}

}  // namespace
}  // namespace verbatim
