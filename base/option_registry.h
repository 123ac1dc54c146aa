// Copyright Verbatim developers. SPDX-License-Identifier: Apache-2.0
//
// The one description of an options struct. Every XxxOptions struct that a
// user can set has
//   void Register(OptionRegistry* registry);
// which names each field once, in snake_case, with its unit in the help
// text. The YAML reader and writer (asr/config) and the command-line flags
// (tools/, where num_mel_bins becomes --num-mel-bins) are registries, so a
// YAML key and its flag cannot disagree and no field can be forgotten by one
// of them (Kaldi's OptionsItf serves the same purpose).
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <utility>
#include <vector>

#include "base/error.h"

namespace verbatim {

// An enumeration set by name (e.g. a window type).
struct NamedValue {
  std::vector<std::string> names;               // every accepted name (help and errors)
  std::function<std::string()> get;             // name of the current value
  std::function<void(const std::string&)> set;  // throws Error for an unknown name
};

class OptionRegistry {
 public:
  virtual ~OptionRegistry() = default;
  virtual void Register(const std::string& name, bool* value, const std::string& help) = 0;
  virtual void Register(const std::string& name, int* value, const std::string& help) = 0;
  virtual void Register(const std::string& name, int64_t* value, const std::string& help) = 0;
  virtual void Register(const std::string& name, uint64_t* value, const std::string& help) = 0;
  virtual void Register(const std::string& name, float* value, const std::string& help) = 0;
  virtual void Register(const std::string& name, double* value, const std::string& help) = 0;
  virtual void Register(const std::string& name, std::string* value, const std::string& help) = 0;
  virtual void Register(const std::string& name, std::vector<int>* value,
                        const std::string& help) = 0;
  virtual void Register(const std::string& name, std::vector<double>* value,
                        const std::string& help) = 0;
  virtual void Register(const std::string& name, std::vector<std::string>* value,
                        const std::string& help) = 0;
  virtual void Register(const std::string& name, NamedValue value, const std::string& help) = 0;
};

// Registers the enumeration *value through its name functions:
// parse(std::string) -> E (throws Error for an unknown name), to_name(E).
template <typename E, typename Parse, typename ToName>
void RegisterNamed(OptionRegistry* registry, const std::string& name, E* value, Parse parse,
                   ToName to_name, std::vector<std::string> names, const std::string& help) {
  registry->Register(
      name,
      NamedValue{std::move(names), [value, to_name] { return std::string(to_name(*value)); },
                 [value, parse](const std::string& s) { *value = parse(s); }},
      help);
}

// Registers the enumeration *value through a table of its names; an unknown
// name is an Error listing the known ones.
template <typename E>
void RegisterEnum(OptionRegistry* registry, const std::string& name, E* value,
                  const std::vector<std::pair<std::string, E>>& choices, const std::string& help) {
  std::vector<std::string> names;
  for (const auto& c : choices) names.push_back(c.first);
  registry->Register(name,
                     NamedValue{names,
                                [value, choices] {
                                  for (const auto& c : choices)
                                    if (c.second == *value) return c.first;
                                  return std::string("?");
                                },
                                [value, choices, names, name](const std::string& s) {
                                  for (const auto& c : choices)
                                    if (c.first == s) {
                                      *value = c.second;
                                      return;
                                    }
                                  std::string known;
                                  for (const auto& n : names)
                                    known += (known.empty() ? "" : ", ") + n;
                                  throw Error("unknown " + name + " '" + s + "' (" + known + ")");
                                }},
                     help);
}

// Passes every registration on to `target` with `prefix` before the name:
// a component's options inside another's section ("noise_" + "min_snr_db").
class PrefixedRegistry : public OptionRegistry {
 public:
  PrefixedRegistry(OptionRegistry* target, std::string prefix)
      : target_(target), prefix_(std::move(prefix)) {}
  void Register(const std::string& n, bool* v, const std::string& h) override { Pass(n, v, h); }
  void Register(const std::string& n, int* v, const std::string& h) override { Pass(n, v, h); }
  void Register(const std::string& n, int64_t* v, const std::string& h) override { Pass(n, v, h); }
  void Register(const std::string& n, uint64_t* v, const std::string& h) override { Pass(n, v, h); }
  void Register(const std::string& n, float* v, const std::string& h) override { Pass(n, v, h); }
  void Register(const std::string& n, double* v, const std::string& h) override { Pass(n, v, h); }
  void Register(const std::string& n, std::string* v, const std::string& h) override {
    Pass(n, v, h);
  }
  void Register(const std::string& n, std::vector<int>* v, const std::string& h) override {
    Pass(n, v, h);
  }
  void Register(const std::string& n, std::vector<double>* v, const std::string& h) override {
    Pass(n, v, h);
  }
  void Register(const std::string& n, std::vector<std::string>* v, const std::string& h) override {
    Pass(n, v, h);
  }
  void Register(const std::string& n, NamedValue v, const std::string& h) override {
    target_->Register(prefix_ + n, std::move(v), h);
  }

 private:
  template <typename T>
  void Pass(const std::string& name, T* value, const std::string& help) {
    target_->Register(prefix_ + name, value, help);
  }
  OptionRegistry* target_;
  std::string prefix_;
};

// The names an options struct registers, in order (tests, help).
template <typename Options>
std::vector<std::string> RegisteredNames(Options options);

// Collects names only; every value is ignored.
class NameCollector : public OptionRegistry {
 public:
  void Register(const std::string& n, bool*, const std::string&) override { Add(n); }
  void Register(const std::string& n, int*, const std::string&) override { Add(n); }
  void Register(const std::string& n, int64_t*, const std::string&) override { Add(n); }
  void Register(const std::string& n, uint64_t*, const std::string&) override { Add(n); }
  void Register(const std::string& n, float*, const std::string&) override { Add(n); }
  void Register(const std::string& n, double*, const std::string&) override { Add(n); }
  void Register(const std::string& n, std::string*, const std::string&) override { Add(n); }
  void Register(const std::string& n, std::vector<int>*, const std::string&) override { Add(n); }
  void Register(const std::string& n, std::vector<double>*, const std::string&) override { Add(n); }
  void Register(const std::string& n, std::vector<std::string>*, const std::string&) override {
    Add(n);
  }
  void Register(const std::string& n, NamedValue, const std::string&) override { Add(n); }
  std::vector<std::string> names;

 private:
  void Add(const std::string& name) { names.push_back(name); }
};

template <typename Options>
std::vector<std::string> RegisteredNames(Options options) {
  NameCollector collector;
  options.Register(&collector);
  return collector.names;
}

}  // namespace verbatim
