pragma ComponentBehavior: Bound
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Tautband.Ui

// A form for any driver, drawn from the typed settings in its manifest
// (docs/DRIVER-SDK.md): numbers, switches, choices, text, and tables as JSON.
// The C++ side checks every value again before connecting.
ColumnLayout {
    id: form
    // One entry of DevicesModel.drivers: {id, settings: [{key, type, label, unit, min, max, values, default}]}
    property var driver: null
    readonly property var settings: driver && driver.settings ? driver.settings : []
    spacing: Theme.spacing / 2

    // The values as typed, for DevicesModel.connectPortWith.
    function values() {
        const result = {}
        for (let i = 0; i < fields.count; ++i) {
            const field = fields.itemAt(i)
            if (field && field.hasValue)
                result[field.setting.key] = field.value()
        }
        return result
    }

    Repeater {
        id: fields
        model: form.settings
        delegate: RowLayout {
            id: row
            required property var modelData
            readonly property var setting: modelData
            readonly property string type: setting.type
            property bool hasValue: true
            Layout.fillWidth: true
            spacing: Theme.spacing

            function value() {
                if (type === "bool") return toggle.checked
                if (type === "enum") return setting.values[choice.currentIndex]
                if (type === "int") return parseInt(text.text)
                if (type === "double") return parseFloat(text.text)
                if (type === "table") {
                    try { return JSON.parse(text.text) } catch (e) { return text.text }
                }
                return text.text
            }

            Text {
                Layout.preferredWidth: 360
                text: row.setting.label + (row.setting.unit ? " (" + row.setting.unit + ")" : "")
                color: Theme.text
                font.pixelSize: Theme.fontSmall
                wrapMode: Text.WordWrap
            }
            Switch {
                id: toggle
                visible: row.type === "bool"
                checked: row.type === "bool" && row.setting["default"] === true
                implicitHeight: Theme.touchTarget
            }
            TouchComboBox {
                id: choice
                visible: row.type === "enum"
                model: row.type === "enum" ? row.setting.values : []
                currentIndex: row.type === "enum" ? Math.max(0, row.setting.values.indexOf(row.setting["default"])) : 0
                Layout.preferredWidth: 220
            }
            TextField {
                id: text
                visible: row.type !== "bool" && row.type !== "enum"
                Layout.fillWidth: true
                implicitHeight: Theme.touchTarget
                font.pixelSize: Theme.fontSmall
                color: Theme.text
                text: row.type === "table" ? JSON.stringify(row.setting["default"] || [])
                                           : (row.setting["default"] !== undefined ? String(row.setting["default"]) : "")
                placeholderText: row.type === "table" ? qsTr("[{\"current\": 100, \"power\": 50}, …]")
                                 : (row.setting.min !== undefined ? qsTr("%1 to %2").arg(row.setting.min).arg(row.setting.max) : "")
                inputMethodHints: row.type === "int" || row.type === "double" ? Qt.ImhFormattedNumbersOnly : Qt.ImhNone
                background: Rectangle {
                    radius: Theme.radius
                    color: Theme.background
                    border.color: Theme.border
                }
            }
        }
    }
    Text {
        visible: form.settings.length === 0
        text: qsTr("This driver has no settings.")
        color: Theme.textMuted
        font.pixelSize: Theme.fontSmall
    }
}
