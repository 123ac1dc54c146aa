// Copyright Verbatim developers. SPDX-License-Identifier: Apache-2.0
//
// `verbatim plot-attention`: the cross-attention of one decoder layer over
// one audio file as a heat map (decoder steps x encoder frames), with the
// decoder teacher-forced on the reference text or on its own beam-search
// output. A well-trained model shows a monotonic diagonal.
#include <torch/torch.h>

#include <cstring>
#include <filesystem>
#include <iostream>

#include "asr/decode/model_features.h"
#include "asr/model/model_dir.h"
#include "asr/plot/heat_map.h"
#include "asr/search/attention_beam_search.h"
#include "asr/util/compute_threads.h"
#include "base/error.h"
#include "frontend/audio_reader.h"
#include "tools/command.h"
#include "tools/image_output.h"

namespace verbatim {
namespace {

// Features of `path` as the model expects them: (1, T, C).
torch::Tensor Features(const LoadedModel& m, const std::string& path) {
  const ModelFeatures features(m);
  AudioReadOptions audio;
  audio.sample_rate_hz = features.sample_rate_hz();
  const FeatureMatrix feats = features.Compute(ReadAudio(path, audio).samples);
  Check(feats.num_frames > 0, path + ": audio shorter than one frame");
  torch::Tensor x = torch::empty({1, feats.num_frames, feats.dim});
  std::memcpy(x.data_ptr<float>(), feats.data.data(), sizeof(float) * feats.data.size());
  return x;
}

// `text` cut to at most `max_bytes` bytes, at a UTF-8 character boundary, with "...".
std::string Shorten(const std::string& text, size_t max_bytes) {
  if (text.size() <= max_bytes) return text;
  size_t cut = max_bytes - 3;
  while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80) --cut;
  return text.substr(0, cut) + "...";
}

class PlotAttentionCommand : public Command {
 public:
  CLI::App* Setup(CLI::App* app) override {
    CLI::App* sub = app->add_subcommand(
        "plot-attention",
        "Draw the cross-attention of a decoder layer for one audio file as a heat map\n"
        "(rows: decoder steps, labelled with the token each predicts; columns: encoder\n"
        "frames, in seconds). The decoder reads the reference --text, or else its own\n"
        "beam-search output (joint CTC/attention). Writes SVG, or PNG via rsvg-convert.\n"
        "Example: verbatim plot-attention --model exp/train/model --audio a.flac\n"
        "           --text \"HELLO WORLD\" --layer 5 --out att.svg");
    sub->add_option("--model", model_dir_, "Model directory")->required();
    sub->add_option("--audio", audio_path_, "Audio file")->required();
    sub->add_option("--text", text_, "Reference transcript (default: decode the audio)");
    sub->add_option("--layer", layer_, "Decoder layer, 0-based (-1 = the last)")
        ->capture_default_str();
    sub->add_option("--head", head_, "Attention head, 0-based (-1 = mean over heads)")
        ->capture_default_str();
    sub->add_option("--out", out_path_, "Image to write (.svg or .png)")->required();
    sub->add_option("--beam", search_.beam, "Beam size when decoding")->capture_default_str();
    sub->add_option("--ctc-weight", search_.ctc_weight, "CTC weight when decoding")
        ->capture_default_str();
    sub->add_option("--threads", threads_, "LibTorch threads")->capture_default_str();
    return sub;
  }

  int Run() override {
    SetComputeThreads(threads_);
    torch::NoGradGuard no_grad;
    LoadedModel m = LoadModelDir(model_dir_);
    const int layers = m.config.model.decoder_layers, heads = m.config.model.num_heads;
    const int layer = layer_ < 0 ? layers + layer_ : layer_;
    Check(layer >= 0 && layer < layers, "--layer " + std::to_string(layer_) + ": the model has " +
                                            std::to_string(layers) + " decoder layers (0.." +
                                            std::to_string(layers - 1) + ")");
    Check(head_ >= -1 && head_ < heads, "--head " + std::to_string(head_) + ": the model has " +
                                            std::to_string(heads) + " heads (0.." +
                                            std::to_string(heads - 1) + ", -1 = mean)");
    const torch::Tensor x = Features(m, audio_path_);
    const torch::Tensor lengths = torch::full({1}, x.size(1), torch::kInt64);

    std::vector<int> tokens;
    if (!text_.empty()) {
      tokens = m.tokenizer.Encode(text_);
      Check(!tokens.empty(), "--text: no token after normalization");
    } else {
      search_.Validate();
      const auto results = AttentionBeamSearch(search_).Decode(m.model, x, lengths);
      if (!results[0].nbest.empty()) tokens = results[0].nbest[0].tokens;
    }
    const std::string text = m.tokenizer.Decode(tokens);
    std::cout << (text_.empty() ? "decoded: " : "reference: ") << text << "\n";

    // Teacher forcing: rows predict y1..yL, <eos>.
    const EncoderOutput enc = m.model->Encode(x, lengths);
    const torch::Tensor token_tensor =
        torch::tensor(std::vector<int64_t>(tokens.begin(), tokens.end()), torch::kInt64)
            .view({1, static_cast<int64_t>(tokens.size())});
    const DecoderIo io =
        MakeDecoderIo(token_tensor, torch::full({1}, static_cast<int64_t>(tokens.size())));
    std::vector<torch::Tensor> cross;
    m.model->decoder()->forward(io.input, io.lengths, enc.out, enc.mask, &cross);
    torch::Tensor w = cross.at(layer)[0];  // (H, L + 1, T')
    w = (head_ < 0 ? w.mean(0) : w[head_]).to(torch::kFloat32).contiguous();
    const int rows = static_cast<int>(w.size(0)), cols = static_cast<int>(w.size(1));

    HeatMapOptions opts;
    for (int t : tokens) opts.row_labels.push_back(m.tokenizer.IdToPiece(t));
    opts.row_labels.push_back("<eos>");
    opts.column_scale = x.size(1) * m.config.fbank.frame.frame_shift_ms / 1000.0 / cols;
    opts.x_label = "time (s), " + std::to_string(cols) + " encoder frames";
    opts.y_label = "decoder step (token predicted)";
    opts.title = std::filesystem::path(audio_path_).filename().string() + ": layer " +
                 std::to_string(layer) + ", " +
                 (head_ < 0 ? "mean of " + std::to_string(heads) + " heads"
                            : "head " + std::to_string(head_)) +
                 (text_.empty() ? " (decoded)" : " (reference)") + ": " + Shorten(text, 60);
    opts.min_value = 0.0;
    opts.max_value = std::max(1e-6f, w.max().item<float>());
    SaveImage(DrawHeatMap(std::vector<float>(w.data_ptr<float>(), w.data_ptr<float>() + w.numel()),
                          rows, cols, opts),
              out_path_);
    std::cerr << "verbatim plot-attention: " << rows << " decoder steps x " << cols
              << " encoder frames -> " << out_path_ << "\n";
    return 0;
  }

 private:
  std::string model_dir_, audio_path_, text_, out_path_;
  int layer_ = -1, head_ = -1, threads_ = 2;
  SearchOptions search_;
};

VERBATIM_REGISTER_COMMAND(PlotAttentionCommand);

}  // namespace
}  // namespace verbatim
