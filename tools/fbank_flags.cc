// Copyright Verbatim developers. SPDX-License-Identifier: Apache-2.0
#include "tools/fbank_flags.h"

#include "frontend/frame_extraction.h"

namespace verbatim {

void FbankFlags::Add(CLI::App* app, FbankOptions* o) {
  const char* g = "Kaldi fbank options";
  auto& f = o->frame;
  auto& m = o->mel;
  app->add_option("--sample-frequency", f.sample_frequency,
                  "Sample rate of the features in Hz (audio is resampled to it)")
      ->capture_default_str()
      ->group(g);
  app->add_option("--frame-length", f.frame_length_ms, "Frame length in ms")
      ->capture_default_str()
      ->group(g);
  app->add_option("--frame-shift", f.frame_shift_ms, "Frame shift in ms")
      ->capture_default_str()
      ->group(g);
  app->add_option("--dither", f.dither, "Dither constant, 16-bit sample units (0 = none)")
      ->capture_default_str()
      ->group(g);
  app->add_option("--dither-seed", f.dither_seed, "Seed of the dither noise")
      ->capture_default_str()
      ->group(g);
  app->add_option("--preemphasis-coefficient", f.preemphasis_coefficient,
                  "Pre-emphasis coefficient")
      ->capture_default_str()
      ->group(g);
  app->add_flag("--remove-dc-offset", f.remove_dc_offset,
                "Subtract the mean of each frame (true|false; default true)")
      ->capture_default_str()
      ->group(g);
  app->add_option("--window-type", window_type_,
                  "Window: povey, hamming, hanning, rectangular, blackman, sine")
      ->capture_default_str()
      ->group(g);
  app->add_flag("--round-to-power-of-two", f.round_to_power_of_two,
                "Zero-pad frames to a power of two for the FFT (true|false; default true)")
      ->capture_default_str()
      ->group(g);
  app->add_option("--blackman-coeff", f.blackman_coeff, "Constant of the blackman window")
      ->capture_default_str()
      ->group(g);
  app->add_flag("--snip-edges", f.snip_edges,
                "Only frames that fit in the signal (true) or centred frames with reflected "
                "edges (false); default true")
      ->capture_default_str()
      ->group(g);
  app->add_option("--num-mel-bins", m.num_bins, "Number of mel bins")
      ->capture_default_str()
      ->group(g);
  app->add_option("--low-freq", m.low_freq, "Low cutoff of the mel bins, Hz")
      ->capture_default_str()
      ->group(g);
  app->add_option("--high-freq", m.high_freq,
                  "High cutoff of the mel bins, Hz (<= 0: offset from Nyquist)")
      ->capture_default_str()
      ->group(g);
  app->add_flag("--use-energy", o->use_energy,
                "Add log energy as a feature (true|false; default false)")
      ->capture_default_str()
      ->group(g);
  app->add_option("--energy-floor", o->energy_floor, "Floor on the energy (linear; 0 = none)")
      ->capture_default_str()
      ->group(g);
  app->add_flag("--raw-energy", o->raw_energy,
                "Energy before pre-emphasis and windowing (true|false; default true)")
      ->capture_default_str()
      ->group(g);
  app->add_flag("--htk-compat", o->htk_compat, "Energy last, as HTK (true|false; default false)")
      ->capture_default_str()
      ->group(g);
  app->add_flag("--use-log-fbank", o->use_log_fbank,
                "Log of the mel energies (true|false; default true)")
      ->capture_default_str()
      ->group(g);
  app->add_flag("--use-power", o->use_power,
                "Power spectrum, else magnitude (true|false; default true)")
      ->capture_default_str()
      ->group(g);
}

void FbankFlags::Finish(FbankOptions* opts) const {
  opts->frame.window_type = ParseWindowType(window_type_);
}

}  // namespace verbatim
