pragma ComponentBehavior: Bound
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Tautband.Models
import Tautband.Ui

// Clinic settings for managers and administrators (SAFETY-RULES.md "clinic-configurable"):
// the effective figures grouped, the clinic's laser dose protocol inside the WALT outer
// bounds, and the laser presets per muscle. Every edit is a draft until Save; the safety
// library validates it (a value that loosens a sourced bound is refused, naming it) and the
// store audits the old and the new value. Steppers only: no keyboard is needed here.
Rectangle {
    id: page
    objectName: "page_settings"
    property AuthModel auth: null
    property ClinicSettingsModel clinicSettings: null

    readonly property bool canEdit: page.clinicSettings !== null && page.clinicSettings.canEdit
    // The preset being edited (the page's names, as ClinicSettingsModel.presets gives them).
    property var preset: ({ muscle: "", wavelengthNm: 808, mode: "cw", powerMw: 200, frequencyHz: 0,
                            dutyPercent: 100, spotAreaCm2: 0.5, energyPerPointJ: 4, points: 3 })

    function muscleIndex(id) {
        const list = page.clinicSettings ? page.clinicSettings.muscles : []
        for (let i = 0; i < list.length; ++i) {
            if (list[i].id === id)
                return i
        }
        return -1
    }
    function editPreset(p) { page.preset = Object.assign({}, p) }
    function setPreset(key, value) {
        const next = Object.assign({}, page.preset)
        next[key] = value
        if (key === "wavelengthNm") {
            next.mode = value === 905 ? "pulsed" : "cw"
            next.frequencyHz = value === 905 ? 1000 : 0
            next.dutyPercent = value === 905 ? 50 : 100
        }
        page.preset = next
    }

    color: Theme.surface
    radius: Theme.radius

    Text {
        objectName: "noSettingsService"
        visible: page.clinicSettings === null
        anchors.centerIn: parent
        text: qsTr("The clinic settings are not connected to this screen.")
        color: Theme.warning
        font.pixelSize: Theme.fontBody
    }

    ColumnLayout {
        visible: page.clinicSettings !== null
        anchors { fill: parent; margins: Theme.spacing * 2 }
        spacing: Theme.spacing

        RowLayout {
            Layout.fillWidth: true
            spacing: Theme.spacing
            Text {
                text: qsTr("Clinic settings")
                color: Theme.text
                font.pixelSize: Theme.fontHuge
                font.bold: true
            }
            Text {
                objectName: "settingsSource"
                Layout.fillWidth: true
                text: page.clinicSettings === null ? ""
                      : page.clinicSettings.fromStore ? qsTr("the clinic's settings") : qsTr("shipped defaults")
                color: Theme.textMuted
                font.pixelSize: Theme.fontSmall
            }
            TouchButton {
                objectName: "revertSettings"
                text: qsTr("Revert")
                enabled: page.canEdit && page.clinicSettings.dirty && !page.clinicSettings.busy
                onClicked: page.clinicSettings.revert()
            }
            TouchButton {
                objectName: "saveSettings"
                text: qsTr("Save")
                tint: Theme.accent
                enabled: page.canEdit && page.clinicSettings.dirty && !page.clinicSettings.busy
                onClicked: page.clinicSettings.save()
            }
        }
        MessageBanner {
            objectName: "settingsMessage"
            Layout.fillWidth: true
            text: page.clinicSettings ? page.clinicSettings.message : ""
        }
        Repeater {
            model: page.clinicSettings ? page.clinicSettings.problems : []
            delegate: Text {
                required property string modelData
                Layout.fillWidth: true
                text: modelData
                color: Theme.warning
                wrapMode: Text.WordWrap
                font.pixelSize: Theme.fontSmall
            }
        }

        RowLayout {
            Layout.fillWidth: true
            Layout.fillHeight: true
            spacing: Theme.spacing * 2

            // Left: the figures and the dose tables.
            Flickable {
                objectName: "settingsFlick"
                Layout.fillWidth: true
                Layout.fillHeight: true
                clip: true
                contentHeight: figures.implicitHeight
                boundsBehavior: Flickable.StopAtBounds

                ColumnLayout {
                    id: figures
                    width: parent.width
                    spacing: Theme.spacing / 2

                    Repeater {
                        model: page.clinicSettings ? page.clinicSettings.groups : []
                        delegate: ColumnLayout {
                            id: group
                            required property var modelData
                            Layout.fillWidth: true
                            spacing: 4
                            Text {
                                text: group.modelData.title
                                color: Theme.accent
                                font.pixelSize: Theme.fontBody
                                font.bold: true
                            }
                            Repeater {
                                model: group.modelData.items
                                delegate: ColumnLayout {
                                    id: field
                                    required property var modelData
                                    Layout.fillWidth: true
                                    spacing: 0
                                    ParameterStepper {
                                        objectName: "setting_" + field.modelData.key
                                        Layout.fillWidth: true
                                        label: field.modelData.label
                                        unit: field.modelData.unit
                                        value: field.modelData.value
                                        from: field.modelData.min
                                        to: field.modelData.max
                                        step: field.modelData.step
                                        decimals: field.modelData.step < 0.1 ? 2 : (field.modelData.step < 1 ? 1 : 0)
                                        locked: !page.canEdit || !field.modelData.editable
                                        onEdited: v => page.clinicSettings.setValue(field.modelData.key, v)
                                    }
                                    Text {
                                        // Wraps: unwrapped, a long note widened the column past the
                                        // page and pushed the steppers' + buttons out of sight.
                                        Layout.fillWidth: true
                                        text: field.modelData.note
                                        color: Theme.textMuted
                                        font.pixelSize: Theme.fontSmall - 3
                                        leftPadding: 118
                                        wrapMode: Text.WordWrap
                                    }
                                }
                            }
                        }
                    }

                    RowLayout {
                        Layout.fillWidth: true
                        spacing: Theme.spacing
                        Text {
                            text: qsTr("Research amplifier")
                            color: Theme.accent
                            font.pixelSize: Theme.fontBody
                            font.bold: true
                            Layout.fillWidth: true
                        }
                        TouchButton {
                            objectName: "researchAmplifier"
                            text: page.clinicSettings && page.clinicSettings.researchAmplifierAllowed
                                  ? qsTr("Allowed") : qsTr("Not allowed")
                            enabled: page.canEdit
                            onClicked: page.clinicSettings.setValue("research_amplifier_allowed",
                                                                    !page.clinicSettings.researchAmplifierAllowed)
                        }
                    }

                    Repeater {
                        model: page.clinicSettings ? page.clinicSettings.doseTables : []
                        delegate: ColumnLayout {
                            id: table
                            required property var modelData
                            Layout.fillWidth: true
                            spacing: 4
                            Text {
                                Layout.fillWidth: true
                                text: qsTr("Laser dose %1: clinic protocol (WALT outer bounds)").arg(table.modelData.title)
                                color: Theme.accent
                                font.pixelSize: Theme.fontBody
                                font.bold: true
                                wrapMode: Text.WordWrap
                            }
                            Repeater {
                                model: [
                                    { field: "power_min_mw", label: qsTr("Power min"), unit: "mW", step: 5, max: 500 },
                                    { field: "power_max_mw", label: qsTr("Power max"), unit: "mW", step: 5, max: 500 },
                                    { field: "time_min_s", label: qsTr("Time min"), unit: "s", step: 5, max: 300 },
                                    { field: "time_max_s", label: qsTr("Time max"), unit: "s", step: 5, max: 300 },
                                    { field: "energy_min_j", label: qsTr("Energy min"), unit: "J/point", step: 0.5, max: 60 },
                                    { field: "energy_max_j", label: qsTr("Energy max"), unit: "J/point", step: 0.5, max: 60 }
                                ]
                                delegate: RowLayout {
                                    id: bound
                                    required property var modelData
                                    Layout.fillWidth: true
                                    ParameterStepper {
                                        objectName: "dose_" + table.modelData.id + "_" + bound.modelData.field
                                        Layout.fillWidth: true
                                        label: bound.modelData.label
                                        unit: bound.modelData.unit
                                        value: table.modelData.clinic[bound.modelData.field]
                                        from: 0
                                        to: bound.modelData.max
                                        step: bound.modelData.step
                                        decimals: bound.modelData.step < 1 ? 1 : 0
                                        locked: !page.canEdit
                                        onEdited: v => page.clinicSettings.setClinicBound(table.modelData.id,
                                                                                          bound.modelData.field, v)
                                    }
                                    Text {
                                        Layout.preferredWidth: 150
                                        text: {
                                            const w = table.modelData.walt[bound.modelData.field]
                                            return w > 0 ? qsTr("WALT %1").arg(w) : qsTr("WALT: none")
                                        }
                                        color: Theme.textMuted
                                        font.pixelSize: Theme.fontSmall
                                    }
                                }
                            }
                        }
                    }
                }
            }

            // Right: laser presets per muscle. Not filling: its fillWidth children would
            // make it fill too, and it took all the width from the figures' column.
            ColumnLayout {
                Layout.preferredWidth: 470
                Layout.fillWidth: false
                Layout.fillHeight: true
                spacing: Theme.spacing / 2

                Text {
                    text: qsTr("Laser presets per muscle")
                    color: Theme.text
                    font.pixelSize: Theme.fontTitle
                    font.bold: true
                }
                ListView {
                    id: presetList
                    objectName: "presetList"
                    Layout.fillWidth: true
                    Layout.preferredHeight: 150
                    clip: true
                    spacing: 4
                    model: page.clinicSettings ? page.clinicSettings.presets : []
                    delegate: Rectangle {
                        id: presetRow
                        required property var modelData
                        width: ListView.view.width
                        height: Theme.touchTarget
                        radius: Theme.radius
                        color: page.preset.muscle === presetRow.modelData.muscle ? Theme.border : Theme.surfaceRaised
                        Text {
                            anchors { fill: parent; leftMargin: Theme.spacing }
                            verticalAlignment: Text.AlignVCenter
                            text: qsTr("%1 · %2 nm · %3 mW · %4 J × %5").arg(presetRow.modelData.muscleName)
                                  .arg(presetRow.modelData.wavelengthNm).arg(presetRow.modelData.powerMw)
                                  .arg(presetRow.modelData.energyPerPointJ).arg(presetRow.modelData.points)
                            color: Theme.text
                            font.pixelSize: Theme.fontSmall
                            elide: Text.ElideRight
                        }
                        MouseArea {
                            anchors.fill: parent
                            onClicked: page.editPreset(presetRow.modelData)
                        }
                    }
                    Text {
                        anchors.centerIn: parent
                        visible: presetList.count === 0
                        text: qsTr("No presets yet.")
                        color: Theme.textMuted
                        font.pixelSize: Theme.fontSmall
                    }
                }
                TouchComboBox {
                    objectName: "presetMuscle"
                    Layout.fillWidth: true
                    Layout.preferredHeight: Theme.touchTarget
                    enabled: page.canEdit
                    model: page.clinicSettings ? page.clinicSettings.muscles : []
                    textRole: "name"
                    valueRole: "id"
                    currentIndex: page.muscleIndex(page.preset.muscle)
                    displayText: currentIndex < 0 ? qsTr("Choose a muscle") : currentText
                    onActivated: page.setPreset("muscle", currentValue)
                }
                RowLayout {
                    spacing: Theme.spacing / 2
                    TouchButton {
                        objectName: "preset808"
                        text: qsTr("808 nm CW")
                        enabled: page.canEdit
                        tint: page.preset.wavelengthNm === 808 ? Theme.accent : Theme.surfaceRaised
                        onClicked: page.setPreset("wavelengthNm", 808)
                    }
                    TouchButton {
                        objectName: "preset905"
                        text: qsTr("905 nm pulsed")
                        enabled: page.canEdit
                        tint: page.preset.wavelengthNm === 905 ? Theme.accent : Theme.surfaceRaised
                        onClicked: page.setPreset("wavelengthNm", 905)
                    }
                }
                ParameterStepper {
                    objectName: "presetPower"
                    Layout.fillWidth: true
                    label: page.preset.mode === "pulsed" ? qsTr("Peak power") : qsTr("Power")
                    unit: "mW"; value: page.preset.powerMw; from: 5; to: 500; step: 5
                    locked: !page.canEdit
                    onEdited: v => page.setPreset("powerMw", v)
                }
                ParameterStepper {
                    objectName: "presetSpot"
                    Layout.fillWidth: true
                    label: qsTr("Spot area"); unit: "cm²"; value: page.preset.spotAreaCm2; from: 0.05; to: 5; step: 0.05
                    decimals: 2
                    locked: !page.canEdit
                    onEdited: v => page.setPreset("spotAreaCm2", v)
                }
                ParameterStepper {
                    objectName: "presetEnergy"
                    Layout.fillWidth: true
                    label: qsTr("Energy per point"); unit: "J"; value: page.preset.energyPerPointJ; from: 0.5; to: 60; step: 0.5
                    decimals: 1
                    locked: !page.canEdit
                    onEdited: v => page.setPreset("energyPerPointJ", v)
                }
                ParameterStepper {
                    objectName: "presetPoints"
                    Layout.fillWidth: true
                    label: qsTr("Points"); unit: ""; value: page.preset.points; from: 1; to: 50; step: 1
                    locked: !page.canEdit
                    onEdited: v => page.setPreset("points", v)
                }
                RowLayout {
                    spacing: Theme.spacing / 2
                    TouchButton {
                        objectName: "savePreset"
                        text: qsTr("Save preset")
                        tint: Theme.accent
                        enabled: page.canEdit && page.preset.muscle !== "" && !page.clinicSettings.busy
                        onClicked: page.clinicSettings.savePreset(page.preset)
                    }
                    TouchButton {
                        objectName: "removePreset"
                        text: qsTr("Remove")
                        enabled: page.canEdit && page.preset.muscle !== ""
                                 && Object.keys(page.clinicSettings.presetForMuscle(page.preset.muscle)).length > 0
                        onClicked: page.clinicSettings.removePreset(page.preset.muscle)
                    }
                }
                Item { Layout.fillHeight: true }
            }
        }
    }
}
