import QtQuick
import QtQuick.Controls
import Tautband.Ui

// The console's button: at least a 9 mm touch target, theme colours, clear
// disabled state.
Button {
    id: control
    property color tint: Theme.surfaceRaised

    implicitHeight: Theme.touchTarget
    implicitWidth: Math.max(Theme.touchTarget * 2, contentItem.implicitWidth + Theme.spacing * 3)
    font.pixelSize: Theme.fontBody
    focusPolicy: Qt.NoFocus

    background: Rectangle {
        radius: Theme.radius
        color: control.down ? Theme.border : control.tint
        border.color: Theme.border
        border.width: 1
        opacity: control.enabled ? 1.0 : 0.4
    }
    contentItem: Text {
        text: control.text
        font: control.font
        color: Theme.text
        opacity: control.enabled ? 1.0 : 0.5
        horizontalAlignment: Text.AlignHCenter
        verticalAlignment: Text.AlignVCenter
        elide: Text.ElideRight
    }
}
