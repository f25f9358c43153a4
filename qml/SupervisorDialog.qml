import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Tautband.Models
import Tautband.Ui

// SUPERVISOR-level rules: a second authorised person enters their full login
// and password, every time, and a reason. The store re-authenticates them
// (AuthModel.requestSupervisorApproval) and audits supervisor.approved/refused
// with `context` (the treatment pages pass session_id, patient_id and the
// rule's inputs). Usage:
//   SupervisorDialog { auth: page.auth; ruleId: "DN-LUNG-DISEASE"; ruleText: "..."; context: {...}
//                      onApproved: (login, sequence, reason) => ...; onRefused: message => ... }
//   dialog.open()
// A refusal (wrong password, same person, role) keeps the dialog open with the
// store's message. A Popup below the E-STOP's z, so the E-STOP stays above it.
Popup {
    id: dialog
    property AuthModel auth: null
    property string ruleId
    property string ruleText
    property var context: ({})
    property int pendingRequest: 0
    property string pendingReason
    property string resultText
    signal approved(string supervisorLogin, int auditSequence, string reason)
    signal refused(string message)

    objectName: "supervisorDialog"
    z: 800000
    modal: true
    dim: true
    focus: true
    closePolicy: Popup.NoAutoClose
    parent: Overlay.overlay
    width: 760
    // Centred; while the on-screen keyboard is up (it comes up with the login field's
    // focus), at the top, so the keys never cover the reason or the buttons.
    x: Math.round(((parent ? parent.width : 1280) - width) / 2)
    y: KeyboardState.visible ? Theme.spacing : Math.round(((parent ? parent.height : 800) - height) / 2)
    padding: Theme.spacing * 2

    onOpened: {
        resultText = ""
        pendingRequest = 0
        loginField.text = ""
        passwordField.text = ""
        reasonField.text = ""
        loginField.input.forceActiveFocus()
    }

    Connections {
        target: dialog.auth
        function onSupervisorFinished(requestId: int, ok: bool, message: string, auditSequence: int, supervisorLogin: string) {
            if (requestId !== dialog.pendingRequest)
                return
            dialog.pendingRequest = 0
            dialog.resultText = message
            if (ok) {
                dialog.approved(supervisorLogin, auditSequence, dialog.pendingReason)
                dialog.close()
            } else {
                dialog.refused(message)
            }
        }
    }

    background: Rectangle {
        radius: Theme.radius
        color: Theme.surfaceRaised
        border.color: Theme.warning
        border.width: 3
    }

    contentItem: ColumnLayout {
        spacing: Theme.spacing
        Text {
            text: qsTr("Supervisor approval needed")
            color: Theme.text
            font.pixelSize: Theme.fontTitle
            font.bold: true
        }
        Text {
            Layout.fillWidth: true
            text: dialog.ruleId + (dialog.ruleText.length > 0 ? " — " + dialog.ruleText : "")
            textFormat: Text.PlainText
            color: Theme.warning
            font.pixelSize: Theme.fontBody
            wrapMode: Text.Wrap
        }
        Text {
            Layout.fillWidth: true
            // With the keyboard up, the store's answer takes this line's place.
            visible: !KeyboardState.visible || dialog.resultText.length === 0
            text: qsTr("A second authorised person (not you) enters their own login and password. Both names and the reason go into the audit trail.")
            color: Theme.textMuted
            font.pixelSize: Theme.fontSmall
            wrapMode: Text.WordWrap
        }
        RowLayout {
            Layout.fillWidth: true
            spacing: Theme.spacing
            FormField {
                id: loginField
                fieldName: "supervisorLogin"
                Layout.fillWidth: true
                label: qsTr("Supervisor login")
                inputMethodHints: Qt.ImhNoAutoUppercase | Qt.ImhNoPredictiveText | Qt.ImhPreferLowercase
            }
            FormField {
                id: passwordField
                fieldName: "supervisorPassword"
                Layout.fillWidth: true
                label: qsTr("Password")
                echoMode: TextInput.Password
                inputMethodHints: Qt.ImhNoAutoUppercase | Qt.ImhNoPredictiveText | Qt.ImhSensitiveData | Qt.ImhHiddenText
            }
        }
        FormField {
            id: reasonField
            fieldName: "supervisorReason"
            Layout.fillWidth: true
            label: qsTr("Reason (required)")
        }
        MessageBanner {
            objectName: "supervisorMessage"
            Layout.fillWidth: true
            text: dialog.resultText
            tone: Theme.danger
        }
        RowLayout {
            Layout.fillWidth: true
            spacing: Theme.spacing
            TouchButton {
                objectName: "supervisorApprove"
                Layout.fillWidth: true
                text: dialog.pendingRequest !== 0 ? qsTr("Checking…") : qsTr("Approve")
                tint: Theme.accent
                enabled: dialog.auth !== null && dialog.pendingRequest === 0 && reasonField.text.trim().length > 0
                onClicked: {
                    dialog.pendingReason = reasonField.text.trim()
                    dialog.pendingRequest = dialog.auth.requestSupervisorApproval(
                                dialog.ruleId, loginField.text, passwordField.text, reasonField.text, dialog.context)
                    passwordField.text = ""
                }
            }
            TouchButton {
                objectName: "supervisorCancel"
                Layout.fillWidth: true
                text: qsTr("Cancel")
                onClicked: {
                    dialog.refused(qsTr("cancelled"))
                    dialog.close()
                }
            }
        }
    }
}
