// Copyright Verbatim developers. SPDX-License-Identifier: Apache-2.0
#include "asr/decode/search_factory.h"

#include "asr/search/attention_beam_search.h"
#include "asr/search/attention_rescoring.h"
#include "asr/search/ctc_greedy_search.h"
#include "asr/search/ctc_prefix_beam_search.h"
#include "base/error.h"

namespace verbatim {

const char kSearchNames[] = "attention, rescoring, ctc_prefix_beam or ctc_greedy";

std::unique_ptr<Search> MakeSearch(const std::string& name, const SearchOptions& opts) {
  if (name == "attention") return std::make_unique<AttentionBeamSearch>(opts);
  if (name == "rescoring") return std::make_unique<AttentionRescoring>(opts);
  if (name == "ctc_prefix_beam") return std::make_unique<CtcPrefixBeamSearch>(opts);
  if (name == "ctc_greedy") return std::make_unique<CtcGreedySearch>(opts);
  throw Error("unknown search '" + name + "' (" + kSearchNames + ")");
}

}  // namespace verbatim
