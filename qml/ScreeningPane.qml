pragma ComponentBehavior: Bound
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Tautband.Models
import Tautband.Ui

// The contraindication screen (BRIEF §3): one big yes/no per question, height
// and weight with the BMI computed as you type, and free-text details.
Rectangle {
    id: pane
    property PatientModel patients: null
    property var patient: ({})
    property var answers: ({})

    readonly property real bmi: !patients ? -1 : patients.bmi(Number(heightField.text.replace(",", ".")), Number(weightField.text.replace(",", ".")))
    color: Theme.surfaceRaised
    radius: Theme.radius

    onPatientChanged: {
        answers = ({})
        heightField.text = patient.heightCm ? String(patient.heightCm) : ""
        weightField.text = patient.weightKg ? String(patient.weightKg) : ""
        details.text = ""
    }

    function toggled(key, on) {
        const copy = Object.assign({}, answers)
        copy[key] = on
        answers = copy
    }

    ColumnLayout {
        anchors { fill: parent; margins: Theme.spacing * 1.5 }
        spacing: Theme.spacing

        ScrollView {
            Layout.fillWidth: true
            Layout.fillHeight: true
            clip: true
            contentWidth: availableWidth
            GridLayout {
                width: parent.width
                columns: 2
                columnSpacing: Theme.spacing
                rowSpacing: Theme.spacing / 2
                Repeater {
                    model: pane.patients ? pane.patients.screeningQuestions : []
                    delegate: Rectangle {
                        id: question
                        required property var modelData
                        readonly property bool yes: pane.answers[modelData.key] === true
                        objectName: "screen_" + modelData.key
                        Layout.fillWidth: true
                        Layout.preferredHeight: Theme.touchTarget + 8
                        radius: Theme.radius
                        color: question.yes ? Qt.rgba(0.95, 0.69, 0.2, 0.25) : Theme.background
                        border.color: question.yes ? Theme.warning : Theme.border
                        border.width: 2
                        RowLayout {
                            anchors { fill: parent; leftMargin: Theme.spacing; rightMargin: Theme.spacing / 2 }
                            Column {
                                Layout.fillWidth: true
                                Text {
                                    width: parent.width
                                    text: question.modelData.label
                                    color: Theme.text
                                    font.pixelSize: Theme.fontSmall
                                    wrapMode: Text.WordWrap
                                    maximumLineCount: 2
                                    elide: Text.ElideRight
                                }
                                Text {
                                    text: question.modelData.affects
                                    color: Theme.textMuted
                                    font.pixelSize: Theme.fontSmall - 3
                                }
                            }
                            Text {
                                text: question.yes ? qsTr("YES") : qsTr("no")
                                color: question.yes ? Theme.warning : Theme.textMuted
                                font.pixelSize: Theme.fontBody
                                font.bold: question.yes
                            }
                        }
                        MouseArea { anchors.fill: parent; onClicked: pane.toggled(question.modelData.key, !question.yes) }
                    }
                }
            }
        }
        RowLayout {
            Layout.fillWidth: true
            spacing: Theme.spacing
            FormField {
                id: heightField
                fieldName: "screenHeight"
                Layout.preferredWidth: 150
                label: qsTr("Height (cm)")
                inputMethodHints: Qt.ImhFormattedNumbersOnly
            }
            FormField {
                id: weightField
                fieldName: "screenWeight"
                Layout.preferredWidth: 150
                label: qsTr("Weight (kg)")
                inputMethodHints: Qt.ImhFormattedNumbersOnly
            }
            Column {
                Layout.fillWidth: true
                Text { text: qsTr("BMI"); color: Theme.textMuted; font.pixelSize: Theme.fontSmall }
                Text {
                    objectName: "screenBmi"
                    width: parent.width
                    text: pane.bmi > 0 ? pane.bmi.toFixed(1) + " · " + pane.patients.bmiCategory(pane.bmi) : qsTr("enter height and weight")
                    color: pane.bmi > 0 && pane.bmi < 18.5 ? Theme.warning : Theme.text
                    font.pixelSize: Theme.fontBody
                    wrapMode: Text.WordWrap
                }
            }
        }
        FormField {
            id: details
            fieldName: "screenDetails"
            Layout.fillWidth: true
            label: qsTr("Details (medication, implant type, dates)")
        }
        TouchButton {
            objectName: "saveScreening"
            Layout.fillWidth: true
            text: qsTr("Save screening")
            tint: Theme.accent
            visible: pane.patients !== null && pane.patients.canEdit
            enabled: pane.patients !== null && !pane.patients.busy && pane.patient.patientId !== undefined
            onClicked: {
                const a = Object.assign({}, pane.answers)
                a.heightCm = heightField.text
                a.weightKg = weightField.text
                a.details = details.text
                pane.patients.recordScreening(pane.patient.patientId, a)
            }
        }
    }
}
