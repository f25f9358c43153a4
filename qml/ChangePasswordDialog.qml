import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Tautband.Models
import Tautband.Ui

// The logged-in user changes their own password: the current one, then the
// new one twice. A wrong current password counts toward the lockout. A Popup
// below the E-STOP; it sits in the top half so the keyboard never covers it.
Popup {
    id: dialog
    property UserAdminModel users: null

    objectName: "changePasswordDialog"
    parent: Overlay.overlay
    z: 800000
    modal: true
    dim: true
    focus: true
    closePolicy: Popup.NoAutoClose
    x: Theme.railWidth + ((parent ? parent.width : 1280) - Theme.railWidth - width) / 2
    y: Theme.spacing
    width: 720
    padding: Theme.spacing * 2

    onOpened: {
        oldField.text = ""
        newField.text = ""
        repeatField.text = ""
        if (users)
            users.clearMessage()
        oldField.input.forceActiveFocus()
    }

    // Closes once the store has the new password.
    readonly property int changes: users ? users.ownPasswordChanges : 0
    onChangesChanged: close()

    background: Rectangle {
        radius: Theme.radius
        color: Theme.surfaceRaised
        border.color: Theme.accent
        border.width: 3
    }

    contentItem: ColumnLayout {
        spacing: Theme.spacing
        Text {
            text: qsTr("Change your password")
            color: Theme.text
            font.pixelSize: Theme.fontTitle
            font.bold: true
        }
        FormField {
            id: oldField
            fieldName: "oldPassword"
            Layout.fillWidth: true
            label: qsTr("Current password")
            echoMode: TextInput.Password
            inputMethodHints: Qt.ImhNoAutoUppercase | Qt.ImhNoPredictiveText | Qt.ImhSensitiveData | Qt.ImhHiddenText
            onAccepted: newField.input.forceActiveFocus()
        }
        RowLayout {
            Layout.fillWidth: true
            spacing: Theme.spacing
            FormField {
                id: newField
                fieldName: "newPassword"
                Layout.fillWidth: true
                label: qsTr("New password")
                echoMode: TextInput.Password
                inputMethodHints: Qt.ImhNoAutoUppercase | Qt.ImhNoPredictiveText | Qt.ImhSensitiveData | Qt.ImhHiddenText
                onAccepted: repeatField.input.forceActiveFocus()
            }
            FormField {
                id: repeatField
                fieldName: "repeatPassword"
                Layout.fillWidth: true
                label: qsTr("New password again")
                echoMode: TextInput.Password
                inputMethodHints: Qt.ImhNoAutoUppercase | Qt.ImhNoPredictiveText | Qt.ImhSensitiveData | Qt.ImhHiddenText
                onAccepted: if (changeButton.enabled) changeButton.clicked()
            }
        }
        MessageBanner {
            objectName: "changePasswordMessage"
            Layout.fillWidth: true
            text: dialog.users ? dialog.users.message : ""
            tone: Theme.warning
        }
        RowLayout {
            Layout.fillWidth: true
            spacing: Theme.spacing
            TouchButton {
                id: changeButton
                objectName: "changePasswordConfirm"
                Layout.fillWidth: true
                text: dialog.users && dialog.users.busy ? qsTr("Checking…") : qsTr("Change password")
                tint: Theme.accent
                enabled: dialog.users !== null && !dialog.users.busy && oldField.text.length > 0
                         && newField.text.length > 0 && repeatField.text.length > 0
                onClicked: {
                    dialog.users.changeOwnPassword(oldField.text, newField.text, repeatField.text)
                    oldField.text = ""
                }
            }
            TouchButton {
                objectName: "changePasswordCancel"
                Layout.fillWidth: true
                text: qsTr("Cancel")
                onClicked: dialog.close()
            }
        }
    }
}
