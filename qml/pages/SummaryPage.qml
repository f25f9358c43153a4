import Tautband.Ui

PlaceholderPage {
    objectName: "page_summary"
    title: qsTr("Summary and report")
    purpose: qsTr("Session timeline, LTR counts and laser doses per trigger point, adverse events and outcome scores; export as PDF, patient handout, JSON and FHIR R4.")
    notYet: qsTr("sessions and exports (storage and reports work).")
}
