// Copyright Verbatim developers. SPDX-License-Identifier: Apache-2.0
//
// The JSON Lines reader against Python's json module (an independent
// implementation): numbers, strings with escapes, booleans, null, nested
// values; errors name file:line and column.
#include "asr/util/flat_json.h"

#include <catch2/catch.hpp>
#include <cmath>
#include <fstream>
#include <sstream>

#include "base/error.h"
#include "tests/test_util.h"

namespace verbatim {
namespace {

std::string Python() {
  return test::HaveProgram("/usr/bin/python3") ? "/usr/bin/python3" : "python3";
}

TEST_CASE("ReadJsonLines reads what Python's json writes", "[flat_json]") {
  test::TempDir tmp;
  // Python writes random objects (ASCII-escaped, so \u escapes and surrogate
  // pairs occur) and, per value, the expected value: numbers in repr, strings
  // as UTF-8 hex.
  {
    std::ofstream script(tmp.File("make.py"));
    script
        << "import json, random\n"
           "random.seed(7)\n"
           "chars = 'abc \"\\\\/\\n\\t\\u00e9\\u4e2d\\U0001f600\\x01'\n"
           "with open('lines.jsonl', 'w') as f, open('expected.txt', 'w') as e:\n"
           "  for i in range(200):\n"
           "    o = {'type': 'step', 'step': i * 20,\n"
           "         'loss': random.uniform(-1e3, 1e3) * 10 ** random.randint(-30, 30),\n"
           "         'tiny': random.random() * 1e-300, 'int': random.randint(-10**9, 10**9),\n"
           "         'text': ''.join(random.choice(chars) for _ in range(random.randint(0, 12))),\n"
           "         'flag': random.random() < 0.5, 'none': None, 'nested': {'a': [1, {'b': "
           "[]}]}}\n"
           "    f.write(json.dumps(o, separators=(',', ':') if i % 2 else (', ', ': ')) + '\\n')\n"
           "    if i % 7 == 0: f.write('   \\n')\n"
           "    e.write('%r %r %r %s %d %s\\n' % (o['step'] * 1.0, o['loss'], o['tiny'],\n"
           "            o['text'].encode('utf-8').hex() or '-', o['flag'], o['int']))\n";
  }
  REQUIRE(test::RunCommand("cd " + tmp.path() + " && " + Python() + " make.py") == 0);
  const std::vector<FlatJsonObject> objects = ReadJsonLines(tmp.File("lines.jsonl"));
  std::ifstream expected(tmp.File("expected.txt"));
  REQUIRE(objects.size() == 200);
  for (const FlatJsonObject& o : objects) {
    double step, loss, tiny;
    std::string hex;
    int flag;
    long long integer;
    REQUIRE(expected >> step >> loss >> tiny >> hex >> flag >> integer);
    INFO(o.where());
    CHECK(o.String("type") == std::optional<std::string>("step"));
    CHECK(*o.Number("step") == step);
    CHECK(*o.Number("loss") == loss);  // both sides round-trip the same decimal text
    CHECK(*o.Number("tiny") == tiny);
    CHECK(*o.Number("int") == static_cast<double>(integer));
    std::string bytes;
    for (size_t i = 0; hex != "-" && i < hex.size(); i += 2)
      bytes += static_cast<char>(std::stoi(hex.substr(i, 2), nullptr, 16));
    CHECK(*o.String("text") == bytes);
    REQUIRE(o.Find("flag") != nullptr);
    CHECK(o.Find("flag")->type == JsonScalar::Type::kBool);
    CHECK(o.Find("flag")->boolean == (flag == 1));
    CHECK(o.Find("none")->type == JsonScalar::Type::kNull);
    CHECK(o.Find("nested")->type == JsonScalar::Type::kNested);
    CHECK(!o.Number("text").has_value());  // a string is not a number
    CHECK(!o.Has("absent"));
    CHECK(o.fields().size() == 9);
  }
}

TEST_CASE("FlatJsonObject reads the non-finite numbers printf writes", "[flat_json]") {
  const FlatJsonObject o =
      FlatJsonObject::Parse(R"({"a":nan,"b":inf,"c":-inf,"d":-0.5e-3,"e":0})", "x");
  CHECK(std::isnan(*o.Number("a")));
  CHECK(*o.Number("b") == HUGE_VAL);
  CHECK(*o.Number("c") == -HUGE_VAL);
  CHECK(*o.Number("d") == -0.5e-3);
  CHECK(*o.Number("e") == 0.0);
  CHECK(FlatJsonObject::Parse("  {  }  ", "x").fields().empty());
}

TEST_CASE("FlatJsonObject errors name the place and the problem", "[flat_json]") {
  struct Bad {
    const char* text;
    const char* message;
  };
  const Bad cases[] = {
      {R"([1,2])", "x: column 1: a line must be a JSON object"},
      {R"({"a":1,"a":2})", "x: column 8: duplicate key \"a\""},
      {R"({"a":1} x)", "x: column 9: text after the end of the object"},
      {R"({"a":"abc)", "x: column 6: unterminated string"},
      {R"({"a":01})", "x: column 7: expected ',' or '}'"},
      {R"({"a":1.})", "x: column 8: expected digits after '.'"},
      {R"({"a":-})", "x: column 6: expected a value"},
      {R"({"a":tru})", "x: column 6: expected a value"},
      {R"({a:1})", "x: column 2: expected a key in double quotes"},
      {R"({"a" 1})", "x: column 6: expected ':' after the key"},
      {R"({"a":"\q"})", "x: column 7: invalid escape"},
      {R"({"a":"\u12G4"})", "x: column 11: expected 4 hex digits"},
      {R"({"a":[1,2})", "x: column 10: expected ',' or ']'"},
      {R"({"a":1)", "x: column 7: expected ',' or '}'"},
  };
  for (const Bad& b : cases) {
    INFO(b.text);
    try {
      FlatJsonObject::Parse(b.text, "x");
      FAIL("no error");
    } catch (const Error& e) {
      CHECK(std::string(e.what()).rfind(b.message, 0) == 0);
      INFO(e.what());
    }
  }
}

TEST_CASE("ReadJsonLines names file and line of a bad line", "[flat_json]") {
  test::TempDir tmp;
  {
    std::ofstream f(tmp.File("log.jsonl"));
    f << "{\"a\":1}\n\n{\"a\":2}\n{\"a\":3,}\n";
  }
  try {
    ReadJsonLines(tmp.File("log.jsonl"));
    FAIL("no error");
  } catch (const Error& e) {
    CHECK(std::string(e.what()) ==
          tmp.File("log.jsonl") + ":4: column 8: expected a key in double quotes");
  }
  CHECK_THROWS_WITH(ReadJsonLines(tmp.File("missing.jsonl")),
                    tmp.File("missing.jsonl") + ": cannot open");
}

}  // namespace
}  // namespace verbatim
