pragma ComponentBehavior: Bound
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Tautband.Models
import Tautband.Ui

// One patient's record as stored (plain text), and "Start session".
Rectangle {
    id: pane
    property AuthModel auth: null
    property SessionModel session: null
    property PatientModel patients: null
    property var patient: ({})

    readonly property real bmi: patient.bmi !== undefined ? patient.bmi : -1
    color: Theme.surfaceRaised
    radius: Theme.radius

    ColumnLayout {
        anchors { fill: parent; margins: Theme.spacing * 2 }
        spacing: Theme.spacing

        Text {
            objectName: "patientName"
            Layout.fillWidth: true
            text: (pane.patient.familyName || "") + ", " + (pane.patient.givenName || "")
            textFormat: Text.PlainText
            color: Theme.text
            font.pixelSize: Theme.fontTitle
            font.bold: true
            wrapMode: Text.Wrap
            maximumLineCount: 3
            elide: Text.ElideRight
        }
        // A positioner, not a layout: the rows are rebuilt whenever the patient changes.
        Grid {
            id: facts
            Layout.fillWidth: true
            columns: 3
            columnSpacing: Theme.spacing * 2
            rowSpacing: 6
            Repeater {
                model: [
                    [qsTr("MRN"), pane.patient.mrn || ""],
                    [qsTr("Born"), pane.patient.birthDate || "—"],
                    [qsTr("Sex"), pane.patient.sex || "—"],
                    [qsTr("Height / weight"), (pane.patient.heightCm ? pane.patient.heightCm + " cm" : "—") + " / "
                                               + (pane.patient.weightKg ? pane.patient.weightKg + " kg" : "—")],
                    [qsTr("BMI"), pane.bmi > 0 && pane.patients ? pane.bmi.toFixed(1) + " (" + pane.patients.bmiCategory(pane.bmi) + ")" : "—"],
                    [qsTr("Guardian"), pane.patient.guardianName || "—"]
                ]
                delegate: Column {
                    required property var modelData
                    width: (facts.width - 2 * facts.columnSpacing) / 3
                    Text { text: parent.modelData[0]; color: Theme.textMuted; font.pixelSize: Theme.fontSmall }
                    Text {
                        width: parent.width
                        text: parent.modelData[1]
                        textFormat: Text.PlainText
                        color: Theme.text
                        font.pixelSize: Theme.fontBody
                        elide: Text.ElideRight
                    }
                }
            }
        }
        Text { text: qsTr("Notes"); color: Theme.textMuted; font.pixelSize: Theme.fontSmall }
        ScrollView {
            Layout.fillWidth: true
            Layout.fillHeight: true
            clip: true
            contentWidth: availableWidth
            Text {
                objectName: "patientNotes"
                width: parent.width
                text: pane.patient.notes || ""
                textFormat: Text.PlainText
                color: Theme.text
                font.pixelSize: Theme.fontBody
                wrapMode: Text.WrapAnywhere
            }
        }
        TouchButton {
            objectName: "startSession"
            Layout.fillWidth: true
            visible: pane.auth !== null && pane.auth.can("run-session")
            enabled: pane.session !== null && !pane.session.busy && pane.patient.patientId !== undefined
                     && (!pane.session.active || pane.session.state === "signed")
            text: qsTr("Start treatment session")
            tint: Theme.accent
            onClicked: pane.session.start(pane.patient.patientId,
                                          pane.patient.familyName + ", " + pane.patient.givenName + " (" + pane.patient.mrn + ")")
        }
    }
}
