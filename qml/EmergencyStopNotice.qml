import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Tautband.Models
import Tautband.Ui

// What the E-STOP did, in one sentence, until the therapist dismisses it.
Popup {
    id: notice
    required property EmergencyStop emergencyStop

    objectName: "emergencyStopNotice"
    z: 999999
    modal: false
    dim: false
    closePolicy: Popup.NoAutoClose
    padding: Theme.spacing

    Connections {
        target: notice.emergencyStop
        function onPressed() { notice.open() }
    }

    background: Rectangle {
        radius: Theme.radius
        color: Theme.surfaceRaised
        border.color: Theme.danger
        border.width: 3
    }

    contentItem: RowLayout {
        spacing: Theme.spacing
        Text {
            objectName: "emergencyStopMessage"
            Layout.fillWidth: true
            text: notice.emergencyStop
                  ? Qt.formatTime(notice.emergencyStop.lastPressedAt, "hh:mm:ss") + "  "
                    + notice.emergencyStop.lastMessage
                  : ""
            color: Theme.text
            font.pixelSize: Theme.fontBody
            wrapMode: Text.WordWrap
        }
        TouchButton {
            text: qsTr("Dismiss")
            implicitHeight: Theme.touchTarget
            implicitWidth: 140
            font.pixelSize: Theme.fontBody
            onClicked: notice.close()
        }
    }
}
