pragma ComponentBehavior: Bound
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Tautband.Models
import Tautband.Ui

// Patient list, the record, the contraindication screen (with BMI from height
// and weight) and consent; starting a treatment session. Everything a user
// typed is shown as plain text, exactly as stored.
Rectangle {
    id: page
    objectName: "page_patient"
    property AuthModel auth: null
    property PatientModel patients: null
    property SessionModel session: null

    property int selectedRow: -1
    property var selected: ({})
    // 0 record, 1 screening, 2 consent, 3 new patient
    property int pane: 0

    function select(row) {
        selectedRow = row
        selected = patients ? patients.get(row) : ({})
        if (pane === 3)
            pane = 0
    }

    color: Theme.surface
    radius: Theme.radius

    // The shell hands the services over after the page is created.
    readonly property bool ready: auth !== null && patients !== null
    onReadyChanged: if (ready && auth.can("read-patient")) patients.refresh()

    // After a save, select the new patient once the refreshed list has it.
    readonly property double createdId: patients ? patients.lastCreatedId : 0
    readonly property int listCount: patients ? patients.count : 0
    onCreatedIdChanged: if (createdId > 0) { pane = 0; pendingSelect = createdId }
    onListCountChanged: listChanged()
    function listChanged() {
        if (!patients)
            return
        if (pendingSelect > 0 && patients.rowOf(pendingSelect) >= 0) {
            select(patients.rowOf(pendingSelect))
            pendingSelect = 0
        } else if (selectedRow >= patients.count) {
            selectedRow = -1
            selected = ({})
        }
    }

    property int pendingSelect: 0

    ColumnLayout {
        anchors { fill: parent; margins: Theme.spacing * 2 }
        spacing: Theme.spacing

        SessionPanel {
            Layout.fillWidth: true
            auth: page.auth
            session: page.session
        }

        MessageBanner {
            objectName: "patientMessage"
            Layout.fillWidth: true
            text: page.patients ? page.patients.message : qsTr("The clinic database is not connected to this screen.")
        }

        RowLayout {
            Layout.fillWidth: true
            Layout.fillHeight: true
            spacing: Theme.spacing * 2

            // --- The list -----------------------------------------------------
            ColumnLayout {
                Layout.preferredWidth: 360
                Layout.fillHeight: true
                spacing: Theme.spacing
                RowLayout {
                    Layout.fillWidth: true
                    spacing: Theme.spacing
                    FormField {
                        Layout.fillWidth: true
                        fieldName: "patientSearch"
                        placeholderText: qsTr("Search name or MRN")
                        onTextChanged: if (page.patients) page.patients.filter = text
                    }
                    TouchButton {
                        objectName: "newPatient"
                        text: qsTr("New")
                        visible: page.patients !== null && page.patients.canEdit
                        onClicked: {
                            page.selectedRow = -1
                            page.pane = 3
                        }
                    }
                }
                ListView {
                    id: list
                    objectName: "patientList"
                    Layout.fillWidth: true
                    Layout.fillHeight: true
                    clip: true
                    spacing: 4
                    model: page.patients
                    boundsBehavior: Flickable.StopAtBounds
                    delegate: Rectangle {
                        id: row
                        required property int index
                        required property string label
                        required property string mrn
                        required property string birthDate
                        width: ListView.view.width
                        height: 64
                        radius: Theme.radius
                        color: row.index === page.selectedRow ? Theme.accent : Theme.surfaceRaised
                        Column {
                            anchors { left: parent.left; right: parent.right; verticalCenter: parent.verticalCenter; margins: Theme.spacing }
                            Text {
                                width: parent.width
                                text: row.label
                                textFormat: Text.PlainText
                                color: Theme.text
                                font.pixelSize: Theme.fontBody
                                elide: Text.ElideRight
                            }
                            Text {
                                width: parent.width
                                text: row.mrn + (row.birthDate.length > 0 ? "  ·  " + row.birthDate : "")
                                textFormat: Text.PlainText
                                color: row.index === page.selectedRow ? Theme.text : Theme.textMuted
                                font.pixelSize: Theme.fontSmall
                                elide: Text.ElideRight
                            }
                        }
                        MouseArea { anchors.fill: parent; onClicked: page.select(row.index) }
                    }
                    Text {
                        anchors.centerIn: parent
                        visible: list.count === 0
                        text: page.patients && page.patients.busy ? qsTr("Loading…") : qsTr("No patients")
                        color: Theme.textMuted
                        font.pixelSize: Theme.fontBody
                    }
                }
            }

            // --- The chosen record -------------------------------------------
            ColumnLayout {
                Layout.fillWidth: true
                Layout.fillHeight: true
                spacing: Theme.spacing

                RowLayout {
                    visible: page.selectedRow >= 0 && page.pane !== 3
                    Layout.fillWidth: true
                    spacing: Theme.spacing / 2
                    Repeater {
                        model: [qsTr("Record"), qsTr("Screening"), qsTr("Consent")]
                        delegate: TouchButton {
                            required property int index
                            required property string modelData
                            objectName: "patientTab_" + index
                            Layout.fillWidth: true
                            text: modelData
                            tint: page.pane === index ? Theme.accent : Theme.surfaceRaised
                            onClicked: page.pane = index
                        }
                    }
                }

                Text {
                    visible: page.selectedRow < 0 && page.pane !== 3
                    Layout.fillWidth: true
                    Layout.fillHeight: true
                    text: qsTr("Choose a patient on the left.")
                    color: Theme.textMuted
                    font.pixelSize: Theme.fontBody
                    horizontalAlignment: Text.AlignHCenter
                    verticalAlignment: Text.AlignVCenter
                }

                StackLayout {
                    visible: page.selectedRow >= 0 || page.pane === 3
                    Layout.fillWidth: true
                    Layout.fillHeight: true
                    currentIndex: page.pane

                    PatientRecordPane {
                        auth: page.auth
                        patients: page.patients
                        session: page.session
                        patient: page.selected
                    }
                    ScreeningPane {
                        patients: page.patients
                        patient: page.selected
                    }
                    ConsentPane {
                        patients: page.patients
                        patient: page.selected
                    }
                    NewPatientPane {
                        patients: page.patients
                        onCancelled: page.pane = 0
                    }
                }
            }
        }
    }
}
