pragma ComponentBehavior: Bound
import QtQuick
import Tautband.Ui

// Several-of choices as big chips (a gloved finger): `choices` [{key, label}], `selected` the
// chosen keys. Tapping a chip asks for the change (`toggled`); the owner keeps the state.
Flow {
    id: chips
    property var choices: []
    property var selected: []
    property string objectPrefix: "chip_"
    signal toggled(string key)

    spacing: Theme.spacing / 2

    Repeater {
        model: chips.choices
        delegate: Rectangle {
            id: chip
            required property var modelData
            readonly property bool chosen: chips.selected.indexOf(modelData.key) >= 0
            objectName: chips.objectPrefix + modelData.key
            width: Math.max(Theme.touchTarget * 1.5, label.implicitWidth + Theme.spacing * 2)
            height: Theme.touchTarget
            radius: Theme.radius
            color: chip.chosen ? Theme.accent : Theme.background
            border.color: chip.chosen ? Theme.accent : Theme.border
            border.width: 2
            Text {
                id: label
                anchors.centerIn: parent
                text: (chip.chosen ? "✓ " : "") + chip.modelData.label
                textFormat: Text.PlainText
                color: Theme.text
                font.pixelSize: Theme.fontSmall
            }
            MouseArea { anchors.fill: parent; onClicked: chips.toggled(chip.modelData.key) }
        }
    }
}
