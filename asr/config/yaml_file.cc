// Copyright Verbatim developers. SPDX-License-Identifier: Apache-2.0
#include "asr/config/yaml_file.h"

#include "asr/config/yaml_map.h"
#include "base/atomic_file.h"

namespace verbatim {
namespace {

// Reads each registered field from one mapping.
class MapReader : public OptionRegistry {
 public:
  MapReader(YamlMap* map, bool required) : map_(map), required_(required) {}
  void Register(const std::string& n, bool* v, const std::string&) override { Get(n, v); }
  void Register(const std::string& n, int* v, const std::string&) override { Get(n, v); }
  void Register(const std::string& n, int64_t* v, const std::string&) override { Get(n, v); }
  void Register(const std::string& n, uint64_t* v, const std::string&) override { Get(n, v); }
  void Register(const std::string& n, float* v, const std::string&) override { Get(n, v); }
  void Register(const std::string& n, double* v, const std::string&) override { Get(n, v); }
  void Register(const std::string& n, std::string* v, const std::string&) override { Get(n, v); }
  void Register(const std::string& n, std::vector<int>* v, const std::string&) override {
    map_->GetList(n, v, required_);
  }
  void Register(const std::string& n, std::vector<double>* v, const std::string&) override {
    map_->GetList(n, v, required_);
  }
  void Register(const std::string& n, std::vector<std::string>* v, const std::string&) override {
    map_->GetList(n, v, required_);
  }
  void Register(const std::string& n, NamedValue v, const std::string&) override {
    map_->GetNamed(n, v.set, required_);
  }

 private:
  template <typename T>
  void Get(const std::string& name, T* value) {
    map_->Get(name, value, required_);
  }
  YamlMap* map_;
  bool required_;
};

// Writes each registered field into one mapping, in registration order.
class NodeWriter : public OptionRegistry {
 public:
  explicit NodeWriter(YAML::Node* node) : node_(node) {}
  void Register(const std::string& n, bool* v, const std::string&) override { Put(n, *v); }
  void Register(const std::string& n, int* v, const std::string&) override { Put(n, *v); }
  void Register(const std::string& n, int64_t* v, const std::string&) override { Put(n, *v); }
  void Register(const std::string& n, uint64_t* v, const std::string&) override { Put(n, *v); }
  void Register(const std::string& n, float* v, const std::string&) override { Put(n, *v); }
  void Register(const std::string& n, double* v, const std::string&) override { Put(n, *v); }
  void Register(const std::string& n, std::string* v, const std::string&) override { Put(n, *v); }
  void Register(const std::string& n, std::vector<int>* v, const std::string&) override {
    PutList(n, *v);
  }
  void Register(const std::string& n, std::vector<double>* v, const std::string&) override {
    PutList(n, *v);
  }
  void Register(const std::string& n, std::vector<std::string>* v, const std::string&) override {
    PutList(n, *v);
  }
  void Register(const std::string& n, NamedValue v, const std::string&) override {
    Put(n, v.get());
  }

 private:
  template <typename T>
  void Put(const std::string& name, const T& value) {
    (*node_)[name] = value;
  }
  // An empty list is written as [] rather than as a null value.
  template <typename T>
  void PutList(const std::string& name, const std::vector<T>& values) {
    YAML::Node list(YAML::NodeType::Sequence);
    for (const T& v : values) list.push_back(v);
    (*node_)[name] = list;
  }
  YAML::Node* node_;
};

}  // namespace

struct YamlFileReader::Impl {
  YAML::Node root;
  YamlMap top;
};

YamlFileReader::YamlFileReader(const std::string& path) : path_(path) {
  YAML::Node root = LoadYamlFile(path);
  if (root.IsNull()) root = YAML::Node(YAML::NodeType::Map);  // an empty file
  impl_.reset(new Impl{root, YamlMap(root, path, "")});
}

YamlFileReader::~YamlFileReader() = default;
YamlFileReader::YamlFileReader(YamlFileReader&&) noexcept = default;

bool YamlFileReader::Has(const std::string& section) const { return impl_->top.Has(section); }

void YamlFileReader::Read(const std::string& section, const OptionFields& fields, Keys keys) {
  const bool required = keys == Keys::kRequired;
  if (section.empty()) {
    MapReader reader(&impl_->top, required);
    fields(&reader);
    return;
  }
  if (!required && !impl_->top.Has(section)) return;  // the whole section keeps its values
  YamlMap map = impl_->top.Map(section);
  MapReader reader(&map, required);
  fields(&reader);
  map.CheckAllKeysUsed();
}

void YamlFileReader::RenameKey(const std::string& section, const std::string& old_name,
                               const std::string& new_name) {
  YAML::Node map = section.empty() ? impl_->root : impl_->root[section];
  if (!map.IsMap() || !map[old_name]) return;
  map[new_name] = map[old_name];
  map.remove(old_name);
}

void YamlFileReader::CheckAllKeysUsed() const { impl_->top.CheckAllKeysUsed(); }

struct YamlFileWriter::Impl {
  YAML::Node root{YAML::NodeType::Map};
};

YamlFileWriter::YamlFileWriter() : impl_(new Impl) {}
YamlFileWriter::~YamlFileWriter() = default;
YamlFileWriter::YamlFileWriter(YamlFileWriter&&) noexcept = default;

void YamlFileWriter::Write(const std::string& section, const OptionFields& fields) {
  if (section.empty()) {
    NodeWriter writer(&impl_->root);
    fields(&writer);
    return;
  }
  YAML::Node node(YAML::NodeType::Map);
  NodeWriter writer(&node);
  fields(&writer);
  impl_->root[section] = node;
}

std::string YamlFileWriter::ToString() const { return EmitYaml(impl_->root, "YAML"); }

void YamlFileWriter::Save(const std::string& path, const std::string& comment) const {
  const std::string text = EmitYaml(impl_->root, path);
  AtomicOutputFile out(path);
  out.stream() << "# " << comment << "\n" << text << "\n";
  out.Commit();
}

}  // namespace verbatim
