import QtQuick
import Tautband.Ui

// Slide-to-arm: the thumb must be dragged all the way to the end; anything less springs
// back. A brush of the glove or a tap cannot arm the laser.
Rectangle {
    id: track
    property string text: qsTr("Slide to arm  ›››")
    signal completed()
    readonly property real travel: width - thumb.width - 8
    readonly property alias thumb: thumb

    implicitHeight: Theme.touchTarget + 8
    radius: height / 2
    color: Theme.background
    border.color: enabled ? Theme.warning : Theme.border
    border.width: 2
    opacity: enabled ? 1.0 : 0.5

    Text {
        anchors { left: parent.left; right: parent.right; verticalCenter: parent.verticalCenter }
        anchors.leftMargin: Theme.touchTarget * 1.6 + 12
        horizontalAlignment: Text.AlignHCenter
        text: track.text
        color: Theme.textMuted
        font.pixelSize: Theme.fontBody
    }

    Rectangle {
        id: thumb
        objectName: "slideToArmThumb"
        x: 4
        y: 4
        width: Theme.touchTarget * 1.6
        height: track.height - 8
        radius: height / 2
        color: Theme.warning
        Text {
            anchors.centerIn: parent
            text: qsTr("ARM")
            color: "#1b1b1b"
            font.pixelSize: Theme.fontBody
            font.bold: true
        }
        Behavior on x {
            enabled: !dragArea.drag.active
            NumberAnimation { duration: 150 }
        }
    }

    MouseArea {
        id: dragArea
        objectName: "slideToArmArea"
        anchors.fill: thumb
        enabled: track.enabled
        drag.target: thumb
        drag.axis: Drag.XAxis
        drag.minimumX: 4
        drag.maximumX: 4 + track.travel
        drag.threshold: 2
        // Only a real drag that reached the end counts: never a tap, never a layout glitch.
        property bool dragged: false
        drag.onActiveChanged: if (drag.active) dragged = true
        onPressed: dragged = false
        onReleased: {
            if (dragged && track.travel > Theme.touchTarget && thumb.x >= 4 + track.travel * 0.97)
                track.completed()
            dragged = false
            thumb.x = 4
        }
    }
}
