// Copyright Verbatim developers. SPDX-License-Identifier: Apache-2.0
//
// The searches a command can name: "attention" (joint CTC/attention beam
// search), "rescoring" (CTC prefix beam search + attention rescoring),
// "ctc_prefix_beam" and "ctc_greedy".
#pragma once

#include <memory>
#include <string>

#include "asr/search/search.h"

namespace verbatim {

extern const char kSearchNames[];  // "attention, rescoring, ctc_prefix_beam or ctc_greedy"

// Validates `opts` and makes the search; throws Error for an unknown name.
std::unique_ptr<Search> MakeSearch(const std::string& name, const SearchOptions& opts);

}  // namespace verbatim
