import Tautband.Ui

PlaceholderPage {
    objectName: "page_patient"
    title: qsTr("Patient and screening")
    purpose: qsTr("Identity, consent (naming pneumothorax for thoracic needling) and the contraindication screen: pregnancy, pacemaker and implants, anticoagulants, malignancy, epilepsy, photosensitivity, recent radiotherapy, lung disease, BMI from height and weight.")
    notYet: qsTr("the patient record and screening form (storage work).")
}
