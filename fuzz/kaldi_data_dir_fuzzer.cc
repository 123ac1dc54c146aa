// Copyright Verbatim developers. SPDX-License-Identifier: Apache-2.0
//
// Fuzzes the Kaldi data-directory parsers (asr/data/wav_scp.h ReadScp,
// asr/data/kaldi_data_dir.h KaldiDataDir::Read, the utt2dur cache). The input
// holds the files of a data directory separated by form feeds ('\f'):
//   wav.scp \f text \f utt2spk \f segments \f utt2dur
// (a missing section is a missing file). Anything but a verbatim::Error is a
// finding; a set that reads must also survive Write and read back unchanged.
// Pipe entries are never allowed here: fuzzed commands must not run.
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "asr/data/kaldi_data_dir.h"
#include "asr/data/wav_scp.h"
#include "base/error.h"
#include "fuzz/fuzz_util.h"

namespace {

namespace fs = std::filesystem;
using verbatim::KaldiDataDir;
using verbatim::Utterance;

const char* const kFiles[] = {"wav.scp", "text", "utt2spk", "segments", "utt2dur"};

[[noreturn]] void Finding(const std::string& what) {
  std::fprintf(stderr, "kaldi_data_dir_fuzzer: %s\n", what.c_str());
  std::abort();
}

bool SameSeconds(double a, double b) {
  return a == b || std::fabs(a - b) <= 1e-9 * std::max(1.0, std::fabs(a));
}

void CheckSame(const KaldiDataDir& a, const KaldiDataDir& b) {
  if (a.size() != b.size() || a.has_text() != b.has_text() || a.has_segments() != b.has_segments())
    Finding("the written set reads back with another shape");
  for (size_t i = 0; i < a.size(); ++i) {
    const Utterance &x = a.utterances()[i], &y = b.utterances()[i];
    if (x.id != y.id || x.speaker != y.speaker || x.text != y.text || x.recording != y.recording ||
        x.audio != y.audio || !SameSeconds(x.start_s, y.start_s) || !SameSeconds(x.end_s, y.end_s))
      Finding("utterance '" + x.id + "' reads back changed");
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string dir = verbatim::fuzz::ScratchDir() + "/data";
  fs::remove_all(dir);
  fs::create_directories(dir);
  const std::vector<std::string> sections = verbatim::fuzz::SplitSections(data, size, '\f');
  for (size_t i = 0; i < sections.size() && i < std::size(kFiles); ++i)
    verbatim::fuzz::WriteFile(dir + "/" + kFiles[i], sections[i]);
  try {
    verbatim::ReadScp(dir + "/wav.scp");
  } catch (const verbatim::Error&) {
  }
  verbatim::DataDirOptions opts;
  opts.allow_pipes = false;
  opts.require_text = size % 2 == 0;
  // Durations come from segments or utt2dur; measuring would open the fuzzed paths.
  opts.load_durations = sections.size() > 3;
  opts.threads = 1;
  std::optional<KaldiDataDir> set;
  try {
    set = KaldiDataDir::Read(dir, opts);
  } catch (const verbatim::Error&) {
    return 0;  // the expected outcome for most inputs
  }
  if (set->size() == 0) Finding("a set without utterances was accepted");
  // What reads must write, and read back unchanged.
  opts.load_durations = false;
  try {
    set->Write(dir + "/copy");
    CheckSame(*set, KaldiDataDir::Read(dir + "/copy", opts));
  } catch (const verbatim::Error& e) {
    Finding(std::string("the written set does not read back: ") + e.what());
  }
  return 0;
}
