import Tautband.Ui

PlaceholderPage {
    objectName: "page_bodymap"
    title: qsTr("Body map")
    purpose: qsTr("Front and back atlas: tap a muscle to place a trigger point; lung fields, kidneys, spinal canal, neck vessels, eyes, thyroid and abdomen are drawn as risk zones; the chosen muscle's referral pattern is shown.")
    notYet: qsTr("the body atlas and its risk zones (safety work).")
}
