pragma ComponentBehavior: Bound
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Tautband.Models
import Tautband.Ui

// The contraindication screen (BRIEF §3), form version 2: one tile per topic with No and Yes
// (untouched = unanswered: Save is refused naming the topics, nothing is written as "no");
// a YES opens the topic's follow-up in place (which device and a clearance reference,
// pregnancy weeks, or WHERE: body area → side → region), so the rules get precise facts.
// Height and weight with the BMI as you type, free-text details, and what the store holds.
// The answers are a flat map (docs/CLINICAL-CONTEXT.md "Form version 2"); PatientModel
// checks and stores them.
Rectangle {
    id: pane
    property PatientModel patients: null
    property var patient: ({})
    property var answers: ({})
    property bool clearanceOnFile: false
    property string clearanceClinician: ""
    property string clearanceDate: ""

    // Age from the patient record (the rules read the birth date; the form pre-sets growth plates).
    readonly property int ageYears: {
        if (!patient.birthDate)
            return -1
        const born = new Date(patient.birthDate + "T00:00:00Z")
        const now = new Date()
        let age = now.getUTCFullYear() - born.getUTCFullYear()
        if (now.getUTCMonth() < born.getUTCMonth() || (now.getUTCMonth() === born.getUTCMonth() && now.getUTCDate() < born.getUTCDate()))
            --age
        return isNaN(age) ? -1 : age
    }
    readonly property real bmi: !patients ? -1 : patients.bmi(Number(heightField.text.replace(",", ".")), Number(weightField.text.replace(",", ".")))
    // What the store holds for this patient (PatientModel.loadScreening), else nothing.
    readonly property var latest: patients ? patients.latestScreening : ({})
    readonly property var stored: latest.patientId === patient.patientId ? latest : ({})
    color: Theme.surfaceRaised
    radius: Theme.radius

    onPatientChanged: {
        const fresh = ({})
        if (ageYears >= 0 && ageYears < 18)
            fresh.open_growth_plates = true  // a child or adolescent: the therapist may say otherwise
        // A new screen starts blank (not pre-filled from the stored one, shown above it): a
        // pre-filled form could be saved again without asking the patient anything.
        answers = fresh
        clearanceOnFile = false
        clearanceClinician = ""
        clearanceDate = ""
        heightField.text = patient.heightCm ? String(patient.heightCm) : ""
        weightField.text = patient.weightKg ? String(patient.weightKg) : ""
        details.text = ""
        if (patients && patient.patientId !== undefined)
            patients.loadScreening(patient.patientId)
    }

    function followUpKeys(key) {
        return [key + "_where", key + "_weeks", key + "_devices", key + "_clearance"]
    }
    function toggled(key, on) {
        const copy = Object.assign({}, answers)
        copy[key] = on
        if (!on) {
            for (const k of followUpKeys(key))
                delete copy[k]
            if (key === "pacemaker") {
                clearanceOnFile = false
                clearanceClinician = ""
                clearanceDate = ""
            }
        }
        answers = copy
    }
    function setValue(key, value) {
        const copy = Object.assign({}, answers)
        copy[key] = value
        answers = copy
    }
    function toggleIn(key, item) {
        const list = (answers[key] || []).slice()
        const at = list.indexOf(item)
        if (at >= 0)
            list.splice(at, 1)
        else
            list.push(item)
        setValue(key, list)
    }

    ColumnLayout {
        anchors { fill: parent; margins: Theme.spacing * 1.5 }
        spacing: Theme.spacing

        Text {
            objectName: "screenAge"
            Layout.fillWidth: true
            text: pane.ageYears >= 0 ? qsTr("Age %1 (from the birth date on record)").arg(pane.ageYears)
                                     : qsTr("No birth date on record: the rules treat the age as unknown")
            color: pane.ageYears >= 0 ? Theme.textMuted : Theme.warning
            font.pixelSize: Theme.fontSmall
            wrapMode: Text.WordWrap
        }

        ScrollView {
            id: scroll
            objectName: "screeningScroll"
            Layout.fillWidth: true
            Layout.fillHeight: true
            clip: true
            contentWidth: availableWidth
            ColumnLayout {
                width: scroll.availableWidth
                spacing: Theme.spacing / 2
                // What the store holds for this patient (read back after every save).
                Rectangle {
                    Layout.fillWidth: true
                    Layout.bottomMargin: Theme.spacing / 2
                    implicitHeight: storedColumn.implicitHeight + Theme.spacing
                    radius: Theme.radius
                    color: Theme.surface
                    visible: pane.stored.patientId !== undefined
                    Column {
                        id: storedColumn
                        anchors { left: parent.left; right: parent.right; top: parent.top; margins: Theme.spacing / 2 }
                        spacing: 4
                        Text {
                            width: parent.width
                            text: pane.stored.formVersion === undefined ? qsTr("No screening on record.")
                                : qsTr("On record (%1):").arg(pane.stored.formVersion)
                            textFormat: Text.PlainText
                            color: Theme.textMuted
                            font.pixelSize: Theme.fontSmall
                        }
                        Text {
                            objectName: "storedScreening"
                            width: parent.width
                            text: pane.stored.summary ? (pane.stored.summary.length > 0 ? pane.stored.summary.join("\n") : qsTr("No contraindication answered yes.")) : ""
                            textFormat: Text.PlainText
                            color: Theme.text
                            font.pixelSize: Theme.fontSmall
                            wrapMode: Text.Wrap
                        }
                        Text {
                            objectName: "storedScreeningProblems"
                            width: parent.width
                            visible: pane.stored.understood === false
                            text: qsTr("Not understood by this console, the patient counts as NOT screened: %1").arg(pane.stored.problems || "")
                            textFormat: Text.PlainText
                            color: Theme.danger
                            font.pixelSize: Theme.fontSmall
                            wrapMode: Text.Wrap
                        }
                    }
                }
                Repeater {
                    model: pane.patients ? pane.patients.screeningTopics : []
                    delegate: ScreeningTopicTile {
                        id: topic
                        required property var modelData
                        Layout.fillWidth: true
                        key: modelData.key
                        label: modelData.label
                        affects: modelData.affects
                        answer: pane.answers[modelData.key] === true ? 1 : pane.answers[modelData.key] === false ? 0 : -1
                        onAnswered: yes => pane.toggled(topic.key, yes)

                        // The follow-up of this topic, made while the answer is YES (so a
                        // "no" forgets what was entered).
                        Repeater {
                            model: topic.yes && topic.modelData.followUp === "weeks" ? 1 : 0
                            delegate: FormField {
                                Layout.fillWidth: true
                                fieldName: "screenPregnancyWeeks"
                                label: qsTr("Weeks of pregnancy (leave empty if not known: the strict rule applies)")
                                inputMethodHints: Qt.ImhDigitsOnly
                                onTextChanged: pane.setValue("pregnancy_weeks", text)
                            }
                        }
                        Repeater {
                            model: topic.yes && topic.modelData.followUp === "implant" ? 1 : 0
                            delegate: ColumnLayout {
                                Layout.fillWidth: true
                                spacing: Theme.spacing / 2
                                ChoiceChips {
                                    Layout.fillWidth: true
                                    objectPrefix: "implant_"
                                    choices: pane.patients ? pane.patients.implantChoices : []
                                    selected: pane.answers.pacemaker_devices || []
                                    onToggled: key => pane.toggleIn("pacemaker_devices", key)
                                }
                                ChoiceChips {
                                    Layout.fillWidth: true
                                    objectPrefix: "clearance_"
                                    choices: [{ key: "on_file", label: qsTr("Specialist clearance for e-stim on file") }]
                                    selected: pane.clearanceOnFile ? ["on_file"] : []
                                    onToggled: pane.clearanceOnFile = !pane.clearanceOnFile
                                }
                                FormField {
                                    visible: pane.clearanceOnFile
                                    Layout.fillWidth: true
                                    fieldName: "screenClearanceClinician"
                                    label: qsTr("Clearance: the clinician who gave it")
                                    onTextChanged: pane.clearanceClinician = text
                                }
                                FormField {
                                    visible: pane.clearanceOnFile
                                    Layout.fillWidth: true
                                    fieldName: "screenClearanceDate"
                                    label: qsTr("Date of the clearance letter (YYYY-MM-DD, not in the future)")
                                    inputMethodHints: Qt.ImhDate
                                    onTextChanged: pane.clearanceDate = text
                                }
                                Text {
                                    Layout.fillWidth: true
                                    visible: (pane.answers.pacemaker_devices || []).indexOf("icd") >= 0
                                    text: qsTr("An ICD: e-stim stays refused whatever the clearance.")
                                    color: Theme.warning
                                    font.pixelSize: Theme.fontSmall
                                    wrapMode: Text.WordWrap
                                }
                            }
                        }
                        Repeater {
                            model: topic.yes && topic.modelData.followUp === "regions" ? 1 : 0
                            delegate: RegionPicker {
                                Layout.fillWidth: true
                                objectPrefix: "where_" + topic.key + "_"
                                areas: pane.patients ? pane.patients.screeningAreas : []
                                selected: pane.answers[topic.key + "_where"] || []
                                onToggled: key => pane.toggleIn(topic.key + "_where", key)
                            }
                        }
                        Repeater {
                            model: topic.yes && (topic.modelData.followUp === "limbs" || topic.modelData.followUp === "joints") ? 1 : 0
                            delegate: ChoiceChips {
                                Layout.fillWidth: true
                                objectPrefix: "where_" + topic.key + "_"
                                choices: !pane.patients ? [] : topic.modelData.followUp === "limbs" ? pane.patients.limbChoices : pane.patients.jointChoices
                                selected: pane.answers[topic.key + "_where"] || []
                                onToggled: key => pane.toggleIn(topic.key + "_where", key)
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
            }
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
                a.pacemaker_clearance_on_file = pane.clearanceOnFile
                if (pane.clearanceOnFile)
                    a.pacemaker_clearance = { clinician: pane.clearanceClinician, date: pane.clearanceDate }
                else
                    delete a.pacemaker_clearance
                a.heightCm = heightField.text
                a.weightKg = weightField.text
                a.details = details.text
                pane.patients.recordScreening(pane.patient.patientId, a)
            }
        }
    }
}
