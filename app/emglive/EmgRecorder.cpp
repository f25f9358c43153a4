#include "emglive/EmgRecorder.h"

#include <algorithm>
#include <chrono>
#include <cmath>

namespace tautband::emglive {

EmgRecorder::EmgRecorder(const std::filesystem::path& path, const emgrecord::RecordingHeader& header, Options options)
    : path_(path), channels_(header.channels), rate_(header.sampleRateHz), options_(options),
      samples_(static_cast<std::size_t>(std::ceil(options.bufferSeconds * header.sampleRateHz)) * header.channels),
      blocks_(4096), events_(256),
      historyFrames_(static_cast<std::size_t>(std::ceil((options.windowBeforeS + options.windowAfterS) * header.sampleRateHz)) +
                     static_cast<std::size_t>(header.sampleRateHz)) {
  if (options_.chunkFrames == 0) options_.chunkFrames = std::max<std::size_t>(1, static_cast<std::size_t>(rate_ / 4));
  writer_ = std::make_unique<emgrecord::ChunkWriter>(path, header, options_.chunkFrames);
  scratch_.resize(samples_.capacity());
  history_.resize(historyFrames_ * channels_);
  window_.resize(historyFrames_);
  pendingWindows_.reserve(64);
  thread_ = std::thread([this] { run(); });
}

EmgRecorder::~EmgRecorder() {
  try {
    finish();
  } catch (...) {
  }
}

bool EmgRecorder::pushFrames(std::uint64_t firstFrame, const float* data, std::size_t frames) {
  if (blocks_.size() + 1 >= blocks_.capacity() || !samples_.tryPushAll(data, frames * channels_)) {
    droppedFrames_.fetch_add(frames, std::memory_order_relaxed);
    return false;
  }
  blocks_.tryPush({firstFrame, frames});
  return true;
}

bool EmgRecorder::pushEvent(Event event) {
  if (!events_.tryPush(std::move(event))) {
    droppedEvents_.fetch_add(1, std::memory_order_relaxed);
    return false;
  }
  wake_.notify_one();
  return true;
}

std::string EmgRecorder::lastError() const {
  std::lock_guard lock(errorMutex_);
  return error_;
}

void EmgRecorder::keepHistory(std::uint64_t firstFrame, const float* data, std::size_t frames) {
  for (std::size_t f = 0; f < frames; ++f) {
    const std::size_t slot = static_cast<std::size_t>((firstFrame + f) % historyFrames_);
    std::copy_n(data + f * channels_, channels_, history_.begin() + static_cast<std::ptrdiff_t>(slot * channels_));
  }
  historyEnd_ = firstFrame + frames;
}

void EmgRecorder::cutWindows(bool all) {
  const auto before = static_cast<std::uint64_t>(options_.windowBeforeS * rate_);
  const auto after = static_cast<std::uint64_t>(options_.windowAfterS * rate_);
  for (auto it = pendingWindows_.begin(); it != pendingWindows_.end();) {
    const std::uint64_t first = it->frame > before ? it->frame - before : 0;
    std::uint64_t end = it->frame + after;
    if (end > historyEnd_ && !all) {
      ++it;
      continue;
    }
    end = std::min(end, historyEnd_);
    const std::uint64_t oldest = historyEnd_ > historyFrames_ ? historyEnd_ - historyFrames_ : 0;
    const std::uint64_t from = std::max(first, oldest);
    std::size_t n = 0;
    for (std::uint64_t f = from; f < end; ++f) {
      window_[n++] = history_[static_cast<std::size_t>(f % historyFrames_) * channels_ + std::min<std::size_t>(it->channel, channels_ - 1)];
    }
    if (n > 0) writer_->appendLtrWindow(it->channel, from, window_.data(), n);
    it = pendingWindows_.erase(it);
  }
}

bool EmgRecorder::drainOnce() {
  bool any = false;
  BlockRef block;
  while (blocks_.tryPop(block)) {
    any = true;
    const std::size_t n = block.frames * channels_;
    samples_.popInto(scratch_.data(), n);
    writer_->appendFrames(block.firstFrame, scratch_.data(), block.frames);
    keepHistory(block.firstFrame, scratch_.data(), block.frames);
    framesWritten_.fetch_add(block.frames, std::memory_order_relaxed);
  }
  Event event;
  while (events_.tryPop(event)) {
    any = true;
    writer_->appendEvent(event.frame, event.json);
    if (event.wantsWindow) pendingWindows_.push_back(std::move(event));
  }
  cutWindows(false);
  return any;
}

void EmgRecorder::run() {
  auto lastSync = std::chrono::steady_clock::now();
  try {
    while (!stop_.load()) {
      {
        std::unique_lock lock(wakeMutex_);
        wake_.wait_for(lock, std::chrono::milliseconds(20));
      }
      drainOnce();
      const auto now = std::chrono::steady_clock::now();
      if (now - lastSync >= std::chrono::duration<double>(options_.syncEveryS)) {
        writer_->sync();
        lastSync = now;
      }
    }
    drainOnce();
    cutWindows(true);
    writer_->close();
  } catch (const std::exception& e) {
    std::lock_guard lock(errorMutex_);
    error_ = e.what();
  }
}

std::string EmgRecorder::finish() {
  if (finished_) return hash_;
  finished_ = true;
  stop_.store(true);
  wake_.notify_one();
  if (thread_.joinable()) thread_.join();
  if (!lastError().empty()) throw emgrecord::RecordingError(lastError());
  hash_ = emgrecord::hashFileBlake2b256(path_);
  return hash_;
}

}  // namespace tautband::emglive
