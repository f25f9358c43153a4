import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Tautband.Models
import Tautband.Ui

// A new patient record. Text is stored exactly as typed.
Rectangle {
    id: pane
    property PatientModel patients: null
    signal cancelled()

    readonly property real bmi: !patients ? -1 : patients.bmi(Number(heightField.text.replace(",", ".")), Number(weightField.text.replace(",", ".")))
    color: Theme.surfaceRaised
    radius: Theme.radius

    function clear() {
        for (const f of [mrn, family, given, birth, sex, heightField, weightField, guardian, notes])
            f.text = ""
    }

    readonly property double createdId: patients ? patients.lastCreatedId : 0
    onCreatedIdChanged: clear()

    ScrollView {
        anchors { fill: parent; margins: Theme.spacing * 1.5 }
        clip: true
        contentWidth: availableWidth
        GridLayout {
            width: parent.width
            columns: 2
            columnSpacing: Theme.spacing
            rowSpacing: Theme.spacing / 2
            FormField { id: mrn; fieldName: "newMrn"; Layout.fillWidth: true; label: qsTr("Record number (MRN)") }
            FormField { id: birth; fieldName: "newBirth"; Layout.fillWidth: true; label: qsTr("Birth date (YYYY-MM-DD)"); inputMethodHints: Qt.ImhDate }
            FormField { id: family; fieldName: "newFamily"; Layout.fillWidth: true; label: qsTr("Family name") }
            FormField { id: given; fieldName: "newGiven"; Layout.fillWidth: true; label: qsTr("Given name") }
            FormField { id: sex; fieldName: "newSex"; Layout.fillWidth: true; label: qsTr("Sex") }
            FormField { id: guardian; fieldName: "newGuardian"; Layout.fillWidth: true; label: qsTr("Guardian (if any)") }
            FormField { id: heightField; fieldName: "newHeight"; Layout.fillWidth: true; label: qsTr("Height (cm)"); inputMethodHints: Qt.ImhFormattedNumbersOnly }
            FormField { id: weightField; fieldName: "newWeight"; Layout.fillWidth: true; label: qsTr("Weight (kg)"); inputMethodHints: Qt.ImhFormattedNumbersOnly }
            Text {
                Layout.columnSpan: 2
                text: pane.bmi > 0 ? qsTr("BMI %1 · %2").arg(pane.bmi.toFixed(1)).arg(pane.patients.bmiCategory(pane.bmi)) : ""
                color: Theme.text
                font.pixelSize: Theme.fontBody
            }
            FormField { id: notes; fieldName: "newNotes"; Layout.columnSpan: 2; Layout.fillWidth: true; label: qsTr("Notes") }
            TouchButton {
                objectName: "savePatient"
                Layout.fillWidth: true
                text: qsTr("Save patient")
                tint: Theme.accent
                enabled: pane.patients !== null && !pane.patients.busy
                onClicked: pane.patients.createPatient({
                    mrn: mrn.text, familyName: family.text, givenName: given.text, birthDate: birth.text,
                    sex: sex.text, heightCm: heightField.text, weightKg: weightField.text,
                    guardianName: guardian.text, notes: notes.text })
            }
            TouchButton {
                Layout.fillWidth: true
                text: qsTr("Cancel")
                onClicked: pane.cancelled()
            }
        }
    }
}
