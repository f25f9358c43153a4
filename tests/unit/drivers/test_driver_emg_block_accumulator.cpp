// devices/drivers/common/EmgBlockAccumulator: the block filling and start
// answering the Cyton and BITalino codecs share, driven directly through a
// tb_host that records what the host would receive.
#include "EmgBlockAccumulator.h"

#include <QTest>

#include <string>
#include <vector>

using tautband::drivers::EmgBlockAccumulator;
using tautband::drivers::EmgStreamShape;

namespace {

struct Block {
  std::uint64_t sequence;
  std::uint32_t modulus, channels, samples, rateHz;
  std::vector<float> values;
};

struct Reply {
  std::uint32_t id;
  bool ok;
  std::string detail;
};

struct Recorder {
  std::vector<Block> blocks;
  std::vector<Reply> replies;

  tb_host host() {
    tb_host h{};
    h.struct_size = sizeof(tb_host);
    h.context = this;
    h.emg_block = [](void* c, const tb_emg_block* b) {
      static_cast<Recorder*>(c)->blocks.push_back(
          {b->sequence, b->sequence_modulus, b->channel_count, b->sample_count, b->sample_rate_hz,
           std::vector<float>(b->samples_uv, b->samples_uv + std::size_t{b->sample_count} * b->channel_count)});
    };
    h.reply = [](void* c, std::uint32_t id, std::int32_t ok, const char* detail) {
      static_cast<Recorder*>(c)->replies.push_back({id, ok != 0, detail});
    };
    return h;
  }
};

constexpr EmgStreamShape kTwoChannels{2, 250, 256};

}  // namespace

class EmgBlockAccumulatorTest : public QObject {
  Q_OBJECT

 private slots:
  void oneSampleBlocksCarryTheSequenceAndShape() {
    Recorder r;
    EmgBlockAccumulator emg(r.host(), 1, 4);
    emg.setShape(kTwoChannels);
    const float a[] = {1.5f, -2.5f};
    const float b[] = {3.0f, 4.0f};
    emg.append(7, a);
    emg.append(9, b);  // a gap: still one block each
    QCOMPARE(r.blocks.size(), std::size_t{2});
    QCOMPARE(r.blocks[0].sequence, std::uint64_t{7});
    QCOMPARE(r.blocks[0].modulus, 256u);
    QCOMPARE(r.blocks[0].channels, 2u);
    QCOMPARE(r.blocks[0].samples, 1u);
    QCOMPARE(r.blocks[0].rateHz, 250u);
    QCOMPARE(r.blocks[0].values, (std::vector<float>{1.5f, -2.5f}));
    QCOMPARE(r.blocks[1].sequence, std::uint64_t{9});
    QCOMPARE(r.blocks[1].values, (std::vector<float>{3.0f, 4.0f}));
    QCOMPARE(emg.lastSequence(), std::optional<std::uint32_t>(9));
  }

  void consecutiveSamplesFillABlockAcrossTheWrap() {
    Recorder r;
    EmgBlockAccumulator emg(r.host(), 3, 2);
    emg.setShape({1, 1000, 16});
    const float v[] = {0.f, 1.f, 2.f, 3.f};
    emg.append(14, &v[0]);
    emg.append(15, &v[1]);
    QVERIFY(r.blocks.empty());  // not full yet
    emg.append(0, &v[2]);       // 15 -> 0 follows modulo 16
    QCOMPARE(r.blocks.size(), std::size_t{1});
    QCOMPARE(r.blocks[0].sequence, std::uint64_t{14});
    QCOMPARE(r.blocks[0].samples, 3u);
    QCOMPARE(r.blocks[0].values, (std::vector<float>{0.f, 1.f, 2.f}));
    emg.append(1, &v[3]);
    QCOMPARE(r.blocks.size(), std::size_t{1});
    emg.flush();
    QCOMPARE(r.blocks.size(), std::size_t{2});
    QCOMPARE(r.blocks[1].sequence, std::uint64_t{1});
    QCOMPARE(r.blocks[1].samples, 1u);
    emg.flush();  // nothing open: nothing sent
    QCOMPARE(r.blocks.size(), std::size_t{2});
  }

  void aGapClosesTheOpenBlock() {
    Recorder r;
    EmgBlockAccumulator emg(r.host(), 8, 1);
    emg.setShape({1, 100, 256});
    const float v[] = {10.f, 11.f, 12.f};
    emg.append(3, &v[0]);
    emg.append(4, &v[1]);
    emg.append(6, &v[2]);  // 5 lost
    QCOMPARE(r.blocks.size(), std::size_t{1});
    QCOMPARE(r.blocks[0].sequence, std::uint64_t{3});
    QCOMPARE(r.blocks[0].values, (std::vector<float>{10.f, 11.f}));
    emg.flush();
    QCOMPARE(r.blocks[1].sequence, std::uint64_t{6});
    QCOMPARE(r.blocks[1].values, (std::vector<float>{12.f}));
  }

  void theFirstSampleAnswersThePendingStartOnce() {
    Recorder r;
    EmgBlockAccumulator emg(r.host(), 1, 2);
    emg.setShape(kTwoChannels);
    emg.awaitFirstSample(42, 1'000);
    QVERIFY(r.replies.empty());
    const float v[] = {0.f, 0.f};
    emg.append(0, v);
    emg.append(1, v);
    QCOMPARE(r.replies.size(), std::size_t{1});
    QCOMPARE(r.replies[0].id, 42u);
    QVERIFY(r.replies[0].ok);
    emg.expireStart(10'000'000, 1'000'000, "late");  // answered already: nothing more
    QCOMPARE(r.replies.size(), std::size_t{1});
  }

  void aStartWithoutSamplesIsRefusedAfterItsTimeout() {
    Recorder r;
    EmgBlockAccumulator emg(r.host(), 1, 2);
    emg.setShape(kTwoChannels);
    emg.awaitFirstSample(7, 5'000'000);
    emg.expireStart(6'000'000, 1'000'000, "no packets");  // exactly at the timeout: still waiting
    QVERIFY(r.replies.empty());
    emg.expireStart(6'000'001, 1'000'000, "no packets");
    QCOMPARE(r.replies.size(), std::size_t{1});
    QCOMPARE(r.replies[0].id, 7u);
    QVERIFY(!r.replies[0].ok);
    QCOMPARE(r.replies[0].detail, std::string("no packets"));
    const float v[] = {0.f, 0.f};
    emg.append(0, v);  // too late to answer the refused start
    QCOMPARE(r.replies.size(), std::size_t{1});
    QCOMPARE(r.blocks.size(), std::size_t{1});
  }

  void stopSendsTheOpenBlockAndDropsThePendingStart() {
    Recorder r;
    EmgBlockAccumulator emg(r.host(), 4, 2);
    emg.setShape(kTwoChannels);
    const float v[] = {1.f, 2.f};
    emg.append(0, v);
    emg.awaitFirstSample(3, 0);
    QCOMPARE(r.blocks.size(), std::size_t{0});
    emg.stop();
    QCOMPARE(r.blocks.size(), std::size_t{1});
    emg.expireStart(10'000'000, 1, "never");
    QVERIFY(r.replies.empty());
  }

  void aNewStartForgetsTheSequence() {
    Recorder r;
    EmgBlockAccumulator emg(r.host(), 4, 1);
    emg.setShape({1, 100, 256});
    const float v[] = {1.f, 2.f, 3.f};
    emg.append(1, &v[0]);
    emg.append(2, &v[1]);
    emg.awaitFirstSample(9, 0);
    QVERIFY(!emg.lastSequence());
    emg.append(3, &v[2]);  // follows numerically, but belongs to the new acquisition
    QCOMPARE(r.blocks.size(), std::size_t{1});
    QCOMPARE(r.blocks[0].values, (std::vector<float>{1.f, 2.f}));
    emg.flush();
    QCOMPARE(r.blocks[1].sequence, std::uint64_t{3});
  }

  void aNewShapeSendsTheOpenBlockUnderTheOldOne() {
    Recorder r;
    EmgBlockAccumulator emg(r.host(), 4, 16);
    emg.setShape({8, 250, 256});
    std::vector<float> sample(16, 1.f);
    emg.append(0, sample.data());
    emg.setShape({16, 125, 128});
    QCOMPARE(r.blocks.size(), std::size_t{1});
    QCOMPARE(r.blocks[0].channels, 8u);
    QCOMPARE(r.blocks[0].rateHz, 250u);
    emg.append(1, sample.data());
    emg.flush();
    QCOMPARE(r.blocks[1].channels, 16u);
    QCOMPARE(r.blocks[1].modulus, 128u);
    QCOMPARE(r.blocks[1].values.size(), std::size_t{16});
    QVERIFY_THROWS_EXCEPTION(std::logic_error, emg.setShape({17, 125, 128}));
  }
};

QTEST_GUILESS_MAIN(EmgBlockAccumulatorTest)
#include "test_driver_emg_block_accumulator.moc"
