import QtQuick
import QtQuick.Layouts
import Tautband.Ui

// A number a gloved finger can set: big − and + buttons around the value. No keyboard,
// no tiny spin box; holding a button repeats.
RowLayout {
    id: stepper
    property string label
    property string unit
    property real value
    property real step: 1
    property real from: 0
    property real to: 1000
    property int decimals: 0
    property bool locked: false
    signal edited(real value)

    spacing: Theme.spacing / 2

    function nudge(direction) {
        const next = Math.min(stepper.to, Math.max(stepper.from, stepper.value + direction * stepper.step))
        if (next !== stepper.value)
            stepper.edited(Number(next.toFixed(stepper.decimals)))
    }

    Text {
        text: stepper.label
        color: Theme.textMuted
        font.pixelSize: Theme.fontSmall
        Layout.preferredWidth: 118
        wrapMode: Text.WordWrap
    }
    TouchButton {
        objectName: stepper.objectName + "_minus"
        text: "−"
        enabled: !stepper.locked && stepper.value > stepper.from
        autoRepeat: true
        implicitWidth: Theme.touchTarget
        onClicked: stepper.nudge(-1)
    }
    Text {
        objectName: stepper.objectName + "_value"
        text: stepper.value.toFixed(stepper.decimals) + " " + stepper.unit
        color: Theme.text
        font.pixelSize: Theme.fontBody
        font.bold: true
        horizontalAlignment: Text.AlignHCenter
        Layout.fillWidth: true
    }
    TouchButton {
        objectName: stepper.objectName + "_plus"
        text: "+"
        enabled: !stepper.locked && stepper.value < stepper.to
        autoRepeat: true
        implicitWidth: Theme.touchTarget
        onClicked: stepper.nudge(1)
    }
}
