pragma ComponentBehavior: Bound
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Tautband.Models
import Tautband.Ui

// Consent: what it covers (thoracic needling must name pneumothorax), who gave it.
Rectangle {
    id: pane
    property PatientModel patients: null
    property var patient: ({})
    property string scope: ""
    property bool pneumothoraxNamed: false
    property bool byGuardian: false

    color: Theme.surfaceRaised
    radius: Theme.radius
    onPatientChanged: { scope = ""; pneumothoraxNamed = false; byGuardian = false; guardian.text = "" }

    ColumnLayout {
        anchors { fill: parent; margins: Theme.spacing * 2 }
        spacing: Theme.spacing

        Text { text: qsTr("The consent covers"); color: Theme.textMuted; font.pixelSize: Theme.fontSmall }
        Repeater {
            model: pane.patients ? pane.patients.consentScopes : []
            delegate: TouchButton {
                required property var modelData
                objectName: "consent_" + modelData.key
                Layout.fillWidth: true
                text: modelData.label
                tint: pane.scope === modelData.key ? Theme.accent : Theme.surface
                onClicked: pane.scope = modelData.key
            }
        }
        TouchButton {
            objectName: "consentPneumothorax"
            Layout.fillWidth: true
            text: (pane.pneumothoraxNamed ? "☑  " : "☐  ") + qsTr("The consent named the risk of pneumothorax (collapsed lung) and the patient understood it")
            tint: pane.pneumothoraxNamed ? Theme.ok : (pane.scope === "thoracic-needling" ? Qt.rgba(0.9, 0.22, 0.24, 0.35) : Theme.surface)
            onClicked: pane.pneumothoraxNamed = !pane.pneumothoraxNamed
        }
        RowLayout {
            Layout.fillWidth: true
            spacing: Theme.spacing
            TouchButton {
                Layout.fillWidth: true
                text: qsTr("Given by the patient")
                tint: !pane.byGuardian ? Theme.accent : Theme.surface
                onClicked: pane.byGuardian = false
            }
            TouchButton {
                Layout.fillWidth: true
                text: qsTr("Given by a guardian")
                tint: pane.byGuardian ? Theme.accent : Theme.surface
                onClicked: pane.byGuardian = true
            }
        }
        FormField {
            id: guardian
            fieldName: "consentGuardian"
            visible: pane.byGuardian
            Layout.fillWidth: true
            label: qsTr("Guardian's name")
        }
        Item { Layout.fillHeight: true }
        TouchButton {
            objectName: "recordConsent"
            Layout.fillWidth: true
            text: qsTr("Record consent")
            tint: Theme.accent
            visible: pane.patients !== null && pane.patients.canEdit
            enabled: pane.patients !== null && !pane.patients.busy && pane.scope.length > 0 && pane.patient.patientId !== undefined
            onClicked: pane.patients.recordConsent(pane.patient.patientId, pane.scope, pane.pneumothoraxNamed,
                                                   pane.byGuardian ? "guardian" : "patient", guardian.text)
        }
    }
}
