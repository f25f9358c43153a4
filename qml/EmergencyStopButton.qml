import QtQuick
import QtQuick.Controls
import Tautband.Ui

// The E-STOP is a Popup with the highest z and no auto-close: popups are
// stacked above the window content, and modal dialogs only block what lies
// below them, so it stays visible and pressable on every screen and above
// every dialog.
Popup {
    id: popup
    signal activated()

    objectName: "emergencyStopPopup"
    z: 1000000
    visible: true
    modal: false
    dim: false
    focus: false
    padding: 0
    closePolicy: Popup.NoAutoClose
    background: null

    // Not deferred: the shell and the tests reach the button through contentItem.
    contentItem: Button {
        id: button
        objectName: "emergencyStopButton"
        text: qsTr("E-STOP")
        font.pixelSize: Theme.fontHuge
        font.bold: true
        focusPolicy: Qt.NoFocus
        // Fire on press, not release: a gloved finger that slides off must still stop.
        onPressed: popup.activated()
        background: Rectangle {
            radius: Theme.radius
            color: button.down ? Theme.dangerPressed : Theme.danger
            border.color: "#ffffff"
            border.width: 3
        }
        contentItem: Text {
            text: button.text
            font: button.font
            color: "#ffffff"
            horizontalAlignment: Text.AlignHCenter
            verticalAlignment: Text.AlignVCenter
        }
    }
}
