// Copyright Verbatim developers. SPDX-License-Identifier: Apache-2.0
#include "tools/option_flags.h"

#include <algorithm>

#include "base/error.h"

namespace verbatim {

std::string FlagName(const std::string& field) {
  std::string flag = "--" + field;
  std::replace(flag.begin(), flag.end(), '_', '-');
  return flag;
}

// Adds one CLI11 option per field, bound to the parsed values' storage.
class OptionFlags::Adder : public OptionRegistry {
 public:
  Adder(CLI::App* app, std::string group, std::map<std::string, Flag>* flags)
      : app_(app), group_(std::move(group)), flags_(flags) {}
  void Register(const std::string& n, bool* v, const std::string& h) override {
    Keep(n, v, app_->add_flag(FlagName(n), *v, h + " (true|false)"));
  }
  void Register(const std::string& n, int* v, const std::string& h) override { Option(n, v, h); }
  void Register(const std::string& n, int64_t* v, const std::string& h) override {
    Option(n, v, h);
  }
  void Register(const std::string& n, uint64_t* v, const std::string& h) override {
    Option(n, v, h);
  }
  void Register(const std::string& n, float* v, const std::string& h) override { Option(n, v, h); }
  void Register(const std::string& n, double* v, const std::string& h) override { Option(n, v, h); }
  void Register(const std::string& n, std::string* v, const std::string& h) override {
    Option(n, v, h);
  }
  void Register(const std::string& n, std::vector<int>* v, const std::string& h) override {
    Option(n, v, h);
  }
  void Register(const std::string& n, std::vector<double>* v, const std::string& h) override {
    Option(n, v, h);
  }
  void Register(const std::string& n, std::vector<std::string>* v, const std::string& h) override {
    Option(n, v, h);
  }
  void Register(const std::string& n, NamedValue v, const std::string& h) override {
    Flag flag;
    flag.name = std::make_shared<std::string>(v.get());
    std::string choices;
    for (const std::string& name : v.names) choices += (choices.empty() ? "" : ", ") + name;
    flag.option = app_->add_option(FlagName(n), *flag.name, h + ": " + choices)
                      ->capture_default_str()
                      ->group(group_);
    (*flags_)[n] = flag;
  }

 private:
  template <typename T>
  void Option(const std::string& name, T* value, const std::string& help) {
    Keep(name, value, app_->add_option(FlagName(name), *value, help)->capture_default_str());
  }
  template <typename T>
  void Keep(const std::string& name, T* value, CLI::Option* option) {
    Check(flags_->count(name) == 0, "two options named '" + name + "'");
    option->group(group_);
    Flag flag;
    flag.option = option;
    flag.copy_to = [value](void* field) { *static_cast<T*>(field) = *value; };
    (*flags_)[name] = flag;
  }

  CLI::App* app_;
  std::string group_;
  std::map<std::string, Flag>* flags_;
};

// Copies the given flags' values into the fields of another object of the
// same options type.
class OptionFlags::Applier : public OptionRegistry {
 public:
  explicit Applier(const std::map<std::string, Flag>& flags) : flags_(flags) {}
  void Register(const std::string& n, bool* v, const std::string&) override { Copy(n, v); }
  void Register(const std::string& n, int* v, const std::string&) override { Copy(n, v); }
  void Register(const std::string& n, int64_t* v, const std::string&) override { Copy(n, v); }
  void Register(const std::string& n, uint64_t* v, const std::string&) override { Copy(n, v); }
  void Register(const std::string& n, float* v, const std::string&) override { Copy(n, v); }
  void Register(const std::string& n, double* v, const std::string&) override { Copy(n, v); }
  void Register(const std::string& n, std::string* v, const std::string&) override { Copy(n, v); }
  void Register(const std::string& n, std::vector<int>* v, const std::string&) override {
    Copy(n, v);
  }
  void Register(const std::string& n, std::vector<double>* v, const std::string&) override {
    Copy(n, v);
  }
  void Register(const std::string& n, std::vector<std::string>* v, const std::string&) override {
    Copy(n, v);
  }
  void Register(const std::string& n, NamedValue v, const std::string&) override {
    const Flag* flag = Given(n);
    if (flag == nullptr) return;
    try {
      v.set(*flag->name);
    } catch (const Error& e) {
      throw Error(FlagName(n) + ": " + e.what());
    }
  }

 private:
  const Flag* Given(const std::string& name) const {
    auto it = flags_.find(name);
    Check(it != flags_.end(), "no flag for the option '" + name + "'");
    return it->second.option->count() > 0 ? &it->second : nullptr;
  }
  template <typename T>
  void Copy(const std::string& name, T* field) {
    if (const Flag* flag = Given(name)) flag->copy_to(field);
  }
  const std::map<std::string, Flag>& flags_;
};

void OptionFlags::AddFields(CLI::App* app, const std::string& group, const Fields& fields) {
  Adder adder(app, group, &flags_);
  fields(&adder);
}

void OptionFlags::ApplyFields(const Fields& fields) const {
  Applier applier(flags_);
  fields(&applier);
}

bool OptionFlags::AnyGiven() const {
  for (const auto& entry : flags_)
    if (entry.second.option->count() > 0) return true;
  return false;
}

}  // namespace verbatim
