#include "anatomy/Atlas.h"

#include <QTest>

#include <algorithm>
#include <string>

using namespace tautband::anatomy;

namespace {

bool hasKind(const std::vector<const Zone*>& zones, std::string_view kind) {
  return std::any_of(zones.begin(), zones.end(), [&](const Zone* z) { return z->kind == kind; });
}

bool hasMuscle(const std::vector<const Region*>& regions, std::string_view muscle) {
  return std::any_of(regions.begin(), regions.end(), [&](const Region* r) { return r->muscleId == muscle; });
}

// A minimal valid atlas to mutate in the error tests.
std::string minimalAtlas(const std::string& regionMuscle = "m", const std::string& point = "[0.1,0.1]") {
  return R"({"format":"tautband.atlas","format_version":1,"atlas_version":"t1",
    "views":[{"id":"front","outline":[[0,0],[1,0],[1,1]]},{"id":"back","outline":[[0,0],[1,0],[1,1]]}],
    "muscles":[{"id":"m","name":"M","liftable":false,"rib_palpable":true,"referral_text":"x"}],
    "referral_areas":[],
    "regions":[{"id":"m_right","muscle":")" + regionMuscle + R"(","side":"right","view":"front",
                "polygon":[)" + point + R"(,[0.2,0.1],[0.2,0.2]],"referral_areas":[]}],
    "zones":[{"id":"z","kind":"lung_field","structure":"lung","side":"right","view":"front",
              "polygon":[[0.1,0.1],[0.3,0.1],[0.3,0.3]]}]})";
}

void expectError(const std::string& json, const char* fragment) {
  try {
    (void)Atlas::fromJson(json);
    QFAIL("a defective atlas loaded");
  } catch (const AtlasError& error) {
    const std::string message = error.what();
    if (message.find(fragment) == std::string::npos)
      QFAIL(qPrintable(QStringLiteral("message \"%1\" lacks \"%2\"").arg(QString::fromStdString(message),
                                                                         QString::fromLatin1(fragment))));
  }
}

}  // namespace

class TestAnatomy : public QObject {
  Q_OBJECT

 private slots:
  void geometryContainsAndEdges() {
    const Polygon square{{0, 0}, {1, 0}, {1, 1}, {0, 1}};
    QVERIFY(containsPoint(square, {0.5, 0.5}));
    QVERIFY(containsPoint(square, {1.0, 0.5}));  // on an edge counts
    QVERIFY(!containsPoint(square, {1.01, 0.5}));
    QVERIFY(segmentTouchesPolygon(square, {-1, 0.5}, {2, 0.5}));  // crosses, both ends outside
    QVERIFY(!segmentTouchesPolygon(square, {-1, 2}, {2, 2}));
    QVERIFY(polygonsOverlap(square, Polygon{{0.9, 0.9}, {2, 0.9}, {2, 2}}));
    QVERIFY(!polygonsOverlap(square, Polygon{{2, 2}, {3, 2}, {3, 3}}));
  }

  void builtinHasTheMusclesTherapistsNeedle() {
    const Atlas& atlas = Atlas::builtin();
    QVERIFY(!atlas.atlasVersion().empty());
    for (const char* id :
         {"upper_trapezius", "levator_scapulae", "temporalis", "rhomboids", "quadratus_lumborum", "masseter",
          "sternocleidomastoid", "scalenes", "suboccipitals", "infraspinatus", "supraspinatus",
          "pectoralis_major", "pectoralis_minor", "serratus_anterior", "latissimus_dorsi",
          "erector_spinae_thoracic", "erector_spinae_lumbar", "gluteus_medius", "gluteus_minimus", "piriformis",
          "hamstrings", "quadriceps", "gastrocnemius_soleus", "tibialis_anterior", "forearm_extensors",
          "forearm_flexors"}) {
      QVERIFY2(atlas.muscle(id), id);
      for (const char* side : {"_right", "_left"}) {
        const Region* region = atlas.region(std::string(id) + side);
        QVERIFY2(region, id);
        QVERIFY2(!region->referralAreaIds.empty(), id);
        for (const auto& area : region->referralAreaIds) QVERIFY(atlas.referralArea(area));
      }
    }
    QVERIFY(atlas.muscle("upper_trapezius")->liftable);
    QVERIFY(!atlas.muscle("rhomboids")->liftable);
    QVERIFY(atlas.muscle("rhomboids")->ribPalpable);
    QVERIFY(!atlas.muscle("infraspinatus")->ribPalpable);
  }

  void builtinHasEveryRiskZone() {
    const Atlas& atlas = Atlas::builtin();
    for (const char* kind :
         {"lung_field", "kidney", "spinal_canal", "suboccipital", "lateral_neck", "anterior_neck", "anterior_chest",
          "scapular_foramina", "axilla", "median_nerve", "ulnar_nerve", "sciatic_nerve", "femoral_triangle",
          "popliteal_fossa", "abdomen", "eye", "thyroid", "testes", "heart", "head", "mouth", "low_back",
          "thorax_front", "thorax_back", "breast", "upper_limb", "lower_limb", "joint_knee", "joint_hip"}) {
      QVERIFY2(!atlas.zonesOfKind(kind).empty(), kind);
    }
    // Lung fields exist front and back, on both sides, and the apex rises above the clavicle (y ~ 0.175).
    int front = 0, back = 0;
    double highest = 1.0;
    for (const Zone* z : atlas.zonesOfKind("lung_field")) {
      (z->view == View::Front ? front : back)++;
      for (Point p : z->polygon) highest = std::min(highest, p.y);
    }
    QVERIFY(front >= 2 && back >= 2);
    QVERIFY(highest < 0.16);
  }

  void hitTestingMirrorsSides() {
    const Atlas& atlas = Atlas::builtin();
    // Back view: the patient's right is on the image right.
    const Point rightRhomboid = centroidOf(atlas.region("rhomboids_right")->polygon);
    QVERIFY(rightRhomboid.x > 0.5);
    const auto regions = atlas.regionsAt(View::Back, rightRhomboid);
    QVERIFY(hasMuscle(regions, "rhomboids"));
    const auto zones = atlas.zonesAt(View::Back, rightRhomboid);
    QVERIFY(hasKind(zones, "lung_field"));
    for (const Zone* z : zones)
      if (z->kind == "lung_field") QVERIFY(z->side == Side::Right);
    // Front view: the patient's right is on the image left.
    QVERIFY(centroidOf(atlas.region("pectoralis_major_right")->polygon).x < 0.5);
    // The thigh is not a lung field; the eye zone is found at the orbit.
    QVERIFY(!hasKind(atlas.zonesAt(View::Back, centroidOf(atlas.region("hamstrings_left")->polygon)), "lung_field"));
    QVERIFY(hasKind(atlas.zonesAt(View::Front, centroidOf(atlas.zone("orbit_left")->polygon)), "eye"));
    // A region touches the zones under it; the QL touches the kidney zone.
    QVERIFY(hasKind(atlas.zonesTouching(*atlas.region("quadratus_lumborum_right")), "kidney"));
    // A line across the chest crosses the heart zone.
    QVERIFY(hasKind(atlas.zonesOnSegment(View::Front, {0.35, 0.26}, {0.65, 0.26}), "heart"));
    QVERIFY(atlas.regionsAt(View::Front, {0.02, 0.98}).empty());
  }

  void loadsMinimalAndRejectsDefects() {
    const Atlas ok = Atlas::fromJson(minimalAtlas());
    QCOMPARE(ok.atlasVersion(), std::string("t1"));
    expectError("{not json", "not valid JSON");
    expectError(R"({"format":"other","format_version":1})", "\"format\"");
    expectError(R"({"format":"tautband.atlas","format_version":2})", "format_version");
    expectError(minimalAtlas("nope"), "unknown muscle \"nope\"");
    expectError(minimalAtlas("m", "[1.5,0.1]"), "outside the normalised");
    expectError(minimalAtlas("m", "[0.1]"), "[x, y]");
    std::string duplicated = minimalAtlas();
    duplicated.replace(duplicated.find("\"id\":\"z\""), 8, "\"id\":\"m\"");
    expectError(duplicated, "duplicate id \"m\"");
    expectError("[]", "top level");
    try {
      (void)Atlas::fromFile("/nonexistent/atlas.json");
      QFAIL("missing file loaded");
    } catch (const AtlasError& error) {
      QVERIFY(std::string(error.what()).find("cannot open") != std::string::npos);
    }
  }
};

QTEST_GUILESS_MAIN(TestAnatomy)
#include "test_anatomy.moc"
