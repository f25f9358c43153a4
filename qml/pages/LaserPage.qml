import Tautband.Ui

PlaceholderPage {
    objectName: "page_laser"
    title: qsTr("Laser therapy")
    purpose: qsTr("Choose the site, wavelength (808 nm CW or 905 nm pulsed), power, spot size and time; live dose in J, J/cm² and mW/cm²; arming checklist with eyewear, interlock and key; hold-to-emit or timed emission with auto-stop at the dose.")
    notYet: qsTr("laser control and the arming checklist (device links and safety work). No laser can be connected, so nothing can emit.")
}
