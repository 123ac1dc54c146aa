// Copyright Verbatim developers. SPDX-License-Identifier: Apache-2.0
//
// Command-line flags made from an options struct's Register()
// (base/option_registry.h): the field num_mel_bins becomes --num-mel-bins,
// with the same help, so flags and YAML keys share one list of names.
// Parsed values wait until Apply(), which sets only the flags given on the
// command line: a command reads its YAML first, then applies the flags over
// it (defaults < YAML < flags). Booleans take --flag, --flag=true or
// --flag=false, as Kaldi's tools do.
#pragma once

#include <CLI/CLI.hpp>

#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "base/option_registry.h"

namespace verbatim {

class OptionFlags {
 public:
  // Adds a flag to `app`, in the help group `group`, for every field of
  // `defaults` (whose values the help shows as the defaults).
  template <typename Options>
  void Add(CLI::App* app, const Options& defaults, const std::string& group) {
    auto values = std::make_shared<Options>(defaults);
    values_.push_back(values);  // keeps the parsed values alive
    AddFields(app, group, [values](OptionRegistry* r) { values->Register(r); });
  }

  // Sets the fields of `options` whose flags were given.
  template <typename Options>
  void Apply(Options* options) const {
    ApplyFields([options](OptionRegistry* r) { options->Register(r); });
  }

  // Whether any of the flags was given.
  bool AnyGiven() const;

 private:
  using Fields = std::function<void(OptionRegistry*)>;
  struct Flag {
    CLI::Option* option = nullptr;
    std::function<void(void*)> copy_to;  // copies the parsed value into a field of its type
    std::shared_ptr<std::string> name;   // the parsed name of a NamedValue field
  };
  class Adder;
  class Applier;
  void AddFields(CLI::App* app, const std::string& group, const Fields& fields);
  void ApplyFields(const Fields& fields) const;

  std::vector<std::shared_ptr<void>> values_;
  std::map<std::string, Flag> flags_;  // by field name
};

// "num_mel_bins" -> "--num-mel-bins".
std::string FlagName(const std::string& field);

}  // namespace verbatim
