#!/usr/bin/env python3
"""Authoring tool for atlas.json (the body atlas shipped with Tautband).

atlas.json is the versioned data the console loads; this script is how it is written,
so left/right and front/back stay mirror-consistent. Edit the tables below, run
    python3 app/anatomy/data/generate_atlas.py > app/anatomy/data/atlas.json
and bump ATLAS_VERSION. Never hand-edit one side only.

Coordinates: each view is a box normalised to x, y in [0, 1] (y down, 0 = top of the
head, 1 = soles), width:height = 1:2. Shapes are written for the patient's RIGHT side as
(d, y) with d = lateral distance from the midline in x units; the script maps them:
  front view (patient faces us): right side at x = 0.5 - d, left at 0.5 + d
  back view  (we see the back):  right side at x = 0.5 + d, left at 0.5 - d
Shapes are schematic (a touch target and a risk map), not a surgical atlas.
"""
import json

ATLAS_VERSION = "1.1.0"


def to_x(view, side, d):
    sign = -1 if (view == "front") == (side == "right") else 1
    return round(0.5 + sign * d, 4)


def poly(view, side, pts):
    return [[to_x(view, side, d), round(y, 4)] for d, y in pts]


def rect(d0, d1, y0, y1):
    return [(d0, y0), (d1, y0), (d1, y1), (d0, y1)]


def mid(pts):
    """A midline shape given directly as (x, y)."""
    return [[round(x, 4), round(y, 4)] for x, y in pts]


# ---- body outline (right half, top to bottom), mirrored -------------------------------
OUTLINE_RIGHT = [
    (0.0, 0.010), (0.050, 0.015), (0.085, 0.040), (0.090, 0.070), (0.080, 0.100),
    (0.060, 0.120), (0.055, 0.150), (0.120, 0.172), (0.220, 0.190), (0.255, 0.225),
    (0.280, 0.320), (0.310, 0.500), (0.320, 0.580), (0.270, 0.580), (0.250, 0.500),
    (0.210, 0.320), (0.185, 0.255), (0.180, 0.300), (0.150, 0.380), (0.190, 0.460),
    (0.180, 0.560), (0.150, 0.700), (0.130, 0.730), (0.120, 0.800), (0.090, 0.930),
    (0.100, 0.980), (0.030, 0.980), (0.025, 0.930), (0.030, 0.800), (0.030, 0.720),
    (0.020, 0.560), (0.0, 0.510),
]


def outline(view):
    right = [(to_x(view, "right", d), y) for d, y in OUTLINE_RIGHT]
    left = [(to_x(view, "left", d), y) for d, y in reversed(OUTLINE_RIGHT[1:-1])]
    return [[round(x, 4), round(y, 4)] for x, y in right + left]


# ---- referral areas (drawn when a muscle is selected) -----------------------------------
# id stem, view, shape (right side)
REFERRAL_AREAS = [
    ("temple", "front", rect(0.06, 0.09, 0.030, 0.070)),
    ("forehead", "front", rect(0.005, 0.06, 0.025, 0.055)),
    ("upper_teeth", "front", rect(0.01, 0.05, 0.092, 0.100)),
    ("jaw_angle", "front", rect(0.055, 0.08, 0.100, 0.120)),
    ("ear", "front", rect(0.085, 0.095, 0.060, 0.085)),
    ("eyebrow", "front", rect(0.015, 0.06, 0.055, 0.062)),
    ("occiput", "back", rect(0.005, 0.07, 0.060, 0.095)),
    ("posterolateral_neck", "back", rect(0.02, 0.06, 0.100, 0.160)),
    ("neck_shoulder_angle", "back", rect(0.05, 0.12, 0.160, 0.190)),
    ("medial_scapular_border", "back", rect(0.04, 0.08, 0.190, 0.300)),
    ("lateral_deltoid", "back", rect(0.20, 0.25, 0.190, 0.260)),
    ("anterior_deltoid", "front", rect(0.19, 0.24, 0.190, 0.250)),
    ("lateral_arm", "front", rect(0.23, 0.27, 0.250, 0.320)),
    ("lateral_epicondyle", "back", rect(0.25, 0.285, 0.310, 0.340)),
    ("dorsal_forearm_hand", "back", rect(0.27, 0.32, 0.440, 0.570)),
    ("palm", "front", rect(0.27, 0.32, 0.500, 0.570)),
    ("ulnar_hand", "front", rect(0.25, 0.27, 0.480, 0.570)),
    ("anterior_chest", "front", rect(0.04, 0.17, 0.200, 0.270)),
    ("inferior_scapular_angle", "back", rect(0.08, 0.14, 0.290, 0.330)),
    ("sacroiliac", "back", rect(0.02, 0.07, 0.440, 0.480)),
    ("buttock", "back", rect(0.05, 0.17, 0.460, 0.520)),
    ("posterior_thigh", "back", rect(0.05, 0.15, 0.540, 0.700)),
    ("lateral_thigh", "back", rect(0.15, 0.18, 0.500, 0.700)),
    ("anterior_knee", "front", rect(0.06, 0.13, 0.690, 0.740)),
    ("calf", "back", rect(0.04, 0.12, 0.740, 0.860)),
    ("heel", "back", rect(0.04, 0.09, 0.930, 0.980)),
    ("anterior_ankle_great_toe", "front", rect(0.04, 0.10, 0.910, 0.980)),
    ("lower_abdomen_groin", "front", rect(0.04, 0.14, 0.430, 0.500)),
    ("mastoid_orbit", "front", rect(0.03, 0.09, 0.050, 0.080)),
]

# ---- muscles -------------------------------------------------------------------------------
# id, name, view, shape (right side), liftable, rib_palpable, referral areas, referral text
MUSCLES = [
    ("upper_trapezius", "Upper trapezius", "back",
     [(0.015, 0.105), (0.045, 0.110), (0.070, 0.160), (0.215, 0.182), (0.225, 0.195),
      (0.120, 0.205), (0.020, 0.200)],
     True, False, ["temple", "posterolateral_neck", "jaw_angle"],
     "Posterolateral neck, behind the ear, to the temple and angle of the jaw."),
    ("levator_scapulae", "Levator scapulae", "back",
     [(0.045, 0.125), (0.065, 0.125), (0.095, 0.200), (0.075, 0.205)],
     False, False, ["neck_shoulder_angle", "medial_scapular_border"],
     "Angle of the neck and shoulder, along the medial scapular border."),
    ("temporalis", "Temporalis", "front",
     [(0.065, 0.030), (0.088, 0.045), (0.090, 0.078), (0.070, 0.080), (0.062, 0.050)],
     False, False, ["forehead", "upper_teeth", "eyebrow"],
     "Forehead, eyebrow and upper teeth."),
    ("masseter", "Masseter", "front",
     [(0.060, 0.085), (0.080, 0.085), (0.078, 0.115), (0.062, 0.117)],
     False, False, ["jaw_angle", "ear", "upper_teeth"],
     "Jaw, molars, ear (tinnitus) and eyebrow."),
    ("sternocleidomastoid", "Sternocleidomastoid", "front",
     [(0.075, 0.110), (0.085, 0.118), (0.035, 0.178), (0.015, 0.178)],
     True, False, ["forehead", "ear", "mastoid_orbit", "occiput"],
     "Forehead, around the eye, ear and occiput; dizziness."),
    ("scalenes", "Scalenes", "front",
     [(0.048, 0.128), (0.062, 0.128), (0.085, 0.175), (0.065, 0.178)],
     False, False, ["anterior_chest", "lateral_arm", "medial_scapular_border"],
     "Chest, lateral arm to the thumb and index, medial scapular border."),
    ("suboccipitals", "Suboccipitals", "back",
     [(0.005, 0.095), (0.055, 0.095), (0.055, 0.112), (0.005, 0.112)],
     False, False, ["occiput", "mastoid_orbit"],
     "Band from the occiput to behind the eye (headache)."),
    ("supraspinatus", "Supraspinatus", "back",
     [(0.080, 0.195), (0.190, 0.200), (0.190, 0.215), (0.085, 0.218)],
     False, False, ["lateral_deltoid", "lateral_epicondyle"],
     "Lateral deltoid region, down the arm to the lateral epicondyle."),
    ("infraspinatus", "Infraspinatus", "back",
     [(0.085, 0.225), (0.185, 0.220), (0.170, 0.280), (0.120, 0.300), (0.090, 0.290)],
     False, False, ["anterior_deltoid", "lateral_arm"],
     "Deep front of the shoulder, down the front and side of the arm."),
    ("rhomboids", "Rhomboids (major and minor)", "back",
     [(0.015, 0.195), (0.040, 0.195), (0.080, 0.290), (0.020, 0.290)],
     False, True, ["medial_scapular_border"],
     "Between the spine and the medial scapular border."),
    ("latissimus_dorsi", "Latissimus dorsi", "back",
     [(0.130, 0.270), (0.180, 0.265), (0.170, 0.380), (0.080, 0.400), (0.090, 0.330)],
     True, True, ["inferior_scapular_angle", "ulnar_hand"],
     "Inferior angle of the scapula, back of the arm to the ulnar hand."),
    ("pectoralis_major", "Pectoralis major", "front",
     [(0.010, 0.190), (0.150, 0.185), (0.200, 0.225), (0.180, 0.260), (0.100, 0.275),
      (0.010, 0.270)],
     True, True, ["anterior_chest", "anterior_deltoid", "ulnar_hand"],
     "Front of the chest and shoulder, inner arm to the ulnar fingers."),
    ("pectoralis_minor", "Pectoralis minor", "front",
     [(0.090, 0.205), (0.150, 0.200), (0.140, 0.250), (0.095, 0.250)],
     False, True, ["anterior_deltoid", "anterior_chest", "ulnar_hand"],
     "Front of the shoulder and chest, inner arm to the ulnar fingers."),
    ("serratus_anterior", "Serratus anterior", "front",
     [(0.150, 0.250), (0.178, 0.255), (0.175, 0.320), (0.145, 0.320)],
     False, True, ["anterior_chest", "inferior_scapular_angle"],
     "Side of the chest and below the scapula."),
    ("erector_spinae_thoracic", "Erector spinae / multifidus (thoracic)", "back",
     [(0.018, 0.200), (0.060, 0.200), (0.065, 0.360), (0.018, 0.360)],
     False, True, ["medial_scapular_border", "sacroiliac"],
     "Along the spine, downward to the lumbar region."),
    ("erector_spinae_lumbar", "Erector spinae / multifidus (lumbar)", "back",
     [(0.018, 0.360), (0.065, 0.360), (0.060, 0.450), (0.018, 0.450)],
     False, False, ["sacroiliac", "buttock"],
     "Sacroiliac region and buttock."),
    ("quadratus_lumborum", "Quadratus lumborum", "back",
     [(0.065, 0.365), (0.120, 0.365), (0.125, 0.430), (0.065, 0.430)],
     False, False, ["sacroiliac", "buttock", "lower_abdomen_groin"],
     "Sacroiliac joint, buttock, over the iliac crest to the groin."),
    ("gluteus_maximus", "Gluteus maximus", "back",
     [(0.020, 0.460), (0.150, 0.470), (0.170, 0.520), (0.030, 0.530)],
     False, False, ["buttock", "sacroiliac"],
     "Buttock and sacrum."),
    ("gluteus_medius", "Gluteus medius", "back",
     [(0.080, 0.430), (0.185, 0.440), (0.190, 0.480), (0.100, 0.470)],
     False, False, ["sacroiliac", "buttock", "lateral_thigh"],
     "Posterior iliac crest, sacrum, buttock and lateral hip."),
    ("gluteus_minimus", "Gluteus minimus", "back",
     [(0.130, 0.450), (0.190, 0.455), (0.190, 0.490), (0.135, 0.485)],
     False, False, ["lateral_thigh", "calf"],
     "Lateral and posterior thigh and calf (pseudo-sciatica)."),
    ("piriformis", "Piriformis", "back",
     [(0.040, 0.475), (0.150, 0.480), (0.150, 0.495), (0.040, 0.495)],
     False, False, ["buttock", "posterior_thigh", "sacroiliac"],
     "Sacroiliac region, buttock and back of the thigh."),
    ("hamstrings", "Hamstrings", "back",
     [(0.030, 0.540), (0.165, 0.545), (0.140, 0.695), (0.040, 0.695)],
     False, False, ["buttock", "posterior_thigh", "calf"],
     "Lower buttock, back of the thigh and knee, upper calf."),
    ("quadriceps", "Quadriceps", "front",
     [(0.030, 0.530), (0.175, 0.520), (0.150, 0.690), (0.050, 0.690)],
     False, False, ["anterior_knee", "lateral_thigh"],
     "Front of the thigh and the knee."),
    ("gastrocnemius_soleus", "Gastrocnemius / soleus", "back",
     [(0.035, 0.745), (0.120, 0.745), (0.105, 0.880), (0.040, 0.880)],
     False, False, ["calf", "heel"],
     "Calf, back of the knee, heel and instep."),
    ("tibialis_anterior", "Tibialis anterior", "front",
     [(0.075, 0.745), (0.115, 0.745), (0.095, 0.900), (0.075, 0.900)],
     False, False, ["anterior_ankle_great_toe"],
     "Front of the ankle and the great toe."),
    ("forearm_extensors", "Forearm extensors", "back",
     [(0.230, 0.340), (0.290, 0.340), (0.305, 0.450), (0.255, 0.450)],
     False, False, ["lateral_epicondyle", "dorsal_forearm_hand"],
     "Lateral epicondyle, back of the forearm and hand."),
    ("forearm_flexors", "Forearm flexors", "front",
     [(0.230, 0.340), (0.290, 0.340), (0.305, 0.450), (0.255, 0.450)],
     False, False, ["palm", "ulnar_hand"],
     "Front of the forearm, palm and fingers."),
    ("deltoid", "Deltoid", "back",
     [(0.190, 0.185), (0.235, 0.200), (0.250, 0.260), (0.215, 0.270), (0.195, 0.220)],
     False, False, ["lateral_deltoid"],
     "Over the muscle itself, front, middle or back."),
]

# ---- risk zones -----------------------------------------------------------------------------
# id stem, kind, structure (what is at risk), view, shape (right side) or midline shape
ZONES_SIDED = [
    ("lung_field_anterior", "lung_field", "Lung and pleura (anterior chest wall)", "front",
     [(0.015, 0.175), (0.160, 0.185), (0.180, 0.260), (0.175, 0.320), (0.090, 0.315),
      (0.015, 0.300)]),
    ("lung_apex_anterior", "lung_field", "Lung apex and pleura (above the clavicle)", "front",
     [(0.020, 0.150), (0.090, 0.160), (0.130, 0.176), (0.020, 0.176)]),
    ("lung_field_posterior", "lung_field", "Lung and pleura (posterior chest wall)", "back",
     [(0.018, 0.185), (0.200, 0.200), (0.185, 0.280), (0.170, 0.360), (0.018, 0.365)]),
    ("lung_apex_posterior", "lung_field", "Lung apex and pleura (under the upper trapezius)",
     "back", [(0.020, 0.150), (0.110, 0.170), (0.200, 0.185), (0.200, 0.200), (0.018, 0.185)]),
    ("kidney", "kidney", "Kidney (below the 12th rib, upper lumbar)", "back",
     [(0.030, 0.330), (0.100, 0.330), (0.105, 0.405), (0.035, 0.405)]),
    ("suboccipital", "suboccipital", "Vertebral artery and foramen magnum", "back",
     [(0.0, 0.090), (0.060, 0.090), (0.060, 0.120), (0.0, 0.120)]),
    ("lateral_neck", "lateral_neck", "Brachial plexus, phrenic nerve, carotid and jugular vessels",
     "front", [(0.035, 0.115), (0.070, 0.115), (0.090, 0.178), (0.050, 0.178)]),
    ("anterior_chest", "anterior_chest", "Pleura and lung under the pectorals, intercostals and serratus anterior",
     "front", [(0.015, 0.185), (0.160, 0.185), (0.185, 0.260), (0.180, 0.320), (0.015, 0.300)]),
    ("scapular_foramina", "scapular_foramina", "Scapular foramina (infraspinous fossa): needle may pass into the thorax",
     "back", [(0.105, 0.235), (0.150, 0.235), (0.150, 0.275), (0.105, 0.275)]),
    ("axilla", "axilla", "Axillary artery and vein, brachial plexus", "front",
     [(0.170, 0.225), (0.205, 0.225), (0.205, 0.275), (0.175, 0.275)]),
    ("median_nerve", "median_nerve", "Median nerve (cubital fossa, forearm, carpal tunnel)", "front",
     [(0.245, 0.300), (0.265, 0.300), (0.295, 0.520), (0.275, 0.520)]),
    ("ulnar_nerve_front", "ulnar_nerve", "Ulnar nerve (medial elbow, ulnar forearm, wrist)", "front",
     [(0.205, 0.300), (0.225, 0.300), (0.265, 0.520), (0.250, 0.520)]),
    ("ulnar_nerve_back", "ulnar_nerve", "Ulnar nerve (cubital tunnel at the medial elbow)", "back",
     [(0.205, 0.295), (0.235, 0.295), (0.240, 0.345), (0.210, 0.345)]),
    ("sciatic_nerve", "sciatic_nerve", "Sciatic nerve (deep to piriformis and the hamstrings)", "back",
     [(0.075, 0.470), (0.105, 0.470), (0.100, 0.700), (0.080, 0.700)]),
    ("femoral_triangle", "femoral_triangle", "Femoral artery, vein and nerve", "front",
     [(0.040, 0.470), (0.150, 0.455), (0.080, 0.560)]),
    ("popliteal_fossa", "popliteal_fossa", "Popliteal artery and vein, tibial nerve", "back",
     [(0.045, 0.700), (0.125, 0.700), (0.120, 0.745), (0.045, 0.745)]),
    ("orbit", "eye", "Eye and orbit", "front",
     [(0.015, 0.058), (0.055, 0.058), (0.058, 0.082), (0.015, 0.082)]),
    # "At or near the eyes" for the laser: the orbit plus a margin.
    ("periorbital", "periorbital", "Eye region (orbit and its surroundings)", "front",
     [(0.003, 0.045), (0.075, 0.045), (0.078, 0.092), (0.003, 0.092)]),
    ("breast", "breast", "Breast (implants)", "front",
     [(0.040, 0.225), (0.140, 0.225), (0.145, 0.290), (0.040, 0.290)]),
    # Joint regions (prosthetic joints; growth plates).
    ("shoulder_joint_front", "joint_shoulder", "Shoulder joint", "front", rect(0.175, 0.245, 0.175, 0.235)),
    ("shoulder_joint_back", "joint_shoulder", "Shoulder joint", "back", rect(0.175, 0.245, 0.175, 0.235)),
    ("elbow_joint_front", "joint_elbow", "Elbow joint", "front", rect(0.205, 0.290, 0.300, 0.345)),
    ("elbow_joint_back", "joint_elbow", "Elbow joint", "back", rect(0.205, 0.290, 0.300, 0.345)),
    ("wrist_joint_front", "joint_wrist", "Wrist joint", "front", rect(0.245, 0.320, 0.490, 0.520)),
    ("hip_joint_front", "joint_hip", "Hip joint", "front", rect(0.070, 0.185, 0.455, 0.520)),
    ("hip_joint_back", "joint_hip", "Hip joint", "back", rect(0.100, 0.190, 0.455, 0.520)),
    ("knee_joint_front", "joint_knee", "Knee joint", "front", rect(0.030, 0.150, 0.680, 0.755)),
    ("knee_joint_back", "joint_knee", "Knee joint", "back", rect(0.030, 0.150, 0.680, 0.755)),
    ("ankle_joint_front", "joint_ankle", "Ankle joint", "front", rect(0.025, 0.100, 0.900, 0.950)),
    ("ankle_joint_back", "joint_ankle", "Ankle joint", "back", rect(0.025, 0.100, 0.900, 0.950)),
    # Body parts used by limb and e-stim path rules.
    ("upper_limb_front", "upper_limb", "Upper limb", "front",
     [(0.185, 0.255), (0.255, 0.225), (0.280, 0.320), (0.310, 0.500), (0.320, 0.580),
      (0.270, 0.580), (0.250, 0.500), (0.210, 0.320)]),
    ("upper_limb_back", "upper_limb", "Upper limb", "back",
     [(0.185, 0.255), (0.255, 0.225), (0.280, 0.320), (0.310, 0.500), (0.320, 0.580),
      (0.270, 0.580), (0.250, 0.500), (0.210, 0.320)]),
    ("lower_limb_front", "lower_limb", "Lower limb", "front",
     [(0.0, 0.515), (0.185, 0.500), (0.180, 0.560), (0.150, 0.700), (0.130, 0.730),
      (0.120, 0.800), (0.090, 0.930), (0.100, 0.980), (0.005, 0.980)]),
    ("lower_limb_back", "lower_limb", "Lower limb", "back",
     [(0.0, 0.530), (0.185, 0.520), (0.180, 0.560), (0.150, 0.700), (0.130, 0.730),
      (0.120, 0.800), (0.090, 0.930), (0.100, 0.980), (0.005, 0.980)]),
]

ZONES_MIDLINE = [
    ("spinal_canal", "spinal_canal", "Spinal cord and canal (direction away from the canal; T12/L1)",
     "back", mid([(0.485, 0.120), (0.515, 0.120), (0.515, 0.470), (0.485, 0.470)])),
    ("anterior_neck", "anterior_neck", "Carotid sinus, trachea, thyroid, vessels of the front of the neck",
     "front", mid([(0.465, 0.120), (0.535, 0.120), (0.545, 0.178), (0.455, 0.178)])),
    ("thyroid", "thyroid", "Thyroid gland", "front",
     mid([(0.470, 0.148), (0.530, 0.148), (0.530, 0.172), (0.470, 0.172)])),
    ("abdomen", "abdomen", "Abdomen and peritoneum", "front",
     mid([(0.34, 0.320), (0.66, 0.320), (0.69, 0.380), (0.68, 0.450), (0.50, 0.500),
          (0.32, 0.450), (0.31, 0.380)])),
    ("low_back", "low_back", "Low back (lumbar and sacral region)", "back",
     mid([(0.33, 0.365), (0.67, 0.365), (0.69, 0.460), (0.31, 0.460)])),
    ("testes", "testes", "Testes", "front",
     mid([(0.475, 0.505), (0.525, 0.505), (0.525, 0.535), (0.475, 0.535)])),
    ("heart", "heart", "Heart (current paths across the chest)", "front",
     mid([(0.46, 0.215), (0.60, 0.220), (0.66, 0.280), (0.60, 0.320), (0.50, 0.315),
          (0.45, 0.270)])),
    ("head_front", "head", "Head and face", "front",
     mid([(0.41, 0.010), (0.59, 0.010), (0.595, 0.120), (0.405, 0.120)])),
    ("head_back", "head", "Head", "back",
     mid([(0.41, 0.010), (0.59, 0.010), (0.595, 0.120), (0.405, 0.120)])),
    ("mouth", "mouth", "Mouth", "front",
     mid([(0.465, 0.095), (0.535, 0.095), (0.535, 0.110), (0.465, 0.110)])),
    ("thorax_front", "thorax_front", "Front of the thorax", "front",
     mid([(0.33, 0.175), (0.67, 0.175), (0.68, 0.320), (0.32, 0.320)])),
    ("thorax_back", "thorax_back", "Back of the thorax", "back",
     mid([(0.30, 0.180), (0.70, 0.180), (0.67, 0.365), (0.33, 0.365)])),
]


def build():
    regions = []
    muscles = []
    for mid_, name, view, shape, liftable, rib, areas, text in MUSCLES:
        muscles.append({
            "id": mid_, "name": name, "liftable": liftable, "rib_palpable": rib,
            "referral_text": text,
        })
        for side in ("right", "left"):
            regions.append({
                "id": f"{mid_}_{side}", "muscle": mid_, "side": side, "view": view,
                "polygon": poly(view, side, shape),
                "referral_areas": [f"ref_{a}_{side}" for a in areas],
            })
    areas = []
    for stem, view, shape in REFERRAL_AREAS:
        for side in ("right", "left"):
            areas.append({"id": f"ref_{stem}_{side}", "side": side, "view": view,
                          "polygon": poly(view, side, shape)})
    zones = []
    for stem, kind, structure, view, shape in ZONES_SIDED:
        for side in ("right", "left"):
            zones.append({"id": f"{stem}_{side}", "kind": kind, "structure": structure,
                          "side": side, "view": view, "polygon": poly(view, side, shape)})
    for stem, kind, structure, view, shape in ZONES_MIDLINE:
        zones.append({"id": stem, "kind": kind, "structure": structure, "side": "midline",
                      "view": view, "polygon": shape})
    return {
        "format": "tautband.atlas",
        "format_version": 1,
        "atlas_version": ATLAS_VERSION,
        "coordinates": "each view normalised to x,y in [0,1], y down, width:height = 1:2; "
                       "front view shows the patient's right on the left",
        "aspect_width_over_height": 0.5,
        "views": [{"id": v, "outline": outline(v)} for v in ("front", "back")],
        "muscles": muscles,
        "regions": regions,
        "referral_areas": areas,
        "zones": zones,
    }


if __name__ == "__main__":
    print(json.dumps(build(), indent=1))
