// Copyright Verbatim developers. SPDX-License-Identifier: Apache-2.0
//
// The flags that choose and tune the search and load the model, shared by
// `decode` and `transcribe` so that both spell and document them alike.
#pragma once

#include <CLI/CLI.hpp>
#include <string>

#include "asr/model/model_dir.h"
#include "asr/search/search.h"

namespace verbatim {

// --search (the search's name, bound to `search`), --beam, --ctc-weight,
// --pre-beam and --length-bonus (bound to `opts`).
void AddSearchFlags(CLI::App* app, std::string* search, SearchOptions* opts);

// --device and --int8, bound to `load`.
void AddModelLoadFlags(CLI::App* app, ModelLoadOptions* load);

}  // namespace verbatim
