import Tautband.Ui

PlaceholderPage {
    objectName: "page_audit"
    title: qsTr("Audit")
    purpose: qsTr("For clinic managers: every safety decision and supervisor approval, filtered by therapist, date and severity, with the hash chain's verification status and export.")
    notYet: qsTr("the tamper-evident audit log (storage and audit work).")
}
