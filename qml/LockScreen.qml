import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Tautband.Models
import Tautband.Ui

// Covers the console while it is locked (inactivity or "Lock screen"). Quick
// re-login: the same user types only the password; anyone else switches user.
// A Popup below the E-STOP's, so the E-STOP stays visible and pressable.
Popup {
    id: lock
    property AuthModel auth: null

    objectName: "lockScreen"
    z: 900000
    modal: true
    dim: false
    focus: true
    closePolicy: Popup.NoAutoClose
    padding: 0
    visible: auth !== null && auth.locked

    onOpened: passwordField.input.forceActiveFocus()
    onClosed: passwordField.text = ""

    // Opaque: a locked console shows nothing of the patient behind it.
    background: Rectangle { color: Theme.background }

    contentItem: Item {
        ColumnLayout {
            // Moves up while the on-screen keyboard is up, so Unlock stays above it.
            anchors { top: parent.top; horizontalCenter: parent.horizontalCenter; topMargin: KeyboardState.visible ? Theme.spacing : 90 }
            width: Math.min(parent.width - Theme.spacing * 4, 620)
            spacing: KeyboardState.visible ? Theme.spacing : Theme.spacing * 2

            Text {
                text: qsTr("Console locked")
                color: Theme.text
                font.pixelSize: Theme.fontHuge
                font.bold: true
            }
            Text {
                objectName: "lockedUser"
                Layout.fillWidth: true
                text: lock.auth ? qsTr("%1 (%2) — enter your password to continue.").arg(lock.auth.displayName).arg(lock.auth.role) : ""
                textFormat: Text.PlainText
                color: Theme.textMuted
                font.pixelSize: Theme.fontBody
                wrapMode: Text.Wrap
            }
            MessageBanner {
                objectName: "lockMessage"
                Layout.fillWidth: true
                text: lock.auth ? lock.auth.message : ""
            }
            FormField {
                id: passwordField
                fieldName: "unlockPassword"
                Layout.fillWidth: true
                label: qsTr("Password")
                echoMode: TextInput.Password
                inputMethodHints: Qt.ImhNoAutoUppercase | Qt.ImhNoPredictiveText | Qt.ImhSensitiveData | Qt.ImhHiddenText
                onAccepted: unlockButton.clicked()
            }
            RowLayout {
                Layout.fillWidth: true
                spacing: Theme.spacing
                TouchButton {
                    id: unlockButton
                    objectName: "unlockButton"
                    Layout.fillWidth: true
                    text: qsTr("Unlock")
                    tint: Theme.accent
                    enabled: lock.auth !== null && !lock.auth.busy
                    onClicked: {
                        lock.auth.unlock(passwordField.text)
                        passwordField.text = ""
                    }
                }
                TouchButton {
                    objectName: "switchUserButton"
                    Layout.fillWidth: true
                    text: qsTr("Switch user")
                    onClicked: lock.auth.logOut()
                }
            }
        }
    }
}
