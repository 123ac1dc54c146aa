// Copyright Verbatim developers. SPDX-License-Identifier: Apache-2.0
#include "tools/search_flags.h"

#include "asr/decode/search_factory.h"

namespace verbatim {

void AddSearchFlags(CLI::App* app, std::string* search, SearchOptions* opts) {
  app->add_option("--search", *search,
                  std::string(kSearchNames) + " (attention: joint CTC/attention beam search)")
      ->capture_default_str();
  app->add_option("--beam", opts->beam, "Beam size")->capture_default_str();
  app->add_option("--ctc-weight", opts->ctc_weight, "Weight of CTC in the joint score (0..1)")
      ->capture_default_str();
  app->add_option("--pre-beam", opts->pre_beam,
                  "Candidate tokens per hypothesis and step, chosen by the attention decoder "
                  "before the CTC prefix score (0 = 1.5 x beam, as ESPnet; the vocabulary size "
                  "scores every token with CTC, for weak decoders)")
      ->capture_default_str();
  app->add_option("--length-bonus", opts->length_bonus, "Score added per output token")
      ->capture_default_str();
}

void AddModelLoadFlags(CLI::App* app, ModelLoadOptions* load) {
  app->add_option("--device", load->device, "cpu, cuda or cuda:N")->capture_default_str();
  app->add_flag("--int8", load->int8,
                "INT8 linear layers (dynamic quantization; CPU only): faster, slightly less "
                "accurate");
}

}  // namespace verbatim
