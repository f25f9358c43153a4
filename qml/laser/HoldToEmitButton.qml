import QtQuick
import Tautband.Ui

// Hold-to-emit: pressing asks the supervisor to start (after its warning); releasing,
// or the finger sliding off, asks it to pause. The button never emits by itself.
Rectangle {
    id: button
    property bool active: false   // the supervisor is warning or emitting
    signal held()
    signal released()
    readonly property bool down: area.pressed

    implicitHeight: Theme.touchTarget * 2
    radius: Theme.radius
    color: area.pressed ? Theme.dangerPressed : (active ? Theme.danger : Theme.surfaceRaised)
    border.color: Theme.danger
    border.width: 3
    opacity: enabled ? 1.0 : 0.4

    Text {
        anchors { fill: parent; margins: 8 }
        horizontalAlignment: Text.AlignHCenter
        verticalAlignment: Text.AlignVCenter
        fontSizeMode: Text.HorizontalFit
        minimumPixelSize: Theme.fontSmall
        text: area.pressed ? qsTr("HOLDING: release to pause") : qsTr("HOLD TO EMIT")
        color: Theme.text
        font.pixelSize: Theme.fontBody
        font.bold: true
    }

    MouseArea {
        id: area
        objectName: "holdToEmitArea"
        anchors.fill: parent
        enabled: button.enabled
        onPressed: button.held()
        onReleased: button.released()
        onCanceled: button.released()
    }
}
