// Copyright Verbatim developers. SPDX-License-Identifier: Apache-2.0
//
// The one place that reads and writes YAML (yaml-cpp stays inside
// asr/config; this header does not expose it). A file is a mapping of
// sections, each a mapping of option names to values, filled through the
// options' own Register() (base/option_registry.h):
//
//   YamlFileReader file("conf/train.yaml");
//   file.Read("features", &fbank_options);   // keys left out keep their values
//   file.CheckAllKeysUsed();                 // a section nobody read is an error
//
// Reading is strict: a value of the wrong type, a missing required key and an
// unknown key (a typo) are errors naming the file and the key path, e.g.
//   "conf/train.yaml: features.num_mel_bins: expected an integer, got 'many'"
// Files are written atomically (base/atomic_file.h).
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

#include "base/option_registry.h"

namespace verbatim {

// Fills or reads an options struct through a registry.
using OptionFields = std::function<void(OptionRegistry*)>;

template <typename Options>
OptionFields FieldsOf(Options* options) {
  return [options](OptionRegistry* registry) { options->Register(registry); };
}

class YamlFileReader {
 public:
  // Parses `path`; throws Error naming the file (and line and column of a
  // syntax error).
  explicit YamlFileReader(const std::string& path);
  ~YamlFileReader();
  YamlFileReader(YamlFileReader&&) noexcept;

  const std::string& path() const { return path_; }
  // Whether the top level has `section`.
  bool Has(const std::string& section) const;

  enum class Keys {
    kOptional,  // keys left out keep their values (a configuration written by hand)
    kRequired,  // every registered key must be there (a file Verbatim wrote in full)
  };
  // Reads the mapping `section` ("" = the top level) into the fields
  // `fields` registers. A missing optional section changes nothing. Keys of
  // the section that no field registered are errors (the top level's are
  // checked by CheckAllKeysUsed, since sections are keys there too).
  void Read(const std::string& section, const OptionFields& fields, Keys keys = Keys::kOptional);
  template <typename Options>
  void Read(const std::string& section, Options* options, Keys keys = Keys::kOptional) {
    Read(section, FieldsOf(options), keys);
  }
  // Reads `old_name` of `section` as `new_name` (files of an older format).
  void RenameKey(const std::string& section, const std::string& old_name,
                 const std::string& new_name);
  // Throws for a top-level key that no Read() used.
  void CheckAllKeysUsed() const;

 private:
  struct Impl;
  std::string path_;
  std::unique_ptr<Impl> impl_;
};

class YamlFileWriter {
 public:
  YamlFileWriter();
  ~YamlFileWriter();
  YamlFileWriter(YamlFileWriter&&) noexcept;

  // Writes every field `fields` registers under `section` ("" = the top level).
  void Write(const std::string& section, const OptionFields& fields);
  template <typename Options,
            typename = std::enable_if_t<!std::is_invocable_v<Options, OptionRegistry*>>>
  void Write(const std::string& section, const Options& options) {
    Options copy = options;  // Register() takes non-const pointers
    Write(section, FieldsOf(&copy));
  }

  std::string ToString() const;
  // Writes the document after a "# comment" line, atomically.
  void Save(const std::string& path, const std::string& comment) const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace verbatim
