// Copyright Verbatim developers. SPDX-License-Identifier: Apache-2.0
#include "asr/config/train_config.h"

#include <fstream>
#include <sstream>

#include "asr/config/yaml_map.h"
#include "frontend/atomic_file.h"

namespace verbatim {
namespace {

// Each section is described once, by a function that visits every field with
// a reader or a writer, so the two directions can never disagree.
class Reader {
 public:
  // required: every key must be present (model.yaml, which our writer
  // writes in full); else missing keys keep their values (training YAML).
  Reader(YamlMap map, bool required) : map_(std::move(map)), required_(required) {}
  template <typename T>
  void operator()(const char* key, T* value) {
    if constexpr (std::is_same_v<T, std::vector<double>> || std::is_same_v<T, std::vector<int>> ||
                  std::is_same_v<T, std::vector<std::string>>)
      map_.GetList(key, value, required_);
    else
      map_.Get(key, value, required_);
  }
  template <typename T, typename Parse, typename Name>
  void Named(const char* key, T* value, Parse parse, Name) {
    map_.GetNamed(key, value, parse, required_);
  }
  void Done() { map_.CheckAllKeysUsed(); }

 private:
  YamlMap map_;
  bool required_;
};

class Writer {
 public:
  template <typename T>
  void operator()(const char* key, T* value) {
    node_[key] = *value;
  }
  template <typename T, typename Parse, typename Name>
  void Named(const char* key, T* value, Parse, Name name) {
    node_[key] = name(*value);
  }
  void Done() {}
  YAML::Node node() const { return node_; }

 private:
  YAML::Node node_;
};

template <typename V>
void VisitModel(V& v, ModelOptions* m) {
  v("input_dim", &m->input_dim);
  v("vocab_size", &m->vocab_size);
  v("d_model", &m->d_model);
  v("num_heads", &m->num_heads);
  v("ffn_dim", &m->ffn_dim);
  v("encoder_layers", &m->encoder_layers);
  v("decoder_layers", &m->decoder_layers);
  v("dropout", &m->dropout);
  v("attention_dropout", &m->attention_dropout);
  v("subsampling", &m->subsampling);
  v("subsampling_channels", &m->subsampling_channels);
  v("conv_kernel", &m->conv_kernel);
  v("tie_output_embedding", &m->tie_output_embedding);
  v("max_positions", &m->max_positions);
  v.Done();
}

template <typename V>
void VisitFeatures(V& v, FbankOptions* o) {
  v("sample_frequency", &o->frame.sample_frequency);
  v("frame_length_ms", &o->frame.frame_length_ms);
  v("frame_shift_ms", &o->frame.frame_shift_ms);
  v("dither", &o->frame.dither);
  v("preemphasis_coefficient", &o->frame.preemphasis_coefficient);
  v("remove_dc_offset", &o->frame.remove_dc_offset);
  v.Named("window_type", &o->frame.window_type, ParseWindowType, WindowTypeName);
  v("round_to_power_of_two", &o->frame.round_to_power_of_two);
  v("snip_edges", &o->frame.snip_edges);
  v("num_mel_bins", &o->mel.num_bins);
  v("low_freq", &o->mel.low_freq);
  v("high_freq", &o->mel.high_freq);
  v("use_energy", &o->use_energy);
  v("energy_floor", &o->energy_floor);
  v("use_log_fbank", &o->use_log_fbank);
  v("use_power", &o->use_power);
  v.Done();
}

template <typename V>
void VisitCmvn(V& v, CmvnOptions* o) {
  v("norm_means", &o->norm_means);
  v("norm_vars", &o->norm_vars);
  v.Done();
}

SpecAugmentOptions::TimeMaskPolicy ParsePolicy(const std::string& name) {
  if (name == "fixed") return SpecAugmentOptions::TimeMaskPolicy::kFixed;
  if (name == "adaptive") return SpecAugmentOptions::TimeMaskPolicy::kAdaptive;
  throw Error("unknown time mask policy '" + name + "' (fixed or adaptive)");
}
std::string PolicyName(SpecAugmentOptions::TimeMaskPolicy p) {
  return p == SpecAugmentOptions::TimeMaskPolicy::kAdaptive ? "adaptive" : "fixed";
}

template <typename V>
void VisitAugmentation(V& v, DataLoaderOptions* o) {
  v("speed_perturb", &o->speed_perturb);
  v("speed_factors", &o->speed.factors);
  v("volume_perturb", &o->volume_perturb);
  v("noise_probability", &o->noise_probability);
  v("noise_min_snr_db", &o->noise.min_snr_db);
  v("noise_max_snr_db", &o->noise.max_snr_db);
  v("noise_files", &o->noise.noise_files);
  v("spec_augment", &o->spec_augment);
  v("time_warp_window", &o->spec.time_warp_window);
  v("num_freq_masks", &o->spec.num_freq_masks);
  v("freq_mask_max_width", &o->spec.freq_mask_max_width);
  v.Named("time_mask_policy", &o->spec.time_mask_policy, ParsePolicy, PolicyName);
  v("num_time_masks", &o->spec.num_time_masks);
  v("time_mask_max_width", &o->spec.time_mask_max_width);
  v("adaptive_count_ratio", &o->spec.adaptive_count_ratio);
  v("adaptive_width_ratio", &o->spec.adaptive_width_ratio);
  v.Done();
}

template <typename V>
void VisitBatching(V& v, BatchSamplerOptions* o) {
  v("max_frames", &o->max_frames);
  v("max_batch_size", &o->max_batch_size);
  v("min_duration_s", &o->min_duration_s);
  v("max_duration_s", &o->max_duration_s);
  v("length_jitter", &o->length_jitter);
  v("shuffle", &o->shuffle);
  v.Done();
}

template <typename V>
void VisitTraining(V& v, TrainConfig* c) {
  TrainerOptions* o = &c->trainer;
  v("epochs", &o->epochs);
  v("max_steps", &o->max_steps);
  v("accum_grad", &o->accum_grad);
  v("grad_clip", &o->grad_clip);
  v("optimizer", &o->optimizer);
  v("peak_lr", &o->lr.peak_lr);
  v("warmup_steps", &o->lr.warmup_steps);
  v("lr_schedule", &o->lr.schedule);
  v("final_lr_ratio", &o->lr.final_lr_ratio);
  v("weight_decay", &o->weight_decay);
  v("ctc_weight", &o->ctc_weight);
  v("label_smoothing", &o->label_smoothing);
  v("seed", &o->seed);
  v("precision", &o->precision);
  v("keep_last", &o->keep_last);
  v("keep_best", &o->keep_best);
  v("best_metric", &o->best_metric);
  v("max_bad_batches", &o->max_bad_batches);
  v("log_interval", &o->log_interval);
  v("checkpoint_every", &o->checkpoint_every);
  v("num_workers", &c->data.num_threads);
  v("prefetch", &c->data.prefetch);
  v.Done();
}

template <typename V>
void VisitGuided(V& v, GuidedAttentionOptions* o) {
  v("weight", &o->weight);
  v("sigma", &o->sigma);
  v("layers", &o->layers);
  v("heads", &o->heads);
  v("decay_steps", &o->decay_steps);
  v("detach_encoder", &o->detach_encoder);
  v.Done();
}

template <typename V>
void VisitSampling(V& v, ScheduledSamplingOptions* o) {
  v("max_probability", &o->max_probability);
  v("start_step", &o->start_step);
  v("ramp_steps", &o->ramp_steps);
  v.Done();
}

// Optional sections and keys keep their defaults when missing; required
// ones are errors naming the file and key.
enum class Keys { kOptional, kRequired };

template <typename Fn, typename T>
void ReadSection(YamlMap& top, const char* key, Fn visit, T* target, Keys keys = Keys::kOptional) {
  const bool required = keys == Keys::kRequired;
  if (!required && !top.Has(key)) return;  // the whole section keeps its defaults
  Reader r(top.Map(key), required);
  visit(r, target);
}

template <typename Fn, typename T>
void WriteSection(YAML::Node* top, const char* key, Fn visit, T* target) {
  Writer w;
  visit(w, target);
  (*top)[key] = w.node();
}

std::string Emit(const YAML::Node& node) {
  YAML::Emitter emitter;
  emitter << node;
  return emitter.c_str();
}

void SaveText(const std::string& path, const std::string& comment, const std::string& text) {
  AtomicOutputFile out(path);
  out.stream() << "# " << comment << "\n" << text << "\n";
  out.Commit();
}

}  // namespace

#define VISITOR(fn) [](auto& v, auto* t) { fn(v, t); }

TrainConfig ReadTrainConfig(const std::string& path, const TrainConfig& base) {
  TrainConfig c = base;
  YamlMap top(LoadYamlFile(path), path, "");
  ReadSection(top, "model", VISITOR(VisitModel), &c.model);
  ReadSection(top, "features", VISITOR(VisitFeatures), &c.data.fbank);
  ReadSection(top, "cmvn", VISITOR(VisitCmvn), &c.data.cmvn_options);
  ReadSection(top, "augmentation", VISITOR(VisitAugmentation), &c.data);
  ReadSection(top, "batching", VISITOR(VisitBatching), &c.batching);
  ReadSection(top, "training", VISITOR(VisitTraining), &c);
  ReadSection(top, "guided_attention", VISITOR(VisitGuided), &c.trainer.guided);
  ReadSection(top, "scheduled_sampling", VISITOR(VisitSampling), &c.trainer.sampling);
  top.CheckAllKeysUsed();
  return c;
}

std::string TrainConfigToYaml(const TrainConfig& config) {
  TrainConfig c = config;
  YAML::Node top;
  WriteSection(&top, "model", VISITOR(VisitModel), &c.model);
  WriteSection(&top, "features", VISITOR(VisitFeatures), &c.data.fbank);
  WriteSection(&top, "cmvn", VISITOR(VisitCmvn), &c.data.cmvn_options);
  WriteSection(&top, "augmentation", VISITOR(VisitAugmentation), &c.data);
  WriteSection(&top, "batching", VISITOR(VisitBatching), &c.batching);
  WriteSection(&top, "training", VISITOR(VisitTraining), &c);
  WriteSection(&top, "guided_attention", VISITOR(VisitGuided), &c.trainer.guided);
  WriteSection(&top, "scheduled_sampling", VISITOR(VisitSampling), &c.trainer.sampling);
  return Emit(top);
}

void WriteTrainConfig(const std::string& path, const TrainConfig& config) {
  SaveText(path, "Verbatim training configuration (resolved: defaults < file < flags)",
           TrainConfigToYaml(config));
}

void WriteModelConfig(const std::string& path, const ModelConfig& config) {
  ModelConfig c = config;
  YAML::Node top;
  top["format_version"] = 1;
  WriteSection(&top, "model", VISITOR(VisitModel), &c.model);
  WriteSection(&top, "features", VISITOR(VisitFeatures), &c.fbank);
  WriteSection(&top, "cmvn", VISITOR(VisitCmvn), &c.cmvn);
  SaveText(path, "Verbatim model: network sizes and the features it expects", Emit(top));
}

ModelConfig ReadModelConfig(const std::string& path) {
  ModelConfig c;
  YamlMap top(LoadYamlFile(path), path, "");
  int version = 0;
  top.Get("format_version", &version);
  Check(version == 1, path + ": format_version " + std::to_string(version) + " is not supported");
  // Written in full by WriteModelConfig: a missing key means a damaged file,
  // and defaults would rebuild another network or other features.
  ReadSection(top, "model", VISITOR(VisitModel), &c.model, Keys::kRequired);
  ReadSection(top, "features", VISITOR(VisitFeatures), &c.fbank, Keys::kRequired);
  ReadSection(top, "cmvn", VISITOR(VisitCmvn), &c.cmvn, Keys::kRequired);
  top.CheckAllKeysUsed();
  return c;
}

#undef VISITOR

}  // namespace verbatim
