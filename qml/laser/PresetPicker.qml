import QtQuick
import QtQuick.Layouts
import Tautband.Models
import Tautband.Ui

// The clinic's preset for the chosen site's muscle (a manager sets them on the Settings page):
// one touch fills the laser page's parameters. The rules engine evaluates them like any
// typed value; nothing here decides what is allowed.
RowLayout {
    id: picker
    property LaserController laser: null
    property ClinicSettingsModel clinicSettings: null

    // Re-read when the site or the clinic's presets change.
    readonly property var preset: {
        if (picker.laser === null || picker.clinicSettings === null) return ({})
        return picker.clinicSettings.presets.length >= 0 ? picker.clinicSettings.presetForSite(picker.laser.siteId)
                                                         : ({})
    }
    readonly property bool available: Object.keys(picker.preset).length > 0

    function apply() {
        if (!picker.available || picker.laser.parametersLocked) return
        const p = picker.preset
        picker.laser.wavelengthNm = p.wavelengthNm
        picker.laser.powerMw = p.powerMw
        if (p.mode === "pulsed") {
            picker.laser.frequencyHz = p.frequencyHz
            picker.laser.dutyPercent = p.dutyPercent
        }
        picker.laser.spotAreaCm2 = p.spotAreaCm2
        picker.laser.targetIsEnergy = true
        picker.laser.targetEnergyJ = p.energyPerPointJ
    }

    visible: picker.clinicSettings !== null
    spacing: Theme.spacing / 2

    TouchButton {
        objectName: "applyPreset"
        text: picker.available ? qsTr("Clinic preset") : qsTr("No preset")
        enabled: picker.available && picker.laser !== null && !picker.laser.parametersLocked
        onClicked: picker.apply()
    }
    Text {
        objectName: "presetSummary"
        Layout.fillWidth: true
        text: picker.available
              ? qsTr("%1 nm · %2 mW · %3 cm² · %4 J × %5 points").arg(picker.preset.wavelengthNm).arg(picker.preset.powerMw)
                .arg(picker.preset.spotAreaCm2).arg(picker.preset.energyPerPointJ).arg(picker.preset.points)
              : qsTr("No clinic preset for this muscle.")
        color: Theme.textMuted
        font.pixelSize: Theme.fontSmall - 2
        elide: Text.ElideRight
    }
}
